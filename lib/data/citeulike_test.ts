import assert from "node:assert/strict";
import { itemTokens } from "./dataset.ts";
import { loadCiteulike, loadCiteulikeWithReport } from "./citeulike.ts";

async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir();
  // 3 users, 5 items (item 4 only appears in item-tag.dat), items 3 and 2 are cold.
  await Deno.writeTextFile(`${dir}/users.dat`, "3 0 1 2\n2 1 3\n2 0 2\n");
  await Deno.writeTextFile(`${dir}/item-tag.dat`, "2 0 1\n1 0\n0\n2 2 3\n1 3");
  await Deno.writeTextFile(`${dir}/tags.dat`, "ml\nstats\nbio\nml");
  await Deno.mkdir(`${dir}/aldi_split`);
  await Deno.writeTextFile(`${dir}/aldi_split/warm_emb.csv`, "user,item\n0,0\n0,1\n1,1\n");
  await Deno.writeTextFile(`${dir}/aldi_split/warm_val.csv`, "user,item\n2,0\n");
  await Deno.writeTextFile(`${dir}/aldi_split/cold_item_val.csv`, "user,item\n1,3\n");
  await Deno.writeTextFile(`${dir}/aldi_split/cold_item_test.csv`, "user,item\n0,2\n2,2\n");
  return dir;
}

Deno.test("citeulike: users.dat lines are users, tags named through tags.dat, provided split", async () => {
  const dir = await fixture();
  const { dataset: ds, report } = await loadCiteulikeWithReport(dir, { minTagFreq: 1 });
  assert.deepEqual(ds.userIds, ["0", "1", "2"]);
  assert.deepEqual(ds.itemIds, ["0", "1", "2", "3", "4"]);
  assert.equal(ds.interactions.users.length, 7);
  const toks = (i: number) =>
    Array.from(itemTokens(ds.attributes, i)).map((t) => ds.attributes.vocab[t]);
  assert.deepEqual([toks(0), toks(2), toks(3), toks(4)], [["ml#0", "stats"], [], ["bio", "ml#3"], [
    "ml#3",
  ]]);
  const s = ds.providedSplit!;
  assert.equal(s.source, `${dir}/aldi_split`);
  assert.deepEqual([Array.from(s.train.users), Array.from(s.train.items)], [[0, 0, 1], [0, 1, 1]]);
  assert.deepEqual([Array.from(s.valid.items), Array.from(s.test.items)], [[3], [2, 2]]);
  assert.match(report.notes.join("\n"), /warm_val\/warm_test are not used/);
  assert.match(report.notes.join("\n"), /1 declared items have no interactions/);
  const cut = await loadCiteulike(dir);
  assert.equal(cut.attributes.vocab.length, 0);
});

Deno.test("citeulike errors: count mismatch, cold item in train, item out of range", async () => {
  const dir = await fixture();
  await Deno.writeTextFile(`${dir}/aldi_split/cold_item_test.csv`, "user,item\n0,1\n");
  await assert.rejects(
    () => loadCiteulike(dir),
    /cold_item_test\.csv: cold item 1 has training rows/,
  );
  await Deno.writeTextFile(`${dir}/aldi_split/cold_item_test.csv`, "user,item\n1,2\n");
  await assert.rejects(
    () => loadCiteulike(dir),
    /cold_item_test\.csv: pair \(1, 2\) is not in users\.dat/,
  );
  await Deno.writeTextFile(`${dir}/users.dat`, "3 0 1\n");
  await assert.rejects(
    () => loadCiteulike(dir),
    /users\.dat:1: field "count": says 3 entries, found 2/,
  );
  await Deno.writeTextFile(`${dir}/users.dat`, "1 7\n");
  await assert.rejects(() => loadCiteulike(dir), /users\.dat:1: field "item": unknown item id "7"/);
});
