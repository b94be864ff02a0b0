import assert from "node:assert/strict";
import { initTf, tf } from "../../tf/mod.ts";
import { disentangleChance, disentangleLoss } from "./disentangle.ts";

await initTf();

Deno.test("disentangled loss matches a reference InfoNCE (Eqs. 9–10)", () => {
  const zv = [[1, 0], [0, 1]], raw = [[1, 1], [0, 2]], zc = [[1, 0], [1, 1]], tau = 0.5;
  const got = tf.tidy(() =>
    disentangleLoss([tf.tensor2d(zv)], [tf.tensor2d(raw)], tf.tensor2d(zc), tau).dataSync()[0]
  );
  const cos = (x: number[], y: number[]) =>
    (x[0] * y[0] + x[1] * y[1]) / Math.hypot(...x) / Math.hypot(...y);
  let want = 0;
  for (let i = 0; i < 2; i++) {
    const pos = Math.exp(cos(zv[i], raw[i]) / tau);
    const negs = zc.reduce((s, z) => s + Math.exp(cos(zv[i], z) / tau), 0);
    want += -Math.log(pos / (pos + negs)) / 2;
  }
  assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  // Without a common view an item's own latent is not a negative (finite, positive loss).
  const noCom = tf.tidy(() =>
    disentangleLoss([tf.tensor2d(zv)], [tf.tensor2d(raw)], null, tau).dataSync()[0]
  );
  assert.ok(Number.isFinite(noCom) && noCom > 0);
});

Deno.test("the disentangled loss's chance level is its value when every similarity is equal", () => {
  const n = 6, d = 4, z = tf.ones([n, d]) as tf.Tensor2D;
  const v = tf.tidy(() => disentangleLoss([z, z], [z, z], z, 0.1).dataSync()[0]);
  assert.ok(Math.abs(v - disentangleChance(2, n, true)) < 1e-4);
  z.dispose();
});
