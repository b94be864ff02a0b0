import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import {
  BatchNorm,
  type BatchNormStats,
  commitBatchNorm,
  TF1_BATCH_NORM,
  TORCH_BATCH_NORM,
} from "./batch_norm.ts";
import { ParamSet } from "./params.ts";

await initTf();

const X = [[1, 2], [3, -2], [5, 3]];
const colMean = [3, 1], colVar = [8 / 3, 14 / 3]; // biased

function close(a: ArrayLike<number>, b: number[], tol = 1e-5): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) < tol, `${a[i]} vs ${b[i]}`);
}

Deno.test("training mode normalises by the batch, inference mode by the running averages", () => {
  const p = new ParamSet(), bn = new BatchNorm(p, "bn", 2, new Rng(1), TORCH_BATCH_NORM);
  const stats: BatchNormStats[] = [];
  const before = tf.memory().numTensors;
  const y = tf.tidy(() => bn.apply(tf.tensor2d(X), { stats }).arraySync());
  const eps = TORCH_BATCH_NORM.eps;
  for (let r = 0; r < 3; r++) {
    close(y[r], [0, 1].map((c) => (X[r][c] - colMean[c]) / Math.sqrt(colVar[c] + eps)));
  }
  assert.equal(stats.length, 1);
  commitBatchNorm(stats);
  assert.equal(stats.length, 0);
  assert.equal(tf.memory().numTensors, before, "the batch statistics are released");
  // PyTorch: running = 0.9·running + 0.1·batch, the variance unbiased (n/(n−1)).
  close(bn.mean.dataSync(), colMean.map((m) => 0.1 * m));
  close(bn.variance.dataSync(), colVar.map((v) => 0.9 + 0.1 * v * 3 / 2));
  const inf = tf.tidy(() => bn.apply(tf.tensor2d([[1, 1]])).dataSync());
  close(
    inf,
    [0, 1].map((c) => (1 - bn.mean.dataSync()[c]) / Math.sqrt(bn.variance.dataSync()[c] + eps)),
  );
  assert.deepEqual([...p.denseVars].map(([n, v]) => [n, v.trainable]), [
    ["bn.gamma", true],
    ["bn.beta", true],
    ["bn.runningMean", false],
    ["bn.runningVar", false],
  ]);
  p.dispose();
});

Deno.test("TF1 style: zero-debiased moving averages counted by a non-trainable parameter", () => {
  const p = new ParamSet();
  const bn = new BatchNorm(p, "bn", 2, new Rng(1), { ...TF1_BATCH_NORM, scale: false });
  assert.equal(bn.gamma, undefined);
  assert.deepEqual([...p.denseVars.keys()], [
    "bn.beta",
    "bn.movingMean",
    "bn.movingVariance",
    "bn.updates",
  ]);
  assert.equal(bn.updates!.trainable, false);
  const stats: BatchNormStats[] = [];
  tf.tidy(() => bn.apply(tf.tensor2d(X), { stats }));
  commitBatchNorm(stats);
  // One update: the debiased average is the batch statistic itself.
  close(bn.mean.dataSync(), colMean);
  close(bn.variance.dataSync(), colVar);
  const X2 = [[0, 0], [2, 4]];
  tf.tidy(() => bn.apply(tf.tensor2d(X2), { stats }));
  commitBatchNorm(stats);
  assert.deepEqual(Array.from(bn.updates!.dataSync()), [2]);
  // Two updates, m = 0.99: (m(1−m)·x₁ + (1−m)·x₂) / (1 − m²).
  const m = 0.99, avg = (a: number, b: number) => (m * (1 - m) * a + (1 - m) * b) / (1 - m * m);
  close(bn.mean.dataSync(), [avg(3, 1), avg(1, 2)]);
  close(bn.variance.dataSync(), [avg(8 / 3, 1), avg(14 / 3, 4)]);
  p.dispose();
});

Deno.test("weighted statistics and the folded scale (DropoutNet's form)", () => {
  const p = new ParamSet();
  const opts = { ...TORCH_BATCH_NORM, unbiasedRunningVariance: false, foldScale: true };
  const bn = new BatchNorm(p, "bn", 2, new Rng(1), opts);
  bn.gamma!.assign(tf.tensor1d([2, 0.5]));
  const stats: BatchNormStats[] = [];
  // Weights ½, ¼, ¼ are the batch [x₀, x₀, x₁, x₂] with x₀ counted twice.
  const w = [0.5, 0.25, 0.25];
  const mean = [0, 1].map((c) => w.reduce((s, wk, k) => s + wk * X[k][c], 0));
  const variance = [0, 1].map((c) => w.reduce((s, wk, k) => s + wk * (X[k][c] - mean[c]) ** 2, 0));
  const y = tf.tidy(() =>
    bn.apply(tf.tensor2d(X), { stats, weights: tf.tensor2d(w, [3, 1]) }).arraySync()
  );
  const g = [2, 0.5];
  for (let r = 0; r < 3; r++) {
    close(y[r], [0, 1].map((c) => (X[r][c] - mean[c]) * g[c] / Math.sqrt(variance[c] + opts.eps)));
  }
  commitBatchNorm(stats);
  close(bn.mean.dataSync(), mean.map((v) => 0.1 * v));
  close(bn.variance.dataSync(), variance.map((v) => 0.9 + 0.1 * v));
  p.dispose();
});
