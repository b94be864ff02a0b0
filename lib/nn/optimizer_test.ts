import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { type AdamConfig, Optimizer } from "./optimizer.ts";
import { ParamSet } from "./params.ts";

/** Plain float64 Adam on one parameter vector (the reference). */
class RefAdam {
  m: number[];
  v: number[];
  t = 0;
  constructor(n: number, readonly cfg: Required<AdamConfig>) {
    this.m = new Array(n).fill(0);
    this.v = new Array(n).fill(0);
  }
  /** Updates p[i] for i in `which` (all when omitted) with gradient g[i]; t counts globally. */
  step(p: number[], g: number[], which?: number[]): void {
    const { lr, beta1, beta2, eps, weightDecay, decoupled } = this.cfg;
    this.t++;
    for (const i of which ?? p.map((_, k) => k)) {
      const gi = decoupled ? g[i] : g[i] + weightDecay * p[i];
      if (decoupled) p[i] *= 1 - lr * weightDecay;
      this.m[i] = beta1 * this.m[i] + (1 - beta1) * gi;
      this.v[i] = beta2 * this.v[i] + (1 - beta2) * gi * gi;
      const mHat = this.m[i] / (1 - beta1 ** this.t), vHat = this.v[i] / (1 - beta2 ** this.t);
      p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
    }
  }
}

const full = (c: AdamConfig): Required<AdamConfig> => ({
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  tableLrScale: 1,
  tableUpdate: "lazy",
  ...c,
});

function assertNear(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

Deno.test("dense Adam matches a hand-written reference (plain, L2, decoupled)", async () => {
  await initTf();
  const cfgs: AdamConfig[] = [
    { lr: 0.05 },
    { lr: 0.05, weightDecay: 0.1 },
    { lr: 0.05, weightDecay: 0.1, decoupled: true, beta1: 0.8, beta2: 0.99 },
  ];
  const target = [0.5, -1, 2, 0.25, 3, -2];
  const c = [1, 2, 0.5, 3, 1, 0.1];
  for (const cfg of cfgs) {
    const params = new ParamSet();
    const w = params.dense("w", [2, 3], "glorot", new Rng(4));
    const p = Array.from(w.dataSync());
    const opt = new Optimizer(params, cfg);
    const ref = new RefAdam(6, full(cfg));
    const tTarget = tf.tensor2d(target, [2, 3]), tC = tf.tensor2d(c, [2, 3]);
    for (let s = 0; s < 5; s++) {
      const g = p.map((x, i) => 2 * c[i] * (x - target[i]));
      const lossRef = p.reduce((a, x, i) => a + c[i] * (x - target[i]) ** 2, 0);
      const out = opt.step([], () => ({ loss: tf.sum(tf.mul(tC, tf.square(tf.sub(w, tTarget)))) }));
      assert.ok(Math.abs(out.loss - lossRef) < 1e-4, `loss ${out.loss} vs ${lossRef}`);
      ref.step(p, g);
      assertNear(w.dataSync(), p, 1e-5, `w after step ${s + 1} (${JSON.stringify(cfg)})`);
    }
    assert.equal(opt.stepCount, 5);
    tf.dispose([tTarget, tC]);
    opt.dispose();
    params.dispose();
  }
});

Deno.test("lazy Adam: touched rows match the reference, untouched rows are bit-identical", async () => {
  await initTf();
  const params = new ParamSet();
  const dim = 3;
  const table = params.embedding("item", 8, dim, { normal: 1 }, new Rng(2));
  const initial = table.data.slice();
  const cfg = { lr: 0.1, weightDecay: 0.05 };
  const opt = new Optimizer(params, cfg);
  const ref = new RefAdam(8 * dim, full(cfg));
  const p = Array.from(table.data);
  const coef = [[1, -2, 0.5], [0.3, 0.3, -1], [2, 1, 1]];
  // Step 1 touches rows 2 (twice: its gradients accumulate) and 5; step 2 rows 5 and 6.
  for (const ids of [[2, 5, 2], [6, 5, 6]]) {
    const w = tf.tensor2d(coef.flat(), [3, dim]);
    opt.step(
      [{ table, ids: new Int32Array(ids) }],
      ([rows]) => ({ loss: tf.sum(tf.mul(rows, w)) }),
    );
    w.dispose();
    const g = new Array(8 * dim).fill(0);
    ids.forEach((id, k) => coef[k].forEach((cv, j) => g[id * dim + j] += cv));
    const touched = [...new Set(ids)].flatMap((id) => [0, 1, 2].map((j) => id * dim + j));
    ref.step(p, g, touched);
  }
  assertNear(table.data, p, 1e-6, "table");
  for (const row of [0, 1, 3, 4, 7]) {
    for (let j = 0; j < dim; j++) {
      const k = row * dim + j;
      assert.ok(Object.is(table.data[k], initial[k]), `untouched row ${row} changed`);
    }
  }
  assert.notEqual(table.data[2 * dim], initial[2 * dim]);
  opt.dispose();
  params.dispose();
});

Deno.test("a table shared by two lookups gets one leaf: gradients of a shared id add up", async () => {
  await initTf();
  const params = new ParamSet();
  const users = params.embedding("user", 5, 2, { normal: 1 }, new Rng(3));
  const p = Array.from(users.data);
  const opt = new Optimizer(params, { lr: 0.01 });
  const ref = new RefAdam(10, full({ lr: 0.01 }));
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]), b = tf.tensor2d([-1, 0.5, 2, 2], [2, 2]);
  const pos = new Int32Array([1, 2]), neg = new Int32Array([2, 4]);
  const out = opt.step([{ table: users, ids: pos }, { table: users, ids: neg }], ([u, v]) => {
    assert.deepEqual(u.shape, [2, 2]);
    assert.deepEqual(v.shape, [2, 2]);
    return { loss: tf.add(tf.sum(tf.mul(u, a)), tf.sum(tf.mul(v, b))), terms: { pos: tf.sum(u) } };
  });
  assert.ok(Math.abs(out.pos - (p[2] + p[3] + p[4] + p[5])) < 1e-5);
  // One Adam update with the summed gradient for row 2, not two updates.
  const g = new Array(10).fill(0);
  [[1, 0], [2, 1]].forEach(([id, r]) =>
    [0, 1].forEach((j) => g[id * 2 + j] += [1, 2, 3, 4][r * 2 + j])
  );
  [[2, 0], [4, 1]].forEach(([id, r]) =>
    [0, 1].forEach((j) => g[id * 2 + j] += [-1, 0.5, 2, 2][r * 2 + j])
  );
  ref.step(p, g, [2, 3, 4, 5, 8, 9]);
  assertNear(users.data, p, 1e-6, "users");
  tf.dispose([a, b]);
  opt.dispose();
  params.dispose();
});

