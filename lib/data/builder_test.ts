import assert from "node:assert/strict";
import { DatasetBuilder } from "./builder.ts";
import { itemTokens } from "./dataset.ts";
import { DataError } from "./errors.ts";

const loc = { file: "t.tsv" };

Deno.test("builder: first-seen ids, duplicate pairs dropped keeping the first, tokens deduplicated", () => {
  const b = new DatasetBuilder({ name: "t", source: "t.tsv" });
  for (const [u, i] of [["u2", "a"], ["u1", "b"], ["u2", "a"], ["u1", "a"]]) {
    b.addInteraction(u, i, loc);
  }
  b.addItemTokens("a", ["x", "y", "x"], loc);
  b.addItemTokens("a", ["y", "z"], loc);
  const { dataset: ds, report } = b.build();
  assert.deepEqual(ds.userIds, ["u2", "u1"]);
  assert.deepEqual(ds.itemIds, ["a", "b"]);
  assert.deepEqual(Array.from(ds.interactions.users), [0, 1, 1]);
  assert.deepEqual(Array.from(ds.interactions.items), [0, 1, 0]);
  assert.equal(report.skipped["duplicate (user, item) pairs"], 1);
  assert.deepEqual(Array.from(itemTokens(ds.attributes, 0)).map((t) => ds.attributes.vocab[t]), [
    "x",
    "y",
    "z",
  ]);
  assert.equal(itemTokens(ds.attributes, 1).length, 0);
});

Deno.test("builder: attribute frequency cut counts items, not occurrences", () => {
  const b = new DatasetBuilder({ name: "t", source: "t", minAttributeFreq: 2 });
  for (const i of ["a", "b", "c"]) b.addInteraction("u", i, loc);
  b.addItemTokens("a", ["rare", "rare", "common"], loc);
  b.addItemTokens("b", ["common"], loc);
  b.addItemTokens("c", ["other"], loc);
  const { dataset: ds } = b.build();
  assert.deepEqual(ds.attributes.vocab, ["common"]);
  assert.deepEqual(Array.from(ds.attributes.offsets), [0, 1, 2, 2]);
});

Deno.test("builder: unknown items are skipped and counted, or a DataError when strict", () => {
  const lax = new DatasetBuilder({ name: "t", source: "t" });
  lax.addInteraction("u", "a", loc);
  assert.equal(lax.addItemTokens("zzz", ["x"], { file: "attr.tsv", line: 3 }), false);
  assert.equal(lax.report.skipped["attribute rows for unknown items"], 1);
  const strict = new DatasetBuilder({ name: "t", source: "t", strict: true });
  strict.addInteraction("u", "a", loc);
  assert.throws(
    () => strict.addItemTokens("zzz", ["x"], { file: "attr.tsv", line: 3 }),
    (e) =>
      e instanceof DataError &&
      e.message === 'attr.tsv:3: field "item": unknown item id "zzz" (not in the interactions)',
  );
  assert.throws(
    () =>
      strict.addModality("img", {
        file: "f.csv",
        dim: 1,
        data: new Float32Array([1]),
        ids: ["q"],
        idLines: [7],
      }),
    /f\.csv:7: field "item": unknown item id "q"/,
  );
});

Deno.test("builder: modality rows aligned by id, missing rows zero-filled and counted", () => {
  const b = new DatasetBuilder({ name: "t", source: "t" });
  for (const i of ["a", "b", "c"]) b.addInteraction("u", i, loc);
  b.addModality("img", {
    file: "f.npy",
    dim: 2,
    data: new Float32Array([5, 6, 1, 2, 9, 9]),
    ids: ["c", "a", "extra"],
  });
  const { dataset: ds, report } = b.build();
  assert.deepEqual(Array.from(ds.modalities[0].data), [1, 2, 0, 0, 5, 6]);
  assert.equal(report.missingFeatureRows.img, 1);
  assert.equal(report.skipped["feature img rows for unknown items"], 1);
});

Deno.test("builder: duplicate feature ids, non-finite values, declared-id violations and no rows fail", () => {
  const b = new DatasetBuilder({ name: "t", source: "t" });
  b.addInteraction("u", "a", loc);
  assert.throws(
    () =>
      b.addModality("m", {
        file: "f.csv",
        dim: 1,
        data: new Float32Array([1, 2]),
        ids: ["a", "a"],
        idLines: [1, 2],
      }),
    (e) => e instanceof DataError && e.message === 'f.csv:2: field "item": duplicate item id "a"',
  );
  assert.throws(
    () =>
      b.addModality("n", {
        file: "f.npy",
        dim: 2,
        data: new Float32Array([1, Infinity]),
        ids: ["a"],
      }),
    (e) =>
      e instanceof DataError &&
      e.message === 'f.npy: field "row 0, column 1": non-finite value Infinity',
  );
  const d = new DatasetBuilder({ name: "t", source: "t" });
  assert.throws(
    () => d.declareItems(["a", "b", "a"], "map.tsv", [1, 2, 3]),
    /map\.tsv:3: field "item": duplicate item id "a"/,
  );
  d.declareUsers(["u"], "users.txt");
  assert.throws(
    () => d.addInteraction("v", "a", { file: "r.tsv", line: 9 }),
    /r\.tsv:9: field "user": unknown user id "v"/,
  );
  assert.throws(
    () => new DatasetBuilder({ name: "t", source: "empty.tsv" }).build(),
    /empty\.tsv: field "interactions": no interactions/,
  );
});
