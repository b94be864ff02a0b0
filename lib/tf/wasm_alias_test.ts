import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { compareBackends, valueAndGrads } from "./testing.ts";
import { isLayoutIdentity } from "./wasm_alias.ts";
import { setWasmPatchesEnabled } from "./wasm_patches.ts";

const rng = new Rng(5);
const buffers = () => tf.backend().numDataIds();

Deno.test("isLayoutIdentity accepts only shape- and layout-preserving permutations", () => {
  assert.equal(isLayoutIdentity([4, 3], [0, 1]), true);
  assert.equal(isLayoutIdentity([4, 1, 3], [1, 0, 2]), false); // shape changes to [1, 4, 3]
  assert.equal(isLayoutIdentity([1, 1, 3], [1, 0, 2]), true); // only size-1 axes swap
  assert.equal(isLayoutIdentity([2, 2], [1, 0]), false); // same shape, different layout
  assert.equal(isLayoutIdentity([3, 1, 3], [2, 1, 0]), false);
  assert.equal(isLayoutIdentity([5], [0]), true);
  assert.equal(isLayoutIdentity([2, 3], [0]), false);
  assert.equal(isLayoutIdentity([2, 3], [0, 2]), false);
});

Deno.test("Identity, same-dtype Cast and identity Transpose share data on wasm", async () => {
  await initTf("wasm");
  const x = tf.tensor2d(rng.normalArray(12), [4, 3]);
  const want = Array.from(x.dataSync());
  const before = buffers();
  const x4 = tf.reshape(x, [1, 1, 4, 3]);
  const views = [
    x4,
    tf.clone(x),
    tf.cast(x, "float32"),
    tf.transpose(x, [0, 1]),
    tf.transpose(x4, [1, 0, 2, 3]),
  ];
  assert.equal(buffers(), before, "no new wasm buffer");
  x.dispose(); // the views keep the data alive
  for (const v of views) assert.deepEqual(Array.from(v.dataSync()), want);
  assert.deepEqual(views[4].shape, [1, 1, 4, 3]);
  tf.dispose(views);
  assert.equal(buffers(), before - 1, "the shared buffer is freed with its last reference");
});

Deno.test("other casts and transposes still copy, and match cpu", async () => {
  await initTf("wasm");
  const x = tf.tensor2d(rng.normalArray(12), [4, 3]);
  const before = buffers();
  const copies = [
    tf.cast(x, "int32"),
    tf.transpose(x),
    tf.transpose(tf.reshape(x, [4, 1, 3]), [1, 0, 2]),
  ];
  assert.equal(buffers(), before + copies.length);
  tf.dispose([x, ...copies]);
  const a = { data: rng.normalArray(24), shape: [2, 1, 3, 4] };
  for (const perm of [[0, 1, 2, 3], [1, 0, 2, 3], [0, 2, 1, 3], [3, 2, 1, 0], [1, 0, 3, 2]]) {
    const g = (t: tf.Tensor) => tf.transpose(t, perm);
    await compareBackends(`transpose ${perm}`, valueAndGrads([a], g, rng.normalArray(24)));
  }
  const g = (t: tf.Tensor) => tf.mul(tf.cast(tf.clone(t), "float32"), tf.cast(t, "int32"));
  await compareBackends("clone and casts", valueAndGrads([a], g, rng.normalArray(24)));
});

Deno.test("shared data survives assigning a variable and running without patches", async () => {
  await initTf("wasm");
  const v = tf.variable(tf.tensor1d([1, 2, 3]));
  const saved = tf.clone(v);
  v.assign(tf.tensor1d([7, 8, 9]));
  assert.deepEqual(Array.from(saved.dataSync()), [1, 2, 3]);
  assert.deepEqual(Array.from(v.dataSync()), [7, 8, 9]);
  const before = buffers();
  setWasmPatchesEnabled(false);
  try {
    const copy = tf.clone(v);
    assert.equal(buffers(), before + 1, "the stock Identity copies");
    assert.deepEqual(Array.from(copy.dataSync()), [7, 8, 9]);
    copy.dispose();
  } finally {
    setWasmPatchesEnabled(true);
  }
  tf.dispose([v, saved]);
});

Deno.test("matMul on vectors (transposes of size-1 axes, clones as weights) matches cpu", async () => {
  const k = 6;
  const row = rng.normalArray(k), mat = rng.normalArray(3 * k);
  await compareBackends("vector products", () => {
    const r = tf.tensor2d(row, [1, k]), m = tf.tensor2d(mat, [3, k]);
    return [
      tf.matMul(m, r, false, true), // [3, 1]: r as b, transposed
      tf.matMul(r, m, false, true), // [1, 3]
      tf.matMul(r, r, true, false), // [k, k]: r as b untransposed after its transposed use
      tf.matMul(m, tf.clone(r), false, true),
      tf.matMul(tf.transpose(r, [0, 1]), m, false, true),
    ];
  });
});
