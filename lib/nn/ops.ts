/**
 * Small tensor helpers shared by the models, written for the TF.js wasm backend: row reductions
 * go through a matMul with a ones vector (cheaper there than `sum`/`norm`, whose Pow kernel is
 * slow).
 *
 * @example Cosine similarity of paired rows
 * ```ts
 * import { l2normalize, rowDot } from "./lib/nn/mod.ts";
 * const a = tf.tensor2d([[3, 4], [1, 0]]), b = tf.tensor2d([[4, 3], [0, 2]]);
 * rowDot(l2normalize(a), l2normalize(b)).print(); // [[0.96], [0]]
 * ```
 *
 * @module
 */
import { tf } from "../tf/mod.ts";
import type { Rng } from "../rng/mod.ts";
import { pairDotsKernelStatus } from "./kernel/pair_dots.ts";
import { pairDots } from "./pair_dots.ts";

/** Row-wise dot products of two same-shape matrices, as `[n, 1]`. */
export function rowDot(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.mul(a, b), tf.ones([a.shape[1], 1]));
}

/** Row sums of a matrix, as `[n, 1]`. */
export function rowSum(a: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, tf.ones([a.shape[1], 1]));
}

/** Row L2 norms √(Σx² + 1e-24) as `[n, 1]` (a zero row stays finite thanks to the floor). */
export function rowNorm(x: tf.Tensor2D): tf.Tensor2D {
  return tf.sqrt(tf.add(rowDot(x, x), 1e-24));
}

/** Rows scaled to unit L2 norm (a zero row stays finite thanks to the 1e-24 floor). */
export function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, rowNorm(x));
}

/**
 * `out[s] = Σ x[k]` over the rows `k` with `ids[k] = s`, `[n, d]`: `tf.unsortedSegmentSum` with
 * ids that are all in `[0, n)`, whose gradient is then a plain row gather. TF.js core's gradient
 * also masks a `[rows, d]` copy for negative ids (a broadcast `LogicalAnd` and a `Select`, about
 * 40× the cost of the gather on the wasm backend), which never applies here.
 */
export function scatterRows(x: tf.Tensor2D, ids: tf.Tensor1D, n: number): tf.Tensor2D {
  const op = tf.customGrad((t, save) => {
    (save as tf.GradSaveFunc)([ids]);
    return {
      value: tf.unsortedSegmentSum(t as tf.Tensor2D, ids, n),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => tf.gather(dy, saved[0] as tf.Tensor1D),
    };
  });
  return op(x) as tf.Tensor2D;
}

/**
 * Row-wise log-sum-exp `log Σ_j exp(x[:, j])`, `[n, 1]`, stable (the row max is subtracted), with
 * the gradient `dy · softmax(x)`. Same values as `tf.logSumExp(x, 1, true)`; TF.js core's gradient
 * instead runs back through the max, whose gradient is a broadcast `Equal` mask that the wasm
 * backend computes element by element (about 9 ms for a `[1024, 128]` row set, more than the
 * loss itself) and which contributes exactly zero.
 *
 * @example Usage
 * ```ts
 * logSumExpRows(tf.tensor2d([[0, 0], [1000, 1000]])).print(); // [[0.6931], [1000.6931]]
 * ```
 */
export function logSumExpRows(x: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((t, save) => {
    const v = t as tf.Tensor2D;
    const m = tf.max(v, 1, true);
    const lse = tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(v, m)), 1, true))) as tf.Tensor2D;
    (save as tf.GradSaveFunc)([v, lse]);
    return {
      value: lse,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        tf.mul(dy, tf.exp(tf.sub(saved[0], saved[1]))),
    };
  });
  return op(x) as tf.Tensor2D;
}

/**
 * Candidate sets larger than this make {@linkcode pairScores} (and the co-occurrence losses) use
 * row dots, not a `[n, U]` matMul. With the SIMD pair-dots kernel loaded the row dots are faster
 * at every size measured — forward and backward at n 1024: 3× at U 250, d 128, k 50; 10× at U
 * 1000; 16× at U 4000; 5–10× at d 64, k 129; 7–57× at k 10 (docs/speed.md) —
 * so the matMul is taken only without it, up to 4096 candidates, where it beats the TypeScript
 * row dots.
 */
let pairMatmulMax = pairDotsKernelStatus().available ? 0 : 4096;

/**
 * Sets the largest candidate count for which {@linkcode pairScores} takes the `[n, U]` matMul
 * (0 by default where the pair-dots kernel loaded, else 4096; 0 forces the row-dot path and a
 * large value the matMul, as tests comparing both paths do). Returns the previous value.
 */
export function setPairMatmulMax(n: number): number {
  const old = pairMatmulMax;
  pairMatmulMax = n;
  return old;
}

/** Whether scores against `u` distinct candidates take the `[n, U]` matMul (else row dots). */
export function pairMatmulFits(u: number): boolean {
  return u <= pairMatmulMax;
}

/**
 * `a · cᵀ` (`[n, U]`) whose gradient w.r.t. `c` is `(aᵀ · dy)ᵀ`: the same products as TF.js's
 * `dyᵀ · a`, but the wasm backend then transposes the narrow `a` and the `[d, U]` result rather
 * than the `[n, U]` gradient (about 3× faster at n = 1024, U = 1000, d = 64).
 */
