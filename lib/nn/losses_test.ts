import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import {
  bceOne,
  bceZero,
  bprUsers,
  coOccurrenceLoss,
  coOccurrenceLosses,
  gateBalance,
  gaussianKl,
  inBatchNce,
  infoNceFirst,
  nceToColumns,
  reconstruction,
  standardKl,
} from "./losses.ts";
import { setPairMatmulMax } from "./ops.ts";

await initTf();

Deno.test("Gaussian KL agrees with a Monte-Carlo estimate", () => {
  const rng = new Rng(3);
  const d = 3;
  const q = { mu: [0.3, -1, 2], lv: [-0.5, 0.2, 0.1] };
  const p = { mu: [0, -0.5, 1.5], lv: [0.3, -0.2, 0.4] };
  const kl = tf.tidy(() =>
    gaussianKl(
      { mu: tf.tensor2d(q.mu, [1, d]), logVar: tf.tensor2d(q.lv, [1, d]) },
      { mu: tf.tensor2d(p.mu, [1, d]), logVar: tf.tensor2d(p.lv, [1, d]) },
    ).dataSync()[0]
  );
  // E_q[log q(x) − log p(x)] over 200k samples.
  const logN = (x: number, mu: number, lv: number) =>
    -0.5 * (Math.log(2 * Math.PI) + lv + (x - mu) ** 2 / Math.exp(lv));
  let sum = 0;
  const n = 200_000;
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < d; j++) {
      const x = q.mu[j] + Math.exp(q.lv[j] / 2) * rng.normal();
      sum += logN(x, q.mu[j], q.lv[j]) - logN(x, p.mu[j], p.lv[j]);
    }
  }
  const mc = sum / n;
  assert.ok(Math.abs(kl - mc) < 0.02, `KL ${kl} vs Monte-Carlo ${mc}`);
  assert.ok(kl > 0.3, `KL ${kl} should be clearly positive here`);
});

Deno.test("standard KL equals KL against N(0, I); reconstruction and BPR values", () => {
  const [a, b, r, bpr] = tf.tidy(() => {
    const q = {
      mu: tf.tensor2d([0.5, -1, 0, 2], [2, 2]),
      logVar: tf.tensor2d([0.1, -0.3, 0.7, 0], [2, 2]),
    };
    const zero = { mu: tf.zeros([2, 2]) as tf.Tensor2D, logVar: tf.zeros([2, 2]) as tf.Tensor2D };
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]), y = tf.tensor2d([0, 2, 3, 1], [2, 2]);
    const e = tf.tensor2d([1, 0], [1, 2]), u = tf.tensor2d([2, 0], [1, 2]);
    const un = tf.tensor2d([1, 5], [1, 2]);
    return [standardKl(q), gaussianKl(q, zero), reconstruction(x, y), bprUsers(e, u, un)]
      .map((t) => t.dataSync()[0]);
  });
  assert.ok(Math.abs(a - b) < 1e-5);
  assert.ok(Math.abs(r - (1 + 9) / 2) < 1e-5);
  assert.ok(Math.abs(bpr - Math.log(1 + Math.exp(-(2 - 1)))) < 1e-5);
});

/** Plain-JS reference of the co-occurrence loss. */
function coReference(
  a: number[][],
  c: number[][],
  pos: Int32Array,
  neg: Int32Array,
  cp: number,
  cn: number,
  tau: number,
): number {
  const cos = (x: number[], y: number[]) => {
    let d = 0, nx = 0, ny = 0;
    for (let k = 0; k < x.length; k++) (d += x[k] * y[k], nx += x[k] ** 2, ny += y[k] ** 2);
    return d / Math.sqrt(nx * ny);
  };
  let total = 0;
  for (let r = 0; r < a.length; r++) {
    let negSum = 0;
    for (let n = 0; n < cn; n++) negSum += Math.exp(cos(a[r], c[neg[r * cn + n]]) / tau);
    for (let p = 0; p < cp; p++) {
      const e = Math.exp(cos(a[r], c[pos[r * cp + p]]) / tau);
      total += -Math.log(e / (e + negSum));
    }
  }
  return total / (a.length * cp);
}

