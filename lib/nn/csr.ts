/**
 * Compressed sparse rows of a message list, and the row sum over them that the graph models'
 * mean aggregation (lib/models/common/graph.ts) runs forward and, over the reversed messages,
 * backward. {@linkcode csrSum} runs the SIMD kernel (kernel/csr_sum.ts) where it loaded and
 * the TypeScript reference otherwise; both add the same numbers in the same order.
 *
 * @example Usage
 * ```ts
 * import { csrSum, edgeCsr } from "./csr.ts";
 * // messages 0→1, 2→1, 1→0 over 3 nodes, grouped by destination
 * const g = edgeCsr(new Int32Array([1, 1, 0]), new Int32Array([0, 2, 1]), 3);
 * const x = new Float32Array([1, 10, 100]); // d = 1
 * csrSum(x, 1, g, 3); // [10, 101, 0]
 * ```
 *
 * @module
 */
import { tf } from "../tf/mod.ts";
import { csrSumKernelStatus, csrSumSimd } from "./kernel/csr_sum.ts";

/**
 * Messages grouped by one end: those of node v are `col[ptr[v] … ptr[v + 1])`, the other ends,
 * in message order (a stable counting sort).
 */
export interface EdgeCsr {
  ptr: Int32Array;
  col: Int32Array;
}

/** {@linkcode EdgeCsr} of the messages keyed by `key` (in `[0, n)`), listing `other`. */
export function edgeCsr(key: Int32Array, other: Int32Array, n: number): EdgeCsr {
  const ptr = new Int32Array(n + 1), col = new Int32Array(key.length);
  for (let e = 0; e < key.length; e++) ptr[key[e] + 1]++;
  for (let v = 0; v < n; v++) ptr[v + 1] += ptr[v];
  const at = ptr.slice(0, n);
  for (let e = 0; e < key.length; e++) col[at[key[e]]++] = other[e];
  return { ptr, col };
}

/** The TypeScript reference of {@linkcode csrSum}: a scalar loop. */
export function csrSumReference(
  x: Float32Array,
  d: number,
  g: EdgeCsr,
  n: number,
): Float32Array {
  const out = new Float32Array(n * d), { ptr, col } = g;
  for (let v = 0; v < n; v++) {
    const o = v * d;
    for (let p = ptr[v]; p < ptr[v + 1]; p++) {
      const s = col[p] * d;
      for (let j = 0; j < d; j++) out[o + j] += x[s + j];
    }
  }
  return out;
}

const simd = csrSumKernelStatus().available;

/**
 * `out[v] = Σ x[c]` over c in v's list of `g`, added in list order: `[n, d]` from `x` `[rows, d]`
 * (the SIMD kernel where it loaded, else {@linkcode csrSumReference}; the same floats either way).
 */
export function csrSum(x: Float32Array, d: number, g: EdgeCsr, n: number): Float32Array {
  return simd ? csrSumSimd(x, d, g.ptr, g.col, n) : csrSumReference(x, d, g, n);
}

/** A message list from `numSrc` rows to `numDst` rows, grouped both ways (see {@linkcode messageSum}). */
export interface Messages {
  numSrc: number;
  numDst: number;
  /** By destination: the forward sums. */
  byDst: EdgeCsr;
  /** By source: the sums of the gradient. */
  bySrc: EdgeCsr;
}

/** {@linkcode Messages} of the messages `src[e] → dst[e]`. */
export function messages(
  src: Int32Array,
  dst: Int32Array,
  numSrc: number,
  numDst: number,
): Messages {
  return {
    numSrc,
    numDst,
    byDst: edgeCsr(dst, src, numDst),
    bySrc: edgeCsr(src, dst, numSrc),
  };
}

/**
 * `out[v] = Σ x[src[e]]` over the messages e with `dst[e] = v`, `[numDst, d]`: what
 * `scatterRows(gatherRows(x, src), dst, numDst)` computes (ops.ts, lib/tf), with the same
 * additions in the same order (so the same floats), in one pass over the messages without the
 * `[messages, d]` intermediate and its gather and segment sum in JavaScript; its gradient is the
 * same sum over the reversed messages. Used by the graph models' aggregation and the attribute
 * bags' mean pooling.
 *
 * @example Usage
 * ```ts
 * import { messageSum, messages } from "./csr.ts";
 * // rows 0 and 2 of x into output row 0, row 1 into output row 1
 * const m = messages(new Int32Array([0, 2, 1]), new Int32Array([0, 0, 1]), 3, 2);
 * messageSum(tf.tensor2d([[1], [10], [100]]), m).print(); // [[101], [10]]
 * ```
 */
export function messageSum(x: tf.Tensor2D, m: Messages): tf.Tensor2D {
  const d = x.shape[1];
  const op = tf.customGrad((t) => {
    const xv = (t as tf.Tensor2D).dataSync() as Float32Array;
    return {
      value: tf.tensor2d(csrSum(xv, d, m.byDst, m.numDst), [m.numDst, d]),
      gradFunc: (dy: tf.Tensor2D) =>
        tf.tensor2d(csrSum(dy.dataSync() as Float32Array, d, m.bySrc, m.numSrc), [m.numSrc, d]),
    };
  });
  return op(x) as tf.Tensor2D;
}
