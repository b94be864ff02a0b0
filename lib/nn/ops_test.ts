import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import {
  l2normalize,
  linear,
  logSumExpRows,
  pairMatmulFits,
  pairScores,
  partsLinear,
  repeatEach,
  rngNoise,
  rowDot,
  rowNorm,
  rows,
  rowSum,
  scatterRows,
  setPairMatmulMax,
  softmaxAcross,
  stopGradient,
} from "./ops.ts";
import { pairDotsKernelStatus } from "./kernel/pair_dots.ts";

await initTf();

Deno.test("row reductions: dot products, sums and norms as [n, 1]", () => {
  tf.tidy(() => {
    const a = tf.tensor2d([[3, 4], [1, -2]]), b = tf.tensor2d([[1, 1], [2, 0]]);
    assert.deepEqual(rowDot(a, b).arraySync(), [[7], [2]]);
    assert.deepEqual(rowSum(a).arraySync(), [[7], [-1]]);
    const n = rowNorm(a).dataSync();
    assert.ok(Math.abs(n[0] - 5) < 1e-6 && Math.abs(n[1] - Math.sqrt(5)) < 1e-6);
  });
});

Deno.test("l2normalize: unit rows, and a zero row stays finite", () => {
  tf.tidy(() => {
    const x = l2normalize(tf.tensor2d([[3, 4], [0, 0]])).arraySync();
    assert.ok(Math.abs(x[0][0] - 0.6) < 1e-6 && Math.abs(x[0][1] - 0.8) < 1e-6);
    assert.deepEqual(x[1], [0, 0]);
  });
});

Deno.test("linear, rows and seeded noise", () => {
  tf.tidy(() => {
    const x = tf.tensor2d([[1, 2]]), w = tf.tensor2d([[1, 0, 2], [0, 1, 1]]);
    assert.deepEqual(linear(x, w).arraySync(), [[1, 2, 4]]);
    assert.deepEqual(linear(x, w, tf.tensor1d([1, 1, 1])).arraySync(), [[2, 3, 5]]);
    const r = rows(tf.tensor2d([[1], [2], [3]]), tf.tensor1d([2, 0], "int32"));
    assert.deepEqual(r.arraySync(), [[3], [1]]);
    const a = rngNoise(new Rng(4))(2, 3), b = rngNoise(new Rng(4))(2, 3);
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual(a.arraySync(), b.arraySync(), "same seed, same noise");
  });
});

Deno.test("scatterRows: unsortedSegmentSum's value and gradient, without its masks", () => {
  tf.tidy(() => {
    const rng = new Rng(3), x = tf.tensor2d(rng.normalArray(7 * 3), [7, 3]);
    const ids = tf.tensor1d([2, 0, 2, 4, 0, 1, 2], "int32"),
      w = tf.tensor2d(rng.normalArray(15), [5, 3]);
    assert.deepEqual(
      scatterRows(x, ids, 5).arraySync(),
      tf.unsortedSegmentSum(x, ids, 5).arraySync(),
    );
    const loss = (f: (t: tf.Tensor2D) => tf.Tensor) => (t: tf.Tensor) =>
      tf.sum(tf.mul(f(t as tf.Tensor2D), w));
    const ours = tf.grad(loss((t) => scatterRows(t, ids, 5)))(x).arraySync();
    const core = tf.grad(loss((t) => tf.unsortedSegmentSum(t, ids, 5)))(x).arraySync();
    assert.deepEqual(ours, core);
  });
});

Deno.test("pairScores: the matMul path equals the row dots it replaces, values and gradients", () => {
  tf.tidy(() => {
    const rng = new Rng(4), n = 5, u = 7, k = 3, d = 4;
    const a = tf.tensor2d(rng.normalArray(n * d), [n, d]);
    const c = tf.tensor2d(rng.normalArray(u * d), [u, d]);
    const idx = Int32Array.from({ length: n * k }, () => rng.int(u));
    const w = tf.tensor2d(rng.normalArray(n * k), [n, k]);
    const rowOf = tf.tensor1d(Array.from(idx, (_, j) => Math.floor(j / k)), "int32");
    const straight = (x: tf.Tensor2D, y: tf.Tensor2D) =>
      tf.reshape(rowDot(tf.gather(x, rowOf), tf.gather(y, tf.tensor1d(idx, "int32"))), [n, k]);
    const run = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor) => {
      const g = tf.grads((x, y) => tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), w)));
      return [f(a, c), ...g([a, c])].map((t) => Array.from(t.dataSync()));
    };
    const expected = run(straight);
    const via = (max: number) => {
      const old = setPairMatmulMax(max);
      try {
        return run((x, y) => pairScores(x, y, idx, k));
      } finally {
        setPairMatmulMax(old);
      }
    };
    const viaMatmul = via(4096), viaDots = via(0);
    for (const got of [viaMatmul, viaDots]) {
      got.forEach((xs, t) =>
        xs.forEach((x, j) => assert.ok(Math.abs(x - expected[t][j]) < 1e-5, `${t} ${j}`))
      );
    }
    assert.throws(() => pairScores(a, c, idx.subarray(1), k), RangeError);
  });
});

