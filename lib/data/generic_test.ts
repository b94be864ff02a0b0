import assert from "node:assert/strict";
import { datasetStats, getModality, itemTokens } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { loadGeneric, loadGenericWithReport } from "./generic.ts";
import { encodeNpy } from "./npy.ts";

async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/inter.tsv`,
    "user_id\titem_id\trating\ttimestamp\nu1\ti1\t5\t10\nu1\ti2\t2\t11\nu2\ti2\t4\t12\nu2\ti3\t3.5\t13\nu3\ti1\t1\t14\n",
  );
  await Deno.writeTextFile(`${dir}/attrs.tsv`, "i1\trock|pop\ni2\tjazz\ni3\t\ni9\tghost\n");
  await Deno.writeFile(`${dir}/img.npy`, encodeNpy([3, 3, 1, 1, 2, 2], [3, 2], { descr: "<f8" }));
  await Deno.writeTextFile(`${dir}/img_map.tsv`, "0\ti3\n1\ti1\n2\ti2\n");
  await Deno.writeTextFile(`${dir}/txt.csv`, "item,a,b,c\ni2,1,2,3\ni1,4,5,6\n");
  return dir;
}

Deno.test("generic: TSV with header, attributes, .npy and CSV modalities", async () => {
  const dir = await fixture();
  const { dataset: ds, report } = await loadGenericWithReport({
    interactions: `${dir}/inter.tsv`,
    attributes: `${dir}/attrs.tsv`,
    modalities: [{ name: "image", path: `${dir}/img.npy`, itemMap: `${dir}/img_map.tsv` }, {
      name: "text",
      path: `${dir}/txt.csv`,
    }],
  });
  assert.equal(ds.name, "inter");
  assert.deepEqual(datasetStats(ds), {
    users: 3,
    items: 3,
    interactions: 5,
    attributeVocab: 3,
    itemsWithoutAttributes: 1,
    modalities: { image: 2, text: 3 },
  });
  assert.deepEqual(ds.itemIds, ["i1", "i2", "i3"]);
  assert.deepEqual(Array.from(itemTokens(ds.attributes, 0)).map((t) => ds.attributes.vocab[t]), [
    "rock",
    "pop",
  ]);
  assert.deepEqual(Array.from(getModality(ds, "image").data), [1, 1, 2, 2, 3, 3]);
  assert.deepEqual(Array.from(getModality(ds, "text").data), [4, 5, 6, 1, 2, 3, 0, 0, 0]);
  assert.equal(report.missingFeatureRows.text, 1);
  assert.equal(report.skipped["attribute rows for unknown items"], 1);
});

Deno.test("generic: rating threshold, CSV without header, whitespace attributes", async () => {
  const dir = await fixture();
  await Deno.writeTextFile(`${dir}/r.csv`, "1,10,4\n1,11,2\n2,10,5\n2,10,5\n");
  await Deno.writeTextFile(`${dir}/a.txt`, "10 red big\n11 blue\n");
  const { dataset: ds, report } = await loadGenericWithReport({
    interactions: `${dir}/r.csv`,
    attributes: `${dir}/a.txt`,
    ratingThreshold: 4,
  });
  assert.deepEqual([ds.userIds, ds.itemIds], [["1", "2"], ["10"]]);
  assert.equal(ds.interactions.users.length, 2);
  assert.equal(report.skipped["rows with rating < 4"], 1);
  assert.equal(report.skipped["duplicate (user, item) pairs"], 1);
  assert.deepEqual(ds.attributes.vocab, ["red", "big"]);
});

Deno.test("generic: strict mode rejects unknown items in attribute and feature files", async () => {
  const dir = await fixture();
  await assert.rejects(
    () =>
      loadGeneric({
        interactions: `${dir}/inter.tsv`,
        attributes: `${dir}/attrs.tsv`,
        strict: true,
      }),
    (e) =>
      e instanceof DataError &&
      e.message ===
        `${dir}/attrs.tsv:4: field "item": unknown item id "i9" (not in the interactions)`,
  );
  await Deno.writeTextFile(`${dir}/f.csv`, "i1,1\ni7,2\n");
  await assert.rejects(
    () =>
      loadGeneric({
        interactions: `${dir}/inter.tsv`,
        modalities: [{ name: "m", path: `${dir}/f.csv` }],
        strict: true,
      }),
    /f\.csv:2: field "item": unknown item id "i7"/,
  );
});

Deno.test("generic: bad inputs give one-line DataErrors", async () => {
  const dir = await fixture();
  await Deno.writeTextFile(`${dir}/empty.tsv`, "");
  await assert.rejects(
    () => loadGeneric({ interactions: `${dir}/empty.tsv` }),
    /empty\.tsv: no interactions \(empty file\?\)/,
  );
  await Deno.writeTextFile(`${dir}/bad.tsv`, "u1\ti1\t5\nu2\ti2\tgood\n");
  await assert.rejects(
    () => loadGeneric({ interactions: `${dir}/bad.tsv` }),
    (e) =>
      e instanceof DataError &&
      e.message === `${dir}/bad.tsv:2: field "rating": value is not a finite number: "good"`,
  );
  await Deno.writeTextFile(`${dir}/short.tsv`, "u1\ti1\nu2\n");
  await assert.rejects(
    () => loadGeneric({ interactions: `${dir}/short.tsv` }),
    /short\.tsv:2: expected at least 2 fields, got 1/,
  );
  await Deno.writeTextFile(`${dir}/nan.csv`, "i1,1,2\ni2,nan,1\n");
  await assert.rejects(
    () =>
      loadGeneric({
        interactions: `${dir}/inter.tsv`,
        modalities: [{ name: "m", path: `${dir}/nan.csv` }],
      }),
    /nan\.csv:2: field "column 2": value is not a finite number: "nan"/,
  );
  await Deno.writeFile(`${dir}/nan.npy`, encodeNpy([1, NaN, 0, 0, 0, 0], [3, 2]));
  await assert.rejects(
    () =>
      loadGeneric({
        interactions: `${dir}/inter.tsv`,
        modalities: [{ name: "m", path: `${dir}/nan.npy`, itemMap: `${dir}/img_map.tsv` }],
      }),
    /nan\.npy: field "row 0, column 1": non-finite value NaN/,
  );
  await Deno.writeTextFile(`${dir}/dup_map.tsv`, "0\ti3\n1\ti1\n2\ti3\n");
  await assert.rejects(
    () =>
      loadGeneric({
        interactions: `${dir}/inter.tsv`,
        modalities: [{ name: "m", path: `${dir}/img.npy`, itemMap: `${dir}/dup_map.tsv` }],
      }),
    /dup_map\.tsv:3: field "item_id": duplicate item id "i3"/,
  );
  await assert.rejects(
    () => loadGeneric({ interactions: `${dir}/nope.tsv` }),
    /nope\.tsv: file not found/,
  );
});
