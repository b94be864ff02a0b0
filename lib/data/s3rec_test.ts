import assert from "node:assert/strict";
import { itemTokens } from "./dataset.ts";
import { loadS3Rec } from "./s3rec.ts";

Deno.test("s3rec: sequences to pairs, attribute ids deduplicated per item", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/Toys_and_Games.txt`, "1 1 2 3\n2 3 1\n");
  await Deno.writeTextFile(
    `${dir}/Toys_and_Games_item2attributes.json`,
    '{"1": [1, 2, 2], "2": [2], "3": [5, 1]}',
  );
  const ds = await loadS3Rec(dir, { subset: "Toys_and_Games" });
  assert.equal(ds.name, "amazon-toys");
  assert.deepEqual([ds.userIds, ds.itemIds], [["1", "2"], ["1", "2", "3"]]);
  assert.equal(ds.interactions.users.length, 5);
  assert.deepEqual(Array.from(itemTokens(ds.attributes, 0)).map((t) => ds.attributes.vocab[t]), [
    "1",
    "2",
  ]);
  assert.equal(ds.modalities.length, 0);
});

Deno.test("s3rec errors: unknown attribute item (strict), empty and invalid files", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/Sports_and_Outdoors.txt`, "1 1 2\n");
  await Deno.writeTextFile(
    `${dir}/Sports_and_Outdoors_item2attributes.json`,
    '{"1": [1], "9": [2]}',
  );
  await assert.rejects(
    () => loadS3Rec(dir),
    /item2attributes\.json: field "9": unknown item id "9"/,
  );
  await Deno.writeTextFile(`${dir}/Sports_and_Outdoors_item2attributes.json`, "{bad");
  await assert.rejects(() => loadS3Rec(dir), /item2attributes\.json: invalid JSON/);
  await Deno.writeTextFile(`${dir}/Sports_and_Outdoors.txt`, "");
  await assert.rejects(() => loadS3Rec(dir), /Sports_and_Outdoors\.txt: no interactions/);
  await Deno.writeTextFile(`${dir}/Sports_and_Outdoors.txt`, "1\n");
  await assert.rejects(() => loadS3Rec(dir), /Sports_and_Outdoors\.txt:1: user without items/);
});
