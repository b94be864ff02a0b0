import assert from "node:assert/strict";
import { LEAKY_SLOPE } from "../../../nn/mod.ts";
import { Rng } from "../../../rng/mod.ts";
import { initTf, tf } from "../../../tf/mod.ts";
import { mixPairScoresReference } from "../shared_negatives.ts";
import { mixPairScoresKernel, mixPairsForwardHost, mixPairsKernelStatus } from "./mix_pairs.ts";

await initTf();

function uniform(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = 2 * rng.uniform() - 1;
  return a;
}

/** max |a − b| / max(1, |b|). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return d;
}

interface Shape {
  rows: number;
  items: number;
  hidden: number;
  k: number;
}

const SHAPES: Shape[] = [
  { rows: 7, items: 5, hidden: 12, k: 4 }, // M2VAE on lastfm: common + 3 views
  { rows: 3, items: 9, hidden: 6, k: 1 }, // hidden not a multiple of 4
  { rows: 5, items: 4, hidden: 9, k: 6 }, // more matrices than registers
  { rows: 4, items: 3, hidden: 8, k: 0 }, // weighted PoE: nothing to mix
  { rows: 64, items: 32, hidden: 128, k: 3 },
];

function tensors(s: Shape, seed: number) {
  const rng = new Rng(seed), { rows: b, items: n, hidden: h, k } = s;
  return {
    base: tf.tensor2d(uniform(rng, n * h), [n, h]),
    mats: tf.tensor3d(uniform(rng, k * n * h), [k, n, h]),
    coef: tf.tensor3d(uniform(rng, k * b * n), [k, b, n]),
    w: tf.tensor2d(uniform(rng, b * h), [b, h]),
    /** Upstream weights of the scores, a few of them exactly 0 as masked pairs get. */
    up: tf.tensor2d(uniform(rng, b * n).map((x, i) => (i % 5 === 2 ? 0 : x)), [b, n]),
  };
}

function reference(base: tf.Tensor, mats: tf.Tensor, coef: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [k, n, h] = mats.shape, b = w.shape[0];
  const plane = (x: tf.Tensor, j: number, r: number, c: number) =>
    tf.reshape(tf.slice(x, [j, 0, 0], [1, r, c]), [r, c]);
  return mixPairScoresReference(
    base as tf.Tensor2D,
    Array.from({ length: k }, (_, j) => plane(mats, j, n, h) as tf.Tensor2D),
    Array.from({ length: k }, (_, j) => plane(coef, j, b, n)),
    w as tf.Tensor2D,
  );
}

/** The kernel op on untyped tensors (as `tf.grads` passes them). */
function kern(b: tf.Tensor, m: tf.Tensor, c: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return mixPairScoresKernel(
    b as tf.Tensor2D,
    m as tf.Tensor3D,
    c as tf.Tensor3D,
    w as tf.Tensor2D,
    LEAKY_SLOPE,
  );
}

Deno.test("the mixed-pair kernel loads from the committed mix_pairs.wasm", () => {
  const s = mixPairsKernelStatus();
  assert.ok(s.available, s.detail);
});

Deno.test("mixPairsForwardHost: the documented one-pair example", () => {
  const s = mixPairsForwardHost({
    base: Float32Array.of(1, -1),
    mats: Float32Array.of(1, 1),
    k: 1,
    coef: Float32Array.of(0.5),
    w: Float32Array.of(1, 1),
    rows: 1,
    items: 1,
    hidden: 2,
  }, 0.01);
  assert.ok(Math.abs(s[0] - 1.495) < 1e-6, `${s[0]}`);
});

for (const s of SHAPES) {
  const name = `${s.rows} rows × ${s.items} items, hidden ${s.hidden}, k ${s.k}`;
  Deno.test(`mixed-pair kernel: scores and all four gradients equal TF autodiff (${name})`, () => {
    tf.tidy(() => {
      const t = tensors(s, 3);
      const loss =
        (f: typeof reference) => (b: tf.Tensor, m: tf.Tensor, c: tf.Tensor, w: tf.Tensor) =>
          tf.sum(tf.mul(f(b, m, c, w), t.up));
      const inputs = [t.base, t.mats, t.coef, t.w];
      const want = reference(t.base, t.mats, t.coef, t.w).dataSync();
      const got = kern(t.base, t.mats, t.coef, t.w).dataSync();
      assert.ok(maxRelDiff(got, want) <= 1e-5, `scores: ${maxRelDiff(got, want)}`);
      if (s.k > 0) {
        const gw = tf.grads(loss(reference))(inputs);
        const gk = tf.grads(loss(kern))(inputs);
        ["P", "M", "c", "w"].forEach((what, i) => {
          assert.deepEqual(gk[i].shape, inputs[i].shape, `∂${what} shape`);
          const d = maxRelDiff(gk[i].dataSync(), gw[i].dataSync());
          assert.ok(d <= 1e-4, `∂${what}: max relative difference ${d}`);
        });
      } else { // nothing mixed: P and w carry every gradient
        const of = (f: typeof reference) => (b: tf.Tensor, w: tf.Tensor) =>
          loss(f)(b, t.mats, t.coef, w);
        const gw = tf.grads(of(reference))([t.base, t.w]);
        const gk = tf.grads(of(kern))([t.base, t.w]);
        ["P", "w"].forEach((what, i) => {
          const d = maxRelDiff(gk[i].dataSync(), gw[i].dataSync());
          assert.ok(d <= 1e-4, `∂${what}: max relative difference ${d}`);
        });
      }
    });
  });
}

Deno.test("mixed-pair kernel op leaves no tensor behind, forward and backward", () => {
  const t = tensors({ rows: 6, items: 5, hidden: 8, k: 2 }, 4);
  const before = tf.memory().numTensors;
  const g = tf.grads((b: tf.Tensor, m: tf.Tensor, c: tf.Tensor, w: tf.Tensor) =>
    tf.sum(kern(b, m, c, w))
  )([t.base, t.mats, t.coef, t.w]);
  assert.equal(tf.memory().numTensors, before + 4, "only the four gradients remain");
  tf.dispose([...g, t.base, t.mats, t.coef, t.w, t.up]);
});
