/**
 * The SIMD path of the dense layers' weight-gradient product C = Aᵀ·B (A [K, m], B [K, n],
 * row-major): matmul_at.wasm (built from assembly/matmul_at.ts by `deno task build:kernel`,
 * committed), instantiated once from this folder. Per call A and B are copied into the kernel's
 * memory with rows padded to whole register tiles (m to a multiple of 4, n of 8; grown when a call
 * needs more, never shrunk) and C is copied out. `wasm_matmul.ts` routes TF.js's transposed-A
 * products here; see the kernel source for why it beats transposing A for XNNPACK.
 *
 * @example Usage
 * ```ts
 * import { matMulAtKernelStatus, matMulAtSimd } from "./matmul_at.ts";
 * if (matMulAtKernelStatus().available) {
 *   const c = new Float32Array(1);
 *   // A = [1, 2]ᵀ (K 2, m 1), B = [3, 4]ᵀ (n 1): c = 1·3 + 2·4
 *   matMulAtSimd(new Float32Array([1, 2]), new Float32Array([3, 4]), 2, 1, 1, c); // c[0] === 11
 * }
 * ```
 *
 * @module
 */
import { type KernelBase, type KernelStatus, loadKernel } from "./load.ts";

interface MatMulAtKernel extends KernelBase {
  matMulAt(a: number, b: number, c: number, k: number, mp: number, np: number, kc: number): void;
}

const loaded = await loadKernel<MatMulAtKernel>(new URL("./matmul_at.wasm", import.meta.url));
const heap = loaded.heap;

/**
 * Rows of A and B per block: B's block (kc × np floats, 64 KiB at np 256) stays in cache while
 * every 4-row tile of C passes over it. Measured on [11886, 64]ᵀ·[11886, 256], [11886, 256]ᵀ·
 * [11886, 64], [1024, 128]ᵀ·[1024, 512] and [4096, 64]ᵀ·[4096, 64]: 64 was the fastest of 16,
 * 32, 64, 128 and 256 on each (256: 2× slower where np is 256 or more).
 */
const KC = 64;

/** Whether the Aᵀ·B kernel is usable here, with its file or the reason it is not. */
export function matMulAtKernelStatus(): KernelStatus {
  return { ...loaded.status };
}

/**
 * `out[i·n + j] = Σ_k a[k·m + i] · b[k·n + j]` (`a` `[K, m]`, `b` `[K, n]`, `out` `[m, n]`,
 * overwritten) on the SIMD kernel. Throws when the kernel is not available (see
 * {@linkcode matMulAtKernelStatus}).
 */
export function matMulAtSimd(
  a: Float32Array,
  b: Float32Array,
  k: number,
  m: number,
  n: number,
  out: Float32Array,
): void {
  if (heap === null) throw new Error(`Aᵀ·B SIMD kernel unavailable: ${loaded.status.detail}`);
  const mp = (m + 3) & ~3, np = (n + 7) & ~7;
  const aAt = 0, bAt = k * mp, cAt = bAt + k * np;
  heap.reserve(cAt + mp * np);
  heap.putRows(a, k, m, mp, aAt);
  heap.putRows(b, k, n, np, bAt);
  loaded.exports!.matMulAt(heap.byte(aAt), heap.byte(bAt), heap.byte(cAt), k, mp, np, KC);
  heap.getRows(m, n, np, cAt, out);
}
