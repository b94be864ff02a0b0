/**
 * The SIMD path of {@linkcode csrSum} (../csr.ts): csr_sum.wasm (built from
 * assembly/csr_sum.ts by `deno task build:kernel`, committed), instantiated once from this
 * folder. Per call the source rows, the row pointers and the column list are copied into the
 * kernel's memory (grown when a call needs more, never shrunk), the kernel sums each
 * destination's rows with 128-bit SIMD lanes, and the result is copied out. The additions are
 * those of the reference in the same order, so the result is bit-identical to it.
 *
 * @example Usage
 * ```ts
 * import { csrSumKernelStatus, csrSumSimd } from "./csr_sum.ts";
 * // node 0 sums rows 1 and 2 of x (d = 2); node 1 has no list
 * const x = new Float32Array([1, 2, 3, 4, 5, 6]);
 * if (csrSumKernelStatus().available) {
 *   csrSumSimd(x, 2, new Int32Array([0, 2, 2]), new Int32Array([1, 2]), 2); // [8, 10, 0, 0]
 * }
 * ```
 *
 * @module
 */
import { type KernelBase, type KernelStatus, loadKernel, up4 } from "../../tf/kernel/load.ts";

interface CsrKernel extends KernelBase {
  csrSum(x: number, d: number, ptr: number, col: number, n: number, out: number): void;
}

const loaded = await loadKernel<CsrKernel>(new URL("./csr_sum.wasm", import.meta.url));
const heap = loaded.heap;

/** Whether the CSR-sum kernel is usable here, with its file or the reason it is not. */
export function csrSumKernelStatus(): KernelStatus {
  return { ...loaded.status };
}

/**
 * `out[v] = Σ x[col[p]]` over p in `[ptr[v], ptr[v + 1])`, `[n, d]`, on the SIMD kernel. Throws
 * when the kernel is not available (see {@linkcode csrSumKernelStatus}).
 */
export function csrSumSimd(
  x: Float32Array,
  d: number,
  ptr: Int32Array,
  col: Int32Array,
  n: number,
): Float32Array {
  if (heap === null) throw new Error(`CSR-sum SIMD kernel unavailable: ${loaded.status.detail}`);
  const K = loaded.exports!;
  const xAt = 0, ptrAt = up4(x.length), colAt = ptrAt + up4(n + 1), outAt = colAt + up4(col.length);
  heap.reserve(outAt + n * d);
  heap.f32.set(x, heap.index(xAt));
  heap.i32.set(ptr.subarray(0, n + 1), heap.index(ptrAt));
  heap.i32.set(col, heap.index(colAt));
  K.csrSum(heap.byte(xAt), d, heap.byte(ptrAt), heap.byte(colAt), n, heap.byte(outAt));
  return heap.f32.slice(heap.index(outAt), heap.index(outAt) + n * d);
}
