/**
 * The SIMD path of {@linkcode pairDots} (../pair_dots.ts): pair_dots.wasm (built from
 * assembly/pair_dots.ts by `deno task build:kernel`, committed), instantiated once from this
 * folder. Per call the rows, the candidates and the indices (and, backward, the scores'
 * gradient) are copied into the kernel's memory with rows padded to whole 128-bit lanes (grown
 * when a call needs more, never shrunk), and the results are copied out.
 *
 * @example Usage
 * ```ts
 * import { pairDotsKernelStatus, pairDotsSimd } from "./pair_dots.ts";
 * // row 0 of a against candidates 1 and 0 of c (d = 2)
 * if (pairDotsKernelStatus().available) {
 *   pairDotsSimd(new Float32Array([1, 2]), new Float32Array([1, 0, 0, 1]), new Int32Array([1, 0]), 1, 2, 2);
 *   // Float32Array [2, 1]
 * }
 * ```
 *
 * @module
 */
import { type KernelBase, type KernelStatus, loadKernel, up4 } from "../../tf/kernel/load.ts";

interface PairDotsKernel extends KernelBase {
  pairDots(a: number, c: number, idx: number, n: number, k: number, dp: number, out: number): void;
  pairDotsGrad(
    a: number,
    c: number,
    idx: number,
    dy: number,
    n: number,
    k: number,
    dp: number,
    u: number,
    da: number,
    dc: number,
  ): void;
}

const loaded = await loadKernel<PairDotsKernel>(new URL("./pair_dots.wasm", import.meta.url));
const heap = loaded.heap;

/** Whether the pair-dots kernel is usable here, with its file or the reason it is not. */
export function pairDotsKernelStatus(): KernelStatus {
  return { ...loaded.status };
}

function kernel(): PairDotsKernel {
  if (heap === null) throw new Error(`pair-dots SIMD kernel unavailable: ${loaded.status.detail}`);
  return loaded.exports!;
}

/**
 * `out[r·k + j] = a[r] · c[idx[r·k + j]]`: `a` `[n, d]`, `c` `[u, d]` (u = c.length / d), on the
 * SIMD kernel. Throws when the kernel is not available (see {@linkcode pairDotsKernelStatus}).
 */
export function pairDotsSimd(
  a: Float32Array,
  c: Float32Array,
  idx: Int32Array,
  n: number,
  k: number,
  d: number,
): Float32Array {
  const K = kernel(), dp = up4(d), u = c.length / d;
  const aAt = 0, cAt = aAt + n * dp, idxAt = cAt + u * dp, outAt = idxAt + up4(n * k);
  heap!.reserve(outAt + n * k);
  heap!.putRows(a, n, d, dp, aAt);
  heap!.putRows(c, u, d, dp, cAt);
  heap!.i32.set(idx, heap!.index(idxAt));
  K.pairDots(heap!.byte(aAt), heap!.byte(cAt), heap!.byte(idxAt), n, k, dp, heap!.byte(outAt));
  return heap!.f32.slice(heap!.index(outAt), heap!.index(outAt) + n * k);
}

/** The gradients of {@linkcode pairDotsSimd}'s scores w.r.t. `a` and `c` for the scores' `dy`. */
export function pairDotsGradSimd(
  a: Float32Array,
  c: Float32Array,
  idx: Int32Array,
  dy: Float32Array,
  n: number,
  k: number,
  d: number,
): { da: Float32Array; dc: Float32Array } {
  const K = kernel(), dp = up4(d), u = c.length / d;
  const aAt = 0, cAt = aAt + n * dp, idxAt = cAt + u * dp, dyAt = idxAt + up4(n * k);
  const daAt = dyAt + up4(n * k), dcAt = daAt + n * dp;
  heap!.reserve(dcAt + u * dp);
  heap!.putRows(a, n, d, dp, aAt);
  heap!.putRows(c, u, d, dp, cAt);
  heap!.i32.set(idx, heap!.index(idxAt));
  heap!.f32.set(dy.subarray(0, n * k), heap!.index(dyAt));
  const b = (at: number) => heap!.byte(at);
  K.pairDotsGrad(b(aAt), b(cAt), b(idxAt), b(dyAt), n, k, dp, u, b(daAt), b(dcAt));
  return { da: heap!.getRows(n, d, dp, daAt), dc: heap!.getRows(u, d, dp, dcAt) };
}
