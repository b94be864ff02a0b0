/**
 * Row-copy kernels for the wasm backend: a fast axis-0 `GatherV2` and the missing
 * `UnsortedSegmentSum` (the gradient of `gather`). Both work directly on the wasm heap.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { asWasmBackend, type KernelArgs, type KernelFn, sizeOf } from "./wasm_heap.ts";

function input(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (t === undefined) throw new TypeError(`wasm kernel patch: missing input "${name}"`);
  return t;
}

/**
 * `UnsortedSegmentSum` for wasm: `out[s] = Σ x[i]` over the rows `i` whose segment id is `s`.
 * `x` of any rank is read as `[n, rest]`, where `n` is the number of segment ids; ids outside
 * `[0, numSegments)` are skipped (as in TensorFlow).
 */
export function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = input(args, "x");
  const ids = input(args, "segmentIds");
  const numSegments = Number(args.attrs?.numSegments);
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new RangeError(
      `unsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`,
    );
  }
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new TypeError(`unsortedSegmentSum: dtype ${x.dtype} is not supported on wasm`);
  }
  if (ids.dtype !== "int32") {
    throw new TypeError(`unsortedSegmentSum: segmentIds must be int32, got ${ids.dtype}`);
  }
  const n = sizeOf(ids.shape);
  const size = sizeOf(x.shape);
  const rank = ids.shape.length;
  const prefixOk = ids.shape.every((d, i) => x.shape[i] === d);
  if (!prefixOk) {
    throw new RangeError(
      `unsortedSegmentSum: segmentIds shape [${ids.shape}] is not a prefix of x shape [${x.shape}]`,
    );
  }
  const rest = n === 0 ? sizeOf(x.shape.slice(rank)) : size / n;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(rank)], x.dtype);
  // Heap views are taken after the allocation: makeOutput may grow (and detach) the heap.
  const o = backend.typedArrayFromHeap(out);
  o.fill(0);
  if (n === 0 || rest === 0) return out;
  const xv = backend.typedArrayFromHeap(x);
  const sv = backend.typedArrayFromHeap(ids);
  for (let i = 0; i < n; i++) {
    const s = sv[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * rest, dst = s * rest;
    for (let j = 0; j < rest; j++) o[dst + j] += xv[src + j];
  }
  return out;
}

/** Rows at least this many elements long are copied with `copyWithin` (a native memmove). */
const COPY_WITHIN_MIN = 128;

/**
 * Row copy `heap[os + i·w …] = heap[xs + idx[i]·w …]` over 8-byte words, unrolled by four. V8
 * moves Float64Array elements bit for bit (NaN payloads included) on the platforms we run on; the
 * tests check it. Kept separate from {@linkcode copyWords32} so each loop stays monomorphic.
 */
function copyWords64(heap: Float64Array, xs: number, os: number, idx: Int32Array, w: number) {
  const w4 = w & ~3;
  for (let i = 0; i < idx.length; i++) {
    let s = xs + idx[i] * w, t = os + i * w;
    const e4 = t + w4, e = t + w;
    for (; t < e4; t += 4, s += 4) {
      heap[t] = heap[s];
      heap[t + 1] = heap[s + 1];
      heap[t + 2] = heap[s + 2];
      heap[t + 3] = heap[s + 3];
    }
    for (; t < e; t++, s++) heap[t] = heap[s];
  }
}

/** {@linkcode copyWords64} over 4-byte integers (never floats, which could quiet NaNs). */
function copyWords32(heap: Int32Array, xs: number, os: number, idx: Int32Array, w: number) {
  const w4 = w & ~3;
  for (let i = 0; i < idx.length; i++) {
    let s = xs + idx[i] * w, t = os + i * w;
    const e4 = t + w4, e = t + w;
    for (; t < e4; t += 4, s += 4) {
      heap[t] = heap[s];
      heap[t + 1] = heap[s + 1];
      heap[t + 2] = heap[s + 2];
      heap[t + 3] = heap[s + 3];
    }
    for (; t < e; t++, s++) heap[t] = heap[s];
  }
}

/**
 * Copies row `idx[i]` of the `[rows, rest]` array of 4-byte elements at byte `xByte` of the heap
 * `buffer` to row `i` of the one at byte `outByte`: long rows with `copyWithin`, short ones by
 * indexed loops over 8-byte words when rows and bases are 8-byte aligned, else over 4-byte ones.
 * (Per-row `subarray().set()` is about twice as slow on 64-float rows: it allocates a view a row.)
 */
function copyRows(
  buffer: ArrayBufferLike,
  xByte: number,
  outByte: number,
  idx: Int32Array,
  rest: number,
): void {
  if (rest >= COPY_WITHIN_MIN) {
    const heap = new Int32Array(buffer);
    const xs = xByte / 4, os = outByte / 4;
    for (let i = 0; i < idx.length; i++) {
      const s = xs + idx[i] * rest;
      heap.copyWithin(os + i * rest, s, s + rest);
    }
  } else if (rest % 2 === 0 && xByte % 8 === 0 && outByte % 8 === 0) {
    copyWords64(new Float64Array(buffer), xByte / 8, outByte / 8, idx, rest / 2);
  } else {
    copyWords32(new Int32Array(buffer), xByte / 4, outByte / 4, idx, rest);
  }
}

/**
 * Wraps the stock wasm `GatherV2`: axis 0 with `batchDims` 0 on float32/int32 data and int32
 * indices is done with row copies on the heap (see `copyRows`); every other case goes to
 * `original`. An index outside `[0, rows)` throws a `RangeError` naming it.
 */
export function makeGather(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = input(args, "x");
    const indices = input(args, "indices");
    const rank = x.shape.length;
    const axis = Number(args.attrs?.axis ?? 0);
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    const fast = enabled() && rank >= 1 && (axis === 0 || axis === -rank) && batchDims === 0 &&
      (x.dtype === "float32" || x.dtype === "int32") && indices.dtype === "int32";
    if (!fast) return original(args);
    const backend = asWasmBackend(args.backend);
    const rows = x.shape[0];
    const rest = sizeOf(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const n = sizeOf(indices.shape);
    if (n === 0) return out;
    // Heap views are taken after the allocation: makeOutput may grow (and detach) the heap.
    const iv = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < n; i++) {
      const r = iv[i];
      if (r < 0 || r >= rows) {
        backend.disposeData(out.dataId);
        throw new RangeError(`gather: index ${r} (position ${i}) is not in [0, ${rows})`);
      }
    }
    if (rest === 0) return out;
    const xv = backend.typedArrayFromHeap(x), o = backend.typedArrayFromHeap(out);
    copyRows(o.buffer, xv.byteOffset, o.byteOffset, iv, rest);
    return out;
  };
}
