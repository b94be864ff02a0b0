import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { setWasmPatchesEnabled } from "./wasm_patches.ts";
import {
  makeBlockedTranspose,
  stockTransposeIsSlow,
  swapOfLastTwo,
  transposeBlocked,
} from "./wasm_transpose.ts";

const rng = new Rng(11);

Deno.test("swapOfLastTwo reads batch, rows and columns of a last-two-axes swap only", () => {
  assert.deepEqual(swapOfLastTwo([1024, 128], [1, 0]), { batch: 1, rows: 1024, cols: 128 });
  assert.deepEqual(swapOfLastTwo([2, 3, 5, 7], [0, 1, 3, 2]), { batch: 6, rows: 5, cols: 7 });
  assert.equal(swapOfLastTwo([2, 3, 4], [1, 0, 2]), null);
  assert.equal(swapOfLastTwo([2, 3, 4], [2, 1, 0]), null);
  assert.equal(swapOfLastTwo([2, 3, 4], [1, 2, 0]), null);
  assert.equal(swapOfLastTwo([4], [0]), null);
});

Deno.test("the blocked loop takes over only at the stock kernel's slow row counts", () => {
  for (const rows of [128, 512, 1024, 1536, 2048]) {
    assert.equal(stockTransposeIsSlow(rows, 64), true);
  }
  for (const rows of [1000, 1088, 2112, 13768]) assert.equal(stockTransposeIsSlow(rows, 64), false);
  assert.equal(stockTransposeIsSlow(1024, 1), false); // a column: stock copies it in order
});

Deno.test("transposeBlocked transposes every batch entry, across partial tiles", () => {
  for (const [batch, rows, cols] of [[1, 2, 3], [3, 17, 33], [2, 40, 16], [1, 1, 20]]) {
    const src = Float32Array.from(rng.normalArray(batch * rows * cols));
    const dst = new Float32Array(src.length);
    transposeBlocked(src, dst, batch, rows, cols);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          assert.equal(dst[b * rows * cols + j * rows + i], src[b * rows * cols + i * cols + j]);
        }
      }
    }
  }
});

Deno.test("Transpose at the slow strides matches the stock kernel, values and matMul grads", async () => {
  await initTf("wasm");
  const cases: [number[], number[]][] = [
    [[256, 40], [1, 0]],
    [[3, 128, 20], [0, 2, 1]],
    [[2, 2, 128, 33], [0, 1, 3, 2]],
    [[384, 17], [1, 0]],
  ];
  for (const [shape, perm] of cases) {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(rng.normalArray(size), shape);
    const xi = tf.cast(tf.mul(x, 100), "int32");
    const before = tf.memory().numTensors;
    const got = tf.transpose(x, perm), gotI = tf.transpose(xi, perm);
    setWasmPatchesEnabled(false);
    const want = tf.transpose(x, perm), wantI = tf.transpose(xi, perm);
    setWasmPatchesEnabled(true);
    assert.deepEqual(got.shape, want.shape);
    assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
    assert.deepEqual(Array.from(gotI.dataSync()), Array.from(wantI.dataSync()));
    tf.dispose([got, gotI, want, wantI]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, xi]);
  }
  // A weight gradient at batch 1024 goes through the blocked loop (transposeA of [1024, d]).
  const a = tf.tensor2d(rng.normalArray(1024 * 24), [1024, 24]);
  const b = tf.tensor2d(rng.normalArray(1024 * 20), [1024, 20]);
  const got = tf.matMul(a, b, true, false);
  setWasmPatchesEnabled(false);
  const want = tf.matMul(a, b, true, false);
  setWasmPatchesEnabled(true);
  const g = got.dataSync(), w = want.dataSync();
  for (let k = 0; k < w.length; k++) assert.ok(Math.abs(g[k] - w[k]) < 1e-3, `entry ${k}`);
  tf.dispose([a, b, got, want]);
});

Deno.test("makeBlockedTranspose runs the blocked loop at slow strides and the original otherwise", async () => {
  await initTf("wasm");
  let originalCalls = 0;
  const original = () => {
    originalCalls++;
    return { dataId: {}, shape: [], dtype: "float32" } as tf.TensorInfo;
  };
  const kernel = makeBlockedTranspose(original, () => true);
  const x = tf.tensor2d(rng.normalArray(256 * 20), [256, 20]);
  const out = kernel({ inputs: { x }, backend: tf.backend(), attrs: { perm: [1, 0] } });
  assert.equal(originalCalls, 0);
  const y = tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
  const want = tf.transpose(x);
  assert.deepEqual(Array.from(y.dataSync()), Array.from(want.dataSync()));
  tf.dispose([y, want]);
  const z = tf.tensor2d(rng.normalArray(250 * 20), [250, 20]);
  kernel({ inputs: { x: z }, backend: tf.backend(), attrs: { perm: [1, 0] } });
  kernel({ inputs: { x }, backend: tf.backend(), attrs: { perm: [0, 1] } });
  assert.equal(originalCalls, 2);
  makeBlockedTranspose(original, () => false)({
    inputs: { x },
    backend: tf.backend(),
    attrs: { perm: [1, 0] },
  });
  assert.equal(originalCalls, 3);
  tf.dispose([x, z]);
});
