import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { setWasmPatchesEnabled } from "./wasm_patches.ts";
import { sliceBox } from "./wasm_slice.ts";

const rng = new Rng(8);

function both(f: () => tf.Tensor | tf.Tensor[]): [tf.Tensor[], tf.Tensor[]] {
  const wrap = (r: tf.Tensor | tf.Tensor[]) => Array.isArray(r) ? r : [r];
  const got = wrap(f());
  setWasmPatchesEnabled(false);
  const want = wrap(f());
  setWasmPatchesEnabled(true);
  return [got, want];
}

Deno.test("sliceBox resolves -1 sizes and refuses out-of-range slices", () => {
  assert.deepEqual(sliceBox([4, 6], [1, 2], [-1, 3]), { r0: 1, c0: 2, rows: 3, cols: 3 });
  assert.deepEqual(sliceBox([4, 6], [0, 0], [4, 6]), { r0: 0, c0: 0, rows: 4, cols: 6 });
  assert.equal(sliceBox([4, 6], [1, 2], [4, 1]), null);
  assert.equal(sliceBox([4, 6], [0, 5], [1, 2]), null);
  assert.equal(sliceBox([4, 6, 2], [0, 0, 0], [1, 1, 1]), null);
});

Deno.test("Slice and SplitV of matrices match the stock kernels, values and concat gradients", async () => {
  await initTf("wasm");
  const x = tf.tensor2d(rng.normalArray(37 * 29), [37, 29]);
  const xi = tf.cast(tf.mul(x, 100), "int32");
  const before = tf.memory().numTensors;
  const cases: (() => tf.Tensor | tf.Tensor[])[] = [
    () => tf.slice(x, [0, 0], [-1, 1]),
    () => tf.slice(x, [3, 7], [10, 20]),
    () => tf.slice(x, [5, 0], [-1, -1]),
    () => tf.slice(xi, [2, 3], [4, 12]),
    () => tf.split(x, [3, 20, 6], 1),
    () => tf.split(x, [29], -1),
    () => tf.split(xi, [9, 20], 1),
    () => tf.split(x, [10, 27], 0),
    () => tf.split(x, [0, 37, 0], 0),
    () => tf.split(xi, [1, 30, 6], 0),
    () => tf.split(x, [37], 0),
  ];
  for (const f of cases) {
    const [got, want] = both(f);
    assert.equal(got.length, want.length);
    got.forEach((g, k) => {
      assert.deepEqual(g.shape, want[k].shape);
      assert.deepEqual(Array.from(g.dataSync()), Array.from(want[k].dataSync()));
    });
    tf.dispose([...got, ...want]);
  }
  // The gradient of a concat is a SplitV: along columns, and along rows.
  const a = tf.tensor2d(rng.normalArray(37 * 5), [37, 5]);
  const w = tf.tensor2d(rng.normalArray(37 * 34), [37, 34]);
  const b = tf.tensor2d(rng.normalArray(8 * 29), [8, 29]);
  const v = tf.tensor2d(rng.normalArray(45 * 29), [45, 29]);
  const concatGrads = [
    () => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 1), w)))([a, x]),
    () => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 0), v)))([b, x]),
  ];
  for (const g of concatGrads) {
    const [got, want] = both(g);
    got.forEach((t, k) => {
      assert.deepEqual(t.shape, want[k].shape);
      assert.deepEqual(Array.from(t.dataSync()), Array.from(want[k].dataSync()));
    });
    tf.dispose([...got, ...want]);
  }
  tf.dispose([a, w, b, v]);
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  tf.dispose([x, xi]);
});