Deno.test("step leaks no tensors (step 5 vs step 50) and trains an MLP with lookups", async () => {
  await initTf();
  const base = tf.memory().numTensors;
  const rng = new Rng(7);
  const params = new ParamSet();
  const w1 = params.dense("w1", [4, 8], "glorot", rng);
  const b1 = params.dense("b1", [8], "zeros", rng);
  const w2 = params.dense("w2", [8, 1], "glorot", rng);
  const users = params.embedding("user", 20, 4, { normal: 0.1 }, rng);
  const opt = new Optimizer(params, { lr: 0.02, weightDecay: 1e-4, decoupled: true });
  const ids = new Int32Array(16).map((_, i) => i % 20);
  const y = tf.tensor2d(Array.from(ids, (i) => (i % 3) - 1), [16, 1]);
  const losses: number[] = [];
  let at5 = -1;
  for (let s = 1; s <= 50; s++) {
    const out = opt.step([{ table: users, ids }], ([u]) => {
      const h = tf.relu(tf.add(tf.matMul(u, w1), b1));
      const mse = tf.mean(tf.square(tf.sub(tf.matMul(h, w2), y))) as tf.Scalar;
      return { loss: mse, terms: { mse } };
    });
    losses.push(out.loss);
    assert.equal(out.mse, out.loss);
    if (s === 5) at5 = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, at5);
  assert.ok(losses[49] < 0.5 * losses[0], `loss ${losses[0]} -> ${losses[49]}`);
  y.dispose();
  opt.dispose();
  params.dispose();
  assert.equal(tf.memory().numTensors, base, "optimizer and parameters free everything");
});

