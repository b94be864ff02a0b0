/**
 * A blocked transpose of the last two axes for the wasm backend, where the stock `Transpose`
 * kernel is slowest.
 *
 * The stock kernel reads its input in order and writes the output with a stride of the input's
 * row count R. When R is a multiple of 128 floats (512 bytes: every batch of 1024 rows, every
 * 512 × 512 table) those writes fall on few cache sets and it slows down 5–25× (measured on
 * [R, 128] inputs: 0.4–0.7 ns per element for R = 1000, 1088 or 2112, against 3.5–8.6 ns for R =
 * 512, 1024, 1536 or 2048). Every matMul gradient at batch 1024 pays it, through the explicit
 * transposes of `wasm_matmul.ts`. The blocked loop here reads 16 × 16 tiles and writes
 * contiguous output rows: about 1.1 ns per element at any size, so it takes over exactly in the
 * slow case and leaves the others to the stock kernel.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { asWasmBackend, type KernelArgs, type KernelFn } from "./wasm_heap.ts";

/** Tile edge of the blocked loop (16 floats: one 64-byte cache line). */
const TILE = 16;

/**
 * The (batch, rows, cols) of a permutation that swaps the last two axes and keeps the others in
 * place, or null for any other permutation.
 *
 * @example Usage
 * ```ts
 * swapOfLastTwo([4, 1024, 128], [0, 2, 1]); // { batch: 4, rows: 1024, cols: 128 }
 * swapOfLastTwo([1024, 128], [1, 0]); // { batch: 1, rows: 1024, cols: 128 }
 * swapOfLastTwo([2, 3, 4], [1, 0, 2]); // null
 * ```
 */
export function swapOfLastTwo(
  shape: readonly number[],
  perm: readonly number[],
): { batch: number; rows: number; cols: number } | null {
  const n = shape.length;
  if (n < 2 || perm.length !== n || perm[n - 2] !== n - 1 || perm[n - 1] !== n - 2) return null;
  let batch = 1;
  for (let i = 0; i < n - 2; i++) {
    if (perm[i] !== i) return null;
    batch *= shape[i];
  }
  return { batch, rows: shape[n - 2], cols: shape[n - 1] };
}

/**
 * Whether the stock kernel hits its slow stride on an input of `rows` rows (see the module
 * header): a row count that is a multiple of 128 (and rows and columns both past one tile).
 */
export function stockTransposeIsSlow(rows: number, cols: number): boolean {
  return rows % 128 === 0 && cols > TILE;
}

/**
 * Writes the transpose of each of `batch` row-major `rows` × `cols` matrices in `src` into
 * `dst` (each `cols` × `rows`), in 16 × 16 tiles.
 *
 * @example Usage
 * ```ts
 * const dst = new Float32Array(6);
 * transposeBlocked(new Float32Array([1, 2, 3, 4, 5, 6]), dst, 1, 2, 3);
 * dst; // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeBlocked(
  src: Float32Array | Int32Array,
  dst: Float32Array | Int32Array,
  batch: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * size;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const iEnd = Math.min(rows, i0 + TILE);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const jEnd = Math.min(cols, j0 + TILE);
        for (let j = j0; j < jEnd; j++) {
          const out = base + j * rows;
          for (let i = i0; i < iEnd; i++) dst[out + i] = src[base + i * cols + j];
        }
      }
    }
  }
}

/** The tensor kinds the blocked loop handles (4-byte elements). */
export function blockedTransposable(x: tf.TensorInfo): boolean {
  return x.dtype === "float32" || x.dtype === "int32";
}

/**
 * Wraps a `Transpose` kernel: a swap of the last two axes whose rows hit the stock kernel's slow
 * stride ({@linkcode stockTransposeIsSlow}) runs the blocked loop on the heap; everything else
 * goes to `original`.
 */
export function makeBlockedTranspose(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    const perm = args.attrs?.perm;
    if (!enabled() || x === undefined || !blockedTransposable(x) || !Array.isArray(perm)) {
      return original(args);
    }
    const swap = swapOfLastTwo(x.shape, perm as number[]);
    if (swap === null || !stockTransposeIsSlow(swap.rows, swap.cols)) return original(args);
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput(perm.map((p: number) => x.shape[p]), x.dtype);
    // Views of the heap are taken after the allocation: makeOutput may grow (and detach) it.
    const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    transposeBlocked(src, dst, swap.batch, swap.rows, swap.cols);
    return out;
  };
}