for (const [candidates, max] of [[20, 4096], [20, 0], [4101, 4096]]) {
  Deno.test(`co-occurrence InfoNCE matches a reference (${candidates} candidates, matMul up to ${max})`, () => {
    const old = setPairMatmulMax(max);
    try {
      const rng = new Rng(candidates);
      const b = 4, d = 3, cp = 2, cn = 3, tau = 0.5;
      const a = Array.from({ length: b }, () => Array.from(rng.normalArray(d)));
      const c = Array.from({ length: candidates }, () => Array.from(rng.normalArray(d)));
      const pos = Int32Array.from({ length: b * cp }, () => rng.int(candidates));
      const neg = Int32Array.from({ length: b * cn }, () => rng.int(candidates));
      const got = tf.tidy(() =>
        coOccurrenceLoss(tf.tensor2d(a), tf.tensor2d(c), pos, neg, cp, cn, tau).dataSync()[0]
      );
      const want = coReference(a, c, pos, neg, cp, cn, tau);
      assert.ok(Math.abs(got - want) < 1e-4, `${got} vs ${want}`);
    } finally {
      setPairMatmulMax(old);
    }
  });
}

Deno.test("free bits: each dimension's mean KL is floored, and a floored dimension gets no gradient", () => {
  const mu = tf.tensor2d([[0.01, 2], [-0.01, 2]]), lv = tf.zeros([2, 2]);
  const plain = tf.tidy(() => standardKl({ mu, logVar: lv as tf.Tensor2D }).dataSync()[0]);
  // Dimension 0: KL 0.5·1e-4 per row; dimension 1: 2 per row.
  assert.ok(Math.abs(plain - (0.5e-4 + 2)) < 1e-5);
  const floored = tf.tidy(() => standardKl({ mu, logVar: lv as tf.Tensor2D }, 0.5).dataSync()[0]);
  assert.ok(Math.abs(floored - 2.5) < 1e-5);
  const g = tf.tidy(() =>
    tf.grad((m) => standardKl({ mu: m as tf.Tensor2D, logVar: lv as tf.Tensor2D }, 0.5))(mu)
      .arraySync() as number[][]
  );
  assert.equal(g[0][0], 0);
  assert.ok(g[0][1] > 0.5);
  tf.dispose([mu, lv]);
});

Deno.test("InfoNCE with the positive first and BCE on logits match their closed forms", () => {
  const [nce, one, zero] = tf.tidy(() => {
    const logits = tf.tensor2d([[2, 0, 1], [0, 1, 1]]);
    const x = tf.tensor1d([0.5, -2]);
    return [infoNceFirst(logits), bceOne(x), bceZero(x)].map((t) => t.dataSync()[0]);
  });
  const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
  const want = ((lse([2, 0, 1]) - 2) + (lse([0, 1, 1]) - 0)) / 2;
  assert.ok(Math.abs(nce - want) < 1e-5, `${nce} vs ${want}`);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  assert.ok(Math.abs(one - -(Math.log(sig(0.5)) + Math.log(sig(-2))) / 2) < 1e-5);
  assert.ok(Math.abs(zero - -(Math.log(1 - sig(0.5)) + Math.log(1 - sig(-2))) / 2) < 1e-5);
});

Deno.test("coOccurrenceLosses: one set of logits gives each positive set's coOccurrenceLoss", () => {
  for (const max of [4096, 0]) { // pairScores' matMul path, then its row dots
    const old = setPairMatmulMax(max);
    try {
      tf.tidy(() => {
        const rng = new Rng(11), b = 5, d = 4, u = 9, cp = 3, cn = 4, tau = 0.3;
        const a = tf.tensor2d(rng.normalArray(b * d), [b, d]);
        const c = tf.tensor2d(rng.normalArray(u * d), [u, d]);
        const draw = (n: number) => Int32Array.from({ length: n }, () => rng.int(u));
        const pos = draw(b * cp), self = draw(b), neg = draw(b * cn);
        const total = (ls: tf.Scalar[]) => tf.add(ls[0], tf.mul(2, ls[1])) as tf.Scalar;
        const run = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar[]) => {
          const g = tf.grads((x, y) => total(f(x as tf.Tensor2D, y as tf.Tensor2D)));
          return [...f(a, c), ...g([a, c])].map((t) => Array.from(t.dataSync()));
        };
        const want = run((x, y) => [
          coOccurrenceLoss(x, y, pos, neg, cp, cn, tau),
          coOccurrenceLoss(x, y, self, neg, 1, cn, tau),
        ]);
        const got = run((x, y) =>
          coOccurrenceLosses(x, y, [{ idx: pos, k: cp }, { idx: self, k: 1 }], neg, cn, tau)
        );
        got.forEach((xs, t) =>
          xs.forEach((x, j) =>
            assert.ok(Math.abs(x - want[t][j]) <= 1e-5 * Math.max(1, Math.abs(want[t][j])))
          )
        );
      });
    } finally {
      setPairMatmulMax(old);
    }
  }
});