Deno.test("step rejects foreign tables, bad ids and bad configs, leaking nothing", async () => {
  await initTf();
  const params = new ParamSet();
  const t = params.embedding("user", 3, 2, "zeros", new Rng(1));
  const other = new ParamSet().embedding("x", 3, 2, "zeros", new Rng(1));
  const opt = new Optimizer(params, { lr: 0.1 });
  const before = tf.memory().numTensors;
  const loss = ([r]: tf.Tensor2D[]) => ({ loss: tf.sum(r) as tf.Scalar });
  assert.throws(
    () => opt.step([{ table: other, ids: new Int32Array([0]) }], loss),
    /not in this ParamSet/,
  );
  assert.throws(() => opt.step([{ table: t, ids: new Int32Array([3]) }], loss), RangeError);
  assert.equal(tf.memory().numTensors, before);
  // An error inside the loss function propagates. (TF.js's gradient tape keeps the tensors it
  // saved for the backward pass of the ops run before the throw, so those few are not freed.)
  assert.throws(() =>
    opt.step([{ table: t, ids: new Int32Array([0]) }], () => {
      throw new Error("boom");
    }), /boom/);
  assert.equal(opt.stepCount, 0);
  assert.throws(() => new Optimizer(params, { lr: 0 }), RangeError);
  assert.throws(() => new Optimizer(params, { lr: 0.1, beta1: 1 }), RangeError);
  params.dispose();
});

Deno.test("tableLrScale scales the step of table rows only", async () => {
  await initTf();
  const moved = (scale: number) => {
    const params = new ParamSet();
    const rng = new Rng(11);
    const table = params.embedding("t", 10, 4, { normal: 0.1 }, rng);
    const w = params.dense("w", [4, 1], "glorot", rng);
    const before = table.data.slice(), wBefore = w.dataSync().slice();
    const opt = new Optimizer(params, { lr: 1e-3, tableLrScale: scale });
    opt.step([{ table, ids: Int32Array.from([2, 5]) }], ([r]) => ({
      loss: tf.sum(tf.matMul(r, w)) as tf.Scalar,
    }));
    const dt = Math.abs(table.data[2 * 4] - before[2 * 4]);
    const dw = Math.abs(w.dataSync()[0] - wBefore[0]);
    opt.dispose();
    params.dispose();
    return { dt, dw };
  };
  const one = moved(1), ten = moved(10);
  assert.ok(Math.abs(ten.dt / one.dt - 10) < 1e-3, `${ten.dt} vs ${one.dt}`);
  assert.ok(Math.abs(ten.dw - one.dw) < 1e-9);
  assert.throws(() => new Optimizer(new ParamSet(), { lr: 1e-3, tableLrScale: 0 }), RangeError);
});

Deno.test("step(…, only) updates the listed dense variables and leaves the others", async () => {
  await initTf();
  const params = new ParamSet();
  const rng = new Rng(12);
  const g = params.dense("g", [3], "glorot", rng), d = params.dense("d", [3], "glorot", rng);
  const g0 = g.dataSync().slice(), d0 = d.dataSync().slice();
  const opt = new Optimizer(params, { lr: 0.1 });
  opt.step([], () => ({ loss: tf.sum(tf.mul(g, d)) as tf.Scalar }), [g]);
  assert.notDeepEqual(g.dataSync(), g0);
  assert.deepEqual(d.dataSync(), d0);
  opt.dispose();
  params.dispose();
});

Deno.test("dense table updates: every row of a used table follows PyTorch's dense Adam", async () => {
  await initTf();
  const params = new ParamSet();
  const dim = 3;
  const table = params.embedding("item", 8, dim, { normal: 1 }, new Rng(2));
  const cfg = { lr: 0.1, weightDecay: 0.05, tableUpdate: "dense" as const };
  const opt = new Optimizer(params, cfg);
  const ref = new RefAdam(8 * dim, full(cfg));
  const p = Array.from(table.data);
  const coef = [[1, -2, 0.5], [0.3, 0.3, -1], [2, 1, 1]];
  for (const ids of [[2, 5, 2], [6, 5, 6], [1, 1, 1]]) {
    const w = tf.tensor2d(coef.flat(), [3, dim]);
    opt.step(
      [{ table, ids: new Int32Array(ids) }],
      ([rows]) => ({ loss: tf.sum(tf.mul(rows, w)) }),
    );
    w.dispose();
    const g = new Array(8 * dim).fill(0);
    ids.forEach((id, k) => coef[k].forEach((cv, j) => g[id * dim + j] += cv));
    ref.step(p, g); // every row: zero gradient plus L2 for the untouched, momentum for all
  }
  assertNear(table.data, p, 1e-5, "table");
  opt.dispose();
  params.dispose();
});
