/**
 * Scores of rows against k candidates each, `out[r, j] = ⟨a[r], c[idx[r·k + j]]⟩` (`[n, k]`), as
 * one TF.js op with its own gradient: the form of `pairScores` (ops.ts) when the candidates are
 * too many for one `a · cᵀ` matMul. Gathering `[n·k, d]` copies of the rows and candidates and
 * summing their product costs, on the wasm backend, two JavaScript row gathers forward and two
 * segment sums backward over `n·k·d` floats (a third of a CLCRec step on citeulike-a, where each
 * step meets ~11k distinct items); here forward and backward are each one pass over the pairs.
 * {@linkcode pairDots} runs the SIMD kernel (kernel/pair_dots.ts) where it loaded and
 * {@linkcode pairDotsReference} otherwise; they agree to float rounding (fused multiply-adds and
 * the lanes' partial sums order the additions differently).
 *
 * @example Usage
 * ```ts
 * import { pairDots } from "./pair_dots.ts";
 * const a = tf.tensor2d([[1, 2]]), c = tf.tensor2d([[1, 0], [0, 1]]);
 * pairDots(a, c, new Int32Array([1, 0]), 2).print(); // [[2, 1]]
 * ```
 *
 * @module
 */
import { tf } from "../tf/mod.ts";
import { pairDotsGradSimd, pairDotsKernelStatus, pairDotsSimd } from "./kernel/pair_dots.ts";

/** The TypeScript reference of the scores and their gradient: scalar loops in float64. */
export const pairDotsReference = {
  scores(a: Float32Array, c: Float32Array, idx: Int32Array, n: number, k: number, d: number) {
    const out = new Float32Array(n * k);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) {
        const p = r * k + j, ao = r * d, co = idx[p] * d;
        let s = 0;
        for (let h = 0; h < d; h++) s += a[ao + h] * c[co + h];
        out[p] = s;
      }
    }
    return out;
  },
  grad(
    a: Float32Array,
    c: Float32Array,
    idx: Int32Array,
    dy: Float32Array,
    n: number,
    k: number,
    d: number,
  ) {
    const da = new Float32Array(n * d), dc = new Float32Array(c.length);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) {
        const p = r * k + j, g = dy[p], ao = r * d, co = idx[p] * d;
        for (let h = 0; h < d; h++) {
          da[ao + h] += g * c[co + h];
          dc[co + h] += g * a[ao + h];
        }
      }
    }
    return { da, dc };
  },
};

let simd = pairDotsKernelStatus().available;

/** Chooses the path for this process (tests compare them): `simd` where it loaded, or `reference`. */
export function setPairDotsPath(path: "simd" | "reference"): void {
  if (path === "simd" && !pairDotsKernelStatus().available) {
    throw new Error(`pair-dots SIMD kernel unavailable: ${pairDotsKernelStatus().detail}`);
  }
  simd = path === "simd";
}

/**
 * `[n, k]` scores of each row of `a` (`[n, d]`) against its k candidates among the rows of `c`
 * (`[u, d]`), `idx` row-major `[n, k]`; differentiable w.r.t. `a` and `c`.
 */
export function pairDots(a: tf.Tensor2D, c: tf.Tensor2D, idx: Int32Array, k: number): tf.Tensor2D {
  const [n, d] = a.shape, u = c.shape[0];
  if (idx.length !== n * k) throw new RangeError(`pairDots: ${idx.length} indices for ${n}×${k}`);
  if (c.shape[1] !== d) throw new RangeError(`pairDots: widths ${d} and ${c.shape[1]} differ`);
  for (let p = 0; p < idx.length; p++) {
    if (!(idx[p] >= 0 && idx[p] < u)) {
      throw new RangeError(`pairDots: index ${idx[p]} outside [0, ${u})`);
    }
  }
  const op = tf.customGrad(
    ((x: tf.Tensor2D, y: tf.Tensor2D) => {
      const av = x.dataSync() as Float32Array, cv = y.dataSync() as Float32Array;
      const path = simd ? { scores: pairDotsSimd, grad: pairDotsGradSimd } : pairDotsReference;
      return {
        value: tf.tensor2d(path.scores(av, cv, idx, n, k, d), [n, k]),
        gradFunc: (dy: tf.Tensor2D) => {
          const g = path.grad(av, cv, idx, dy.dataSync() as Float32Array, n, k, d);
          return [tf.tensor2d(g.da, [n, d]), tf.tensor2d(g.dc, [u, d])];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(a, c) as tf.Tensor2D;
}
