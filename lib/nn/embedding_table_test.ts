import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { EmbeddingTable } from "./embedding_table.ts";

Deno.test("EmbeddingTable: rows, tensors and id checks", async () => {
  await initTf();
  const t = new EmbeddingTable("user", 4, 3, new Float32Array([...Array(12).keys()]), new Rng(1));
  assert.deepEqual(Array.from(t.gatherRows(new Int32Array([2, 0, 2]))), [
    6,
    7,
    8,
    0,
    1,
    2,
    6,
    7,
    8,
  ]);
  const r = t.rowsTensor(new Int32Array([3]));
  assert.deepEqual(r.shape, [1, 3]);
  assert.deepEqual(Array.from(r.dataSync()), [9, 10, 11]);
  const all = t.toTensor();
  assert.deepEqual(all.shape, [4, 3]);
  assert.deepEqual(all.dataSync(), t.data);
  tf.dispose([r, all]);
  assert.throws(() => t.gatherRows(new Int32Array([1, 4])), /"user": id 4 .*\[0, 4\)/);
  assert.throws(() => t.gatherRows(new Int32Array([-1])), RangeError);
  assert.throws(() => new EmbeddingTable("x", 3, 0, "zeros", new Rng(1)), RangeError);
});
