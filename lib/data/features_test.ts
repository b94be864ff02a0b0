import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { readCsvFeatures, readDenseFeatures, readItemMap } from "./features.ts";
import { encodeNpy } from "./npy.ts";

Deno.test("readItemMap: row_index<TAB>item_id in any order with header, or one id per line", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/m.tsv`, "row\titem\n2\tc\n0\ta\n1\tb\n");
  assert.deepEqual(await readItemMap(`${dir}/m.tsv`), { ids: ["a", "b", "c"], lines: [3, 4, 2] });
  await Deno.writeTextFile(`${dir}/ids.txt`, "x\ny\n");
  assert.deepEqual((await readItemMap(`${dir}/ids.txt`)).ids, ["x", "y"]);
});

Deno.test("readItemMap rejects duplicate ids and rows, and out-of-range rows", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/d.tsv`, "0\ta\n1\tb\n2\ta\n");
  await assert.rejects(
    () => readItemMap(`${dir}/d.tsv`),
    (e) =>
      e instanceof DataError &&
      e.message === `${dir}/d.tsv:3: field "item_id": duplicate item id "a" (first on line 1)`,
  );
  await Deno.writeTextFile(`${dir}/r.tsv`, "0\ta\n0\tb\n");
  await assert.rejects(
    () => readItemMap(`${dir}/r.tsv`),
    /r\.tsv:2: field "row_index": duplicate row index 0/,
  );
  await Deno.writeTextFile(`${dir}/o.tsv`, "0\ta\n5\tb\n");
  await assert.rejects(
    () => readItemMap(`${dir}/o.tsv`),
    /o\.tsv:2: field "row_index": row 5 >= 2 rows/,
  );
  await Deno.writeTextFile(`${dir}/e.tsv`, "");
  await assert.rejects(() => readItemMap(`${dir}/e.tsv`), /e\.tsv: empty item map/);
});

Deno.test("readCsvFeatures reads plain and bracketed rows, with a header", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/p.csv`, "id,f1,f2\ni1,1,2\ni2,3,-4.5\n");
  const p = await readCsvFeatures(`${dir}/p.csv`);
  assert.deepEqual([p.ids, p.dim, Array.from(p.data), p.dataLines], [["i1", "i2"], 2, [
    1,
    2,
    3,
    -4.5,
  ], [2, 3]]);
  await Deno.writeTextFile(`${dir}/b.csv`, 'i1,"[1, 2, 3]"\ni2,"[4,5,6]"\n');
  const b = await readCsvFeatures(`${dir}/b.csv`);
  assert.deepEqual([b.ids, b.dim, Array.from(b.data)], [["i1", "i2"], 3, [1, 2, 3, 4, 5, 6]]);
  await Deno.writeTextFile(`${dir}/t.tsv`, "i1\t0.5\t1\n");
  assert.deepEqual(Array.from((await readCsvFeatures(`${dir}/t.tsv`)).data), [0.5, 1]);
});

Deno.test("readCsvFeatures rejects a wrong dimension, NaN and an empty file", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/w.csv`, "i1,1,2\ni2,3\n");
  await assert.rejects(
    () => readCsvFeatures(`${dir}/w.csv`),
    (e) =>
      e instanceof DataError &&
      e.message === `${dir}/w.csv:2: wrong dimension: 1 values, expected 2`,
  );
  await Deno.writeTextFile(`${dir}/n.csv`, "i1,1,2\ni2,3,NaN\n");
  await assert.rejects(
    () => readCsvFeatures(`${dir}/n.csv`),
    (e) =>
      e instanceof DataError &&
      e.message === `${dir}/n.csv:2: field "column 3": value is not a finite number: "NaN"`,
  );
  await Deno.writeTextFile(`${dir}/e.csv`, "\n\n");
  await assert.rejects(() => readCsvFeatures(`${dir}/e.csv`), /e\.csv: empty feature file/);
});

Deno.test("readDenseFeatures aligns .npy rows through the item map and checks row counts", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/x.npy`, encodeNpy([1, 2, 3, 4, 5, 6], [3, 2]));
  await Deno.writeTextFile(`${dir}/map.tsv`, "1\tb\n0\ta\n2\tc\n");
  const f = await readDenseFeatures(`${dir}/x.npy`, `${dir}/map.tsv`);
  assert.deepEqual([f.ids, f.dim, f.idLines], [["a", "b", "c"], 2, [2, 1, 3]]);
  await Deno.writeTextFile(`${dir}/short.tsv`, "a\nb\n");
  await assert.rejects(
    () => readDenseFeatures(`${dir}/x.npy`, `${dir}/short.tsv`),
    /x\.npy: field "shape": 3 rows but the item map .*short\.tsv has 2 ids/,
  );
  await assert.rejects(() => readDenseFeatures(`${dir}/x.npy`), /needs an item map/);
});
