import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { rowDot } from "./ops.ts";
import { pairDots, pairDotsReference, setPairDotsPath } from "./pair_dots.ts";
import { pairDotsKernelStatus } from "./kernel/pair_dots.ts";

await initTf();

/** The gathers-and-row-sum form pairDots replaces, under TF.js autodiff. */
function gathered(a: tf.Tensor2D, c: tf.Tensor2D, idx: Int32Array, k: number): tf.Tensor2D {
  const n = a.shape[0];
  const rowOf = Int32Array.from({ length: n * k }, (_, p) => Math.floor(p / k));
  const x = tf.gather(a, tf.tensor1d(rowOf, "int32")) as tf.Tensor2D;
  const y = tf.gather(c, tf.tensor1d(idx, "int32")) as tf.Tensor2D;
  return tf.reshape(rowDot(x, y), [n, k]) as tf.Tensor2D;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return m;
}

const SHAPES = [
  { n: 1, k: 1, u: 1, d: 1 },
  { n: 7, k: 5, u: 3, d: 3 }, // repeated candidates, d below one lane
  { n: 33, k: 4, u: 50, d: 13 }, // d not a multiple of 4
  { n: 64, k: 9, u: 200, d: 64 },
  { n: 20, k: 3, u: 40, d: 8 },
];

for (const path of ["simd", "reference"] as const) {
  Deno.test(`pairDots (${path}) equals gathers and a row sum, values and gradients`, () => {
    if (path === "simd" && !pairDotsKernelStatus().available) {
      throw new Error(`the SIMD kernel must load here: ${pairDotsKernelStatus().detail}`);
    }
    setPairDotsPath(path);
    try {
      const rng = new Rng(3);
      for (const { n, k, u, d } of SHAPES) {
        const a = tf.tensor2d(rng.normalArray(n * d), [n, d]);
        const c = tf.tensor2d(rng.normalArray(u * d), [u, d]);
        const w = tf.tensor2d(rng.normalArray(n * k), [n, k]);
        const idx = Int32Array.from({ length: n * k }, () => rng.int(u));
        const before = tf.memory().numTensors;
        const loss = (f: typeof pairDots) => (x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D, idx, k), w));
        const [fast, slow] = [pairDots, gathered].map((f) =>
          tf.tidy(() => {
            const g = tf.grads(loss(f))([a, c]);
            return [f(a, c, idx, k), ...g].map((t) => t.dataSync() as Float32Array);
          })
        );
        assert.equal(tf.memory().numTensors, before, "no tensor leaks");
        for (let t = 0; t < 3; t++) {
          const diff = maxRelDiff(fast[t], slow[t]);
          assert.ok(diff < 1e-5, `${path} n=${n} k=${k} u=${u} d=${d}: output ${t} off by ${diff}`);
        }
        tf.dispose([a, c, w]);
      }
    } finally {
      setPairDotsPath(pairDotsKernelStatus().available ? "simd" : "reference");
    }
  });
}

Deno.test("pairDots' reference gradient fails a check when it is wrong (the comparison can fail)", () => {
  const rng = new Rng(5);
  const n = 4, k = 3, u = 6, d = 5;
  const a = Float32Array.from(rng.normalArray(n * d)),
    c = Float32Array.from(rng.normalArray(u * d));
  const idx = Int32Array.from({ length: n * k }, () => rng.int(u));
  const dy = Float32Array.from(rng.normalArray(n * k));
  const good = pairDotsReference.grad(a, c, idx, dy, n, k, d);
  // A gradient that drops one pair's contribution differs measurably.
  const dropped = dy.slice();
  dropped[5] = 0;
  const bad = pairDotsReference.grad(a, c, idx, dropped, n, k, d);
  assert.ok(maxRelDiff(bad.dc, good.dc) > 1e-3);
});

Deno.test("pairDots rejects indices outside the candidates and mismatched widths", () => {
  const a = tf.zeros([2, 3]) as tf.Tensor2D, c = tf.zeros([4, 3]) as tf.Tensor2D;
  assert.throws(() => pairDots(a, c, new Int32Array([0, 4]), 1), /outside \[0, 4\)/);
  assert.throws(() => pairDots(a, c, new Int32Array([0]), 1), /1 indices for 2×1/);
  assert.throws(
    () => pairDots(a, tf.zeros([4, 2]) as tf.Tensor2D, new Int32Array([0, 1]), 1),
    /widths/,
  );
  tf.dispose([a, c]);
});
