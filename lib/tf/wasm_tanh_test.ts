import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { setWasmPatchesEnabled } from "./wasm_patches.ts";

const rng = new Rng(21);

Deno.test("Tanh through the sigmoid matches the stock kernel, values and gradient", async () => {
  await initTf("wasm");
  const x = tf.tensor2d(
    [...rng.normalArray(60).map((v) => 4 * v), 0, 1e-6, -1e-6, 20, -20, 1e-30],
    [6, 11],
  );
  const w = tf.tensor2d(rng.normalArray(66), [6, 11]);
  const f = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(t), w)));
  const before = tf.memory().numTensors;
  const got = f(x), gotY = tf.tanh(x);
  setWasmPatchesEnabled(false);
  const want = f(x), wantY = tf.tanh(x);
  setWasmPatchesEnabled(true);
  const close = (a: tf.Tensor, b: tf.Tensor, tol: number) =>
    a.dataSync().forEach((v, k) => assert.ok(Math.abs(v - b.dataSync()[k]) < tol, `${v} at ${k}`));
  close(gotY, wantY, 2e-7);
  close(got.grad, want.grad, 1e-5);
  assert.ok(Math.abs(got.value.dataSync()[0] - want.value.dataSync()[0]) < 1e-4);
  assert.deepEqual(gotY.shape, [6, 11]);
  tf.dispose([got.value, got.grad, want.value, want.grad, gotY, wantY]);
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  tf.dispose([x, w]);
});
