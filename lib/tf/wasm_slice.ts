/**
 * `Slice` and `SplitV` of matrices on the wasm backend as row copies on the heap.
 *
 * The stock wasm `Slice` copies element by element, about 17 ns per element on a large matrix
 * (23 ms to take columns 64–767 of a `[1900, 768]` input, measured with fresh inputs), and the
 * stock `SplitV` runs it once per piece. Every `concat` has a `SplitV` in its gradient: along
 * columns in DropoutNet's `[preference; content]` input and M2VAE's decoder input, along rows in
 * the graph models' node matrices (MVGAE's `[user rows ; item rows]`, where the stock split of a
 * `[30154, 128]` matrix in two took 93 ms against 1.7 ms for the concat). Here each output row is
 * one `set` of a contiguous run of the input row, or a plain loop for runs shorter than a few
 * elements; a block of whole rows is one `set`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { asWasmBackend, type KernelArgs, type KernelFn, type WasmBackend } from "./wasm_heap.ts";

/** Runs shorter than this are copied element by element rather than with `set`. */
const SET_MIN = 8;

function copyBlock(
  backend: WasmBackend,
  x: tf.TensorInfo,
  r0: number,
  c0: number,
  rows: number,
  cols: number,
): tf.TensorInfo {
  const out = backend.makeOutput([rows, cols], x.dtype);
  // Views of the heap are taken after the allocation: makeOutput may grow (and detach) it.
  const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const width = x.shape[1];
  if (cols === width) { // whole rows: one contiguous run
    dst.set(src.subarray(r0 * width, (r0 + rows) * width));
    return out;
  }
  for (let r = 0; r < rows; r++) {
    const s = (r0 + r) * width + c0, d = r * cols;
    if (cols >= SET_MIN) dst.set(src.subarray(s, s + cols), d);
    else for (let j = 0; j < cols; j++) dst[d + j] = src[s + j];
  }
  return out;
}

function handled(x: tf.TensorInfo | undefined): x is tf.TensorInfo {
  return x !== undefined && x.shape.length === 2 && (x.dtype === "float32" || x.dtype === "int32");
}

/**
 * The `[begin, size]` of a slice of a matrix with `-1` sizes resolved, or null when it is not a
 * valid in-range slice of the matrix (the stock kernel then reports it).
 *
 * @example Usage
 * ```ts
 * sliceBox([4, 6], [1, 2], [-1, 3]); // { r0: 1, c0: 2, rows: 3, cols: 3 }
 * ```
 */
export function sliceBox(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): { r0: number; c0: number; rows: number; cols: number } | null {
  if (shape.length !== 2 || begin.length !== 2 || size.length !== 2) return null;
  const [r0, c0] = begin;
  const rows = size[0] === -1 ? shape[0] - r0 : size[0];
  const cols = size[1] === -1 ? shape[1] - c0 : size[1];
  const ok = [r0, c0, rows, cols].every((v) => Number.isInteger(v) && v >= 0) &&
    r0 + rows <= shape[0] && c0 + cols <= shape[1];
  return ok ? { r0, c0, rows, cols } : null;
}

/** Wraps the stock `Slice`: a slice of a float32 or int32 matrix is row copies. */
export function makeSlice(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (!enabled() || !handled(x)) return original(args);
    const begin = args.attrs?.begin, size = args.attrs?.size;
    if (!Array.isArray(begin) || !Array.isArray(size)) return original(args);
    const box = sliceBox(x.shape, begin as number[], size as number[]);
    if (box === null) return original(args);
    return copyBlock(asWasmBackend(args.backend), x, box.r0, box.c0, box.rows, box.cols);
  };
}

/**
 * Wraps the stock `SplitV`: a split of a float32 or int32 matrix along columns is row copies,
 * along rows one contiguous copy per piece.
 */
export function makeSplitV(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (!enabled() || !handled(x)) return original(args);
    const axis = args.attrs?.axis, sizes = args.attrs?.numOrSizeSplits;
    const ax = typeof axis === "number" ? (axis < 0 ? axis + 2 : axis) : -1;
    if ((ax !== 0 && ax !== 1) || !Array.isArray(sizes)) return original(args);
    const parts = sizes as number[];
    if (!parts.every((c) => Number.isInteger(c) && c >= 0)) return original(args);
    if (parts.reduce((a, b) => a + b, 0) !== x.shape[ax]) return original(args);
    const backend = asWasmBackend(args.backend);
    const [rows, cols] = x.shape;
    const outs: tf.TensorInfo[] = [];
    let at = 0;
    for (const n of parts) {
      outs.push(
        ax === 0 ? copyBlock(backend, x, at, 0, n, cols) : copyBlock(backend, x, 0, at, rows, n),
      );
      at += n;
    }
    return outs;
  };
}