Deno.test("inBatchNce: softmax over the batch's columns, repeated keys masked, extra negatives", () => {
  const scores = [[2, 0, 1], [0, 1, 3], [1, 1, 0.5]];
  const extra = [[0.5], [-1], [2]];
  const [plain, masked, withExtra] = tf.tidy(() => {
    const s = tf.tensor2d(scores), e = tf.tensor2d(extra);
    return [
      inBatchNce(s, new Int32Array([0, 1, 2]), 0.5),
      inBatchNce(s, new Int32Array([7, 8, 7]), 0.5), // rows 0 and 2 hold the same entity
      inBatchNce(s, new Int32Array([0, 1, 2]), 0.5, e),
    ].map((t) => t.dataSync()[0]);
  });
  const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v / 0.5), 0));
  const row = (r: number, cols: number[]) =>
    lse(cols.map((c) => scores[r][c])) - scores[r][r] / 0.5;
  const want = (row(0, [0, 1, 2]) + row(1, [0, 1, 2]) + row(2, [0, 1, 2])) / 3;
  assert.ok(Math.abs(plain - want) < 1e-5, `${plain} vs ${want}`);
  const wantMasked = (row(0, [0, 1]) + row(1, [0, 1, 2]) + row(2, [1, 2])) / 3;
  assert.ok(Math.abs(masked - wantMasked) < 1e-5, `${masked} vs ${wantMasked}`);
  const ext = (r: number) =>
    Math.log([...scores[r], extra[r][0]].reduce((a, v) => a + Math.exp(v / 0.5), 0)) -
    scores[r][r] / 0.5;
  const wantExtra = (ext(0) + ext(1) + ext(2)) / 3;
  assert.ok(Math.abs(withExtra - wantExtra) < 1e-5, `${withExtra} vs ${wantExtra}`);
  assert.throws(
    () => inBatchNce(tf.zeros([2, 3]) as tf.Tensor2D, new Int32Array(2), 1),
    /\[B, B\]/,
  );
});

Deno.test("nceToColumns: cross-entropy of each row's target column, ln C at uniform scores", () => {
  const uniform = nceToColumns(tf.zeros([3, 4]) as tf.Tensor2D, Int32Array.of(0, 1, 3), 1);
  assert.ok(Math.abs(uniform.dataSync()[0] - Math.log(4)) < 1e-6);
  // Row 0 targets column 1: −log softmax([1, 3] / 2)[1] = log(1 + e^{−1}).
  const s = tf.tensor2d([[1, 3]]);
  const got = nceToColumns(s, Int32Array.of(1), 2).dataSync()[0];
  assert.ok(Math.abs(got - Math.log(1 + Math.exp(-1))) < 1e-6, `${got}`);
  assert.throws(() => nceToColumns(s, Int32Array.of(2), 1), /target 2 of row 0 outside \[0, 2\)/);
  assert.throws(() => nceToColumns(s, Int32Array.of(0, 1), 1), /2 targets for 1 rows/);
});

Deno.test("gateBalance: 0 when experts are used equally on average, V − 1 at collapse; pulls the batch mean to 1/V", () => {
  const v = (t: tf.Tensor) => t.dataSync()[0];
  // Rows disagree but the mean is even: no penalty.
  assert.ok(Math.abs(v(gateBalance(tf.tensor2d([[0.9, 0.1], [0.1, 0.9]])))) < 1e-7);
  // Every row on expert 0 of 3: V · ((2/3)² + 2 (1/3)²) = 2.
  assert.ok(Math.abs(v(gateBalance(tf.tensor2d([[1, 0, 0], [1, 0, 0]]))) - 2) < 1e-6);
  // Its gradient through a softmax lowers the over-used expert's logit in every row.
  const logits = tf.tensor2d([[2, 0, 0], [1, 0.5, 0]]);
  const g = tf.grad((x: tf.Tensor) => gateBalance(tf.softmax(x) as tf.Tensor2D))(logits);
  const gs = g.arraySync() as number[][];
  assert.ok(gs[0][0] > 0 && gs[1][0] > 0, `over-used expert's gradient ${gs.map((r) => r[0])}`);
  tf.dispose([logits, g]);
});