Deno.test("logSumExpRows: tf.logSumExp's values and gradient, stable at large logits", () => {
  tf.tidy(() => {
    const rng = new Rng(9);
    const x = tf.tensor2d(rng.normalArray(6 * 7).map((v) => 3 * v), [6, 7]);
    const w = tf.tensor2d(rng.normalArray(6), [6, 1]);
    const f = (g: (t: tf.Tensor2D) => tf.Tensor) =>
      tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(g(t as tf.Tensor2D), w)));
    const got = f(logSumExpRows)(x), want = f((t) => tf.logSumExp(t, 1, true))(x);
    const close = (a: tf.Tensor, b: tf.Tensor) =>
      a.dataSync().forEach((v, k) => assert.ok(Math.abs(v - b.dataSync()[k]) < 1e-5, `${v}`));
    close(got.value, want.value);
    close(got.grad, want.grad);
    const big = logSumExpRows(tf.tensor2d([[1000, 1000], [-1000, -1000]])).dataSync();
    assert.ok(Math.abs(big[0] - 1000.6931) < 1e-3 && Math.abs(big[1] + 999.3069) < 1e-3);
  });
});

Deno.test("partsLinear: the concatenated product and its gradients, part by part", () => {
  const rng = new Rng(3);
  const draw = (r: number, c: number) =>
    tf.tensor2d(Float32Array.from({ length: r * c }, () => rng.normal()), [r, c]);
  const learned = draw(5, 2), fixed = [draw(5, 3), draw(5, 4)], w = draw(9, 6), b = draw(1, 6);
  const loss = (cat: boolean) => (a: tf.Tensor, wv: tf.Tensor) => {
    const parts = [fixed[0], a as tf.Tensor2D, fixed[1]];
    const y = cat ? linear(tf.concat(parts, 1) as tf.Tensor2D, wv, b) : partsLinear(parts, wv, b);
    return tf.sum(tf.square(y)) as tf.Scalar;
  };
  const [ga, gw] = tf.grads(loss(true))([learned, w]);
  const [pa, pw] = tf.grads(loss(false))([learned, w]);
  const close = (x: tf.Tensor, y: tf.Tensor) =>
    assert.ok(tf.max(tf.abs(tf.sub(x, y))).dataSync()[0] < 1e-4);
  close(loss(true)(learned, w), loss(false)(learned, w));
  close(ga, pa);
  close(gw, pw);
  assert.throws(() => partsLinear(fixed, w), /7 columns, w has 9 rows/);
});

Deno.test("repeatEach repeats each row index k times, in order", () => {
  assert.deepEqual([...repeatEach(3, 2)], [0, 0, 1, 1, 2, 2]);
  assert.deepEqual([...repeatEach(2, 1)], [0, 1]);
  assert.equal(repeatEach(0, 4).length, 0);
});

Deno.test("softmaxAcross equals a softmax over a stacked last axis, values and gradients", () => {
  tf.tidy(() => {
    const xs = [
      tf.tensor2d([[1, -2], [30, 0.5]]),
      tf.tensor2d([[0, 3], [-30, 0.5]]),
      tf.tensor2d([[2, 1], [29, 0.4]]),
    ];
    const up = tf.tensor3d([[[1, 2, 3], [0, 1, 0]], [[-1, 0.5, 2], [3, 1, 1]]]);
    const viaStack = (...a: tf.Tensor[]) => tf.softmax(tf.stack(a, 2));
    const across = (...a: tf.Tensor[]) => tf.stack(softmaxAcross(a), 2);
    const want = viaStack(...xs), got = across(...xs);
    const d = tf.max(tf.abs(tf.sub(want, got))).dataSync()[0];
    assert.ok(d < 1e-6, `values differ by ${d}`);
    const gw = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(viaStack(...a), up)))(xs);
    const ga = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(across(...a), up)))(xs);
    gw.forEach((g, i) => {
      const e = tf.max(tf.abs(tf.sub(g, ga[i]))).dataSync()[0];
      assert.ok(e < 1e-5, `gradient ${i} differs by ${e}`);
    });
    assert.deepEqual(softmaxAcross([]), []);
    assert.deepEqual([...softmaxAcross([tf.scalar(5)])[0].dataSync()], [1]);
  });
});

Deno.test("stopGradient: the value passes, the gradient does not", () => {
  const x = tf.tensor1d([3, -2]);
  assert.deepEqual(Array.from(stopGradient(x).dataSync()), [3, -2]);
  // d/dx Σ x · stop(x) = stop(x): the stopped factor contributes nothing.
  const g = tf.grad((t) => tf.sum(tf.mul(t, stopGradient(t))))(x);
  assert.deepEqual(Array.from(g.dataSync()), [3, -2]);
  const free = tf.grad((t) => tf.sum(tf.mul(t, t)))(x);
  assert.deepEqual(Array.from(free.dataSync()), [6, -4]);
  tf.dispose([x, g, free]);
});

Deno.test("pairMatmulFits: with the pair-dots kernel loaded the row dots take every candidate count", () => {
  const loaded = pairDotsKernelStatus().available;
  for (const u of [1, 100, 4096]) assert.equal(pairMatmulFits(u), !loaded, `${u}`);
  assert.equal(pairMatmulFits(4097), false);
  const old = setPairMatmulMax(4096);
  try {
    assert.ok(pairMatmulFits(4096) && !pairMatmulFits(4097));
  } finally {
    setPairMatmulMax(old);
  }
});