function scoreMatMul(a: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(
    ((x: tf.Tensor2D, y: tf.Tensor2D, save: tf.GradSaveFunc) => {
      save([x, y]);
      return {
        value: tf.matMul(x, y, false, true),
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
          tf.matMul(dy, saved[1] as tf.Tensor2D),
          tf.transpose(tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy)),
        ],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(a, c) as tf.Tensor2D;
}

/**
 * `out[r, j] = ⟨a[r], c[idx[r·k + j]]⟩`, `[n, k]`: row r of `a` against k of the candidate rows
 * `c` (`[U, d]`), `idx` row-major `[n, k]`: the row dots as one pass over the pairs each way
 * (`pairDots`, pair_dots.ts), or, where the pair-dots kernel did not load and there are at most
 * 4096 candidates, one `a · cᵀ` matMul (`[n, U]`) and a gather of its entries, cheaper then than
 * the TypeScript row dots it equals (up to float rounding); see {@linkcode setPairMatmulMax}.
 */
export function pairScores(
  a: tf.Tensor2D,
  c: tf.Tensor2D,
  idx: Int32Array,
  k: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const n = a.shape[0], u = c.shape[0];
    if (idx.length !== n * k) {
      throw new RangeError(`pairScores: ${idx.length} indices for ${n} rows of ${k}`);
    }
    if (pairMatmulFits(u)) {
      const f = new Int32Array(idx.length);
      for (let j = 0; j < idx.length; j++) f[j] = Math.floor(j / k) * u + idx[j];
      const flat = tf.reshape(scoreMatMul(a, c), [-1]);
      return tf.reshape(tf.gather(flat, tf.tensor1d(f, "int32")), [n, k]) as tf.Tensor2D;
    }
    return pairDots(a, c, idx, k);
  });
}

/**
 * `[0 × k, 1 × k, …, (n − 1) × k]`: each of n row indices repeated k times, to gather a row once
 * per each of its k candidates.
 *
 * @example
 * ```ts
 * repeatEach(2, 3); // Int32Array [0, 0, 0, 1, 1, 1]
 * ```
 */
export function repeatEach(n: number, k: number): Int32Array {
  const out = new Int32Array(n * k);
  for (let r = 0; r < n; r++) out.fill(r, r * k, r * k + k);
  return out;
}

/**
 * The softmax across a list of same-shaped tensors, element by element: out_v = e^{x_v − m} /
 * Σ_u e^{x_u − m} with m the elementwise maximum. Equal to stacking on a new last axis, a
 * softmax and unstacking, without the per-element copies that stack and unstack along the
 * last axis cost on the wasm backend (and in their gradients).
 *
 * @example
 * ```ts
 * const [a, b] = softmaxAcross([tf.tensor1d([0, 2]), tf.tensor1d([0, 0])]);
 * a.print(); // [0.5, 0.8808]
 * ```
 */
export function softmaxAcross(xs: tf.Tensor[]): tf.Tensor[] {
  if (xs.length === 0) return [];
  const m = xs.slice(1).reduce((a, b) => tf.maximum(a, b), xs[0]);
  const e = xs.map((x) => tf.exp(tf.sub(x, m)));
  const total = e.length === 1 ? e[0] : tf.addN(e);
  return e.map((x) => tf.div(x, total));
}

/**
 * `x` itself forward, with no gradient back to it: what a term computed from it may not train.
 * TF.js has no stop-gradient op; this is an identity whose gradient is zero.
 *
 * @example Usage
 * ```ts
 * const g = tf.grad((x) => tf.sum(tf.mul(x, stopGradient(x))))(tf.tensor1d([3]));
 * g.print(); // [3]: only the first factor's path
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((t) => ({
    value: tf.clone(t as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return op(x) as T;
}

/** Rows of `x` at `idx` (axis-0 gather). */
export function rows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  return tf.gather(x, idx) as tf.Tensor2D;
}

/** `x W + b` for a 2-D input. */
export function linear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, w as tf.Tensor2D);
  return (b === undefined ? y : tf.add(y, b)) as tf.Tensor2D;
}

/**
 * `linear(concat(parts, 1), w, b)` without forming the concatenation: Σ_p x_p·W_p (+ b), where
 * W_p are the rows of `w` matching part p. The same product up to float summation order, but
 * the backward pass takes the gradient of only those parts that depend on trainable variables:
 * with one concatenated input, autodiff computes dL/dx for every column — for a content input
 * of a small learned attribute embedding beside ~1,000 constant modality columns, a second
 * matMul as large as the forward one that is then thrown away.
 *
 * @example
 * ```ts
 * const y = partsLinear([tf.ones([2, 1]), tf.ones([2, 2])], tf.ones([3, 4])); // [2, 4] of 3s
 * ```
 */
export function partsLinear(parts: tf.Tensor2D[], w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const cols = parts.reduce((s, x) => s + x.shape[1], 0);
  if (cols !== w.shape[0]) {
    throw new RangeError(`partsLinear: parts have ${cols} columns, w has ${w.shape[0]} rows`);
  }
  let at = 0, y: tf.Tensor | null = null;
  for (const x of parts) {
    const wp = parts.length === 1 ? w : tf.slice(w, [at, 0], [x.shape[1], -1]);
    const xy = tf.matMul(x, wp as tf.Tensor2D);
    y = y === null ? xy : tf.add(y, xy);
    at += x.shape[1];
  }
  return (b === undefined ? y! : tf.add(y!, b)) as tf.Tensor2D;
}

/**
 * Leaky-ReLU slope of the models' hidden layers: PyTorch's `nn.LeakyReLU()` default, which the
 * ported originals use (TF.js's `leakyRelu` defaults to 0.2).
 */
export const LEAKY_SLOPE = 0.01;

/** A source of standard-normal noise tensors (reparameterisation). */
export type NoiseSource = (n: number, d: number) => tf.Tensor2D;

/** Standard-normal noise drawn from a seeded `Rng` (same seed → same noise). */
export function rngNoise(rng: Rng): NoiseSource {
  return (n, d) => tf.tensor2d(rng.normalArray(n * d), [n, d]);
}
