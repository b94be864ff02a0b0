/**
 * Fast paths for `BatchMatMul` and `_FusedMatMul` on the wasm backend.
 *
 * In tfjs-backend-wasm 4.22 only an unbatched matMul without transpose flags reaches XNNPACK;
 * transposed operands (every matMul gradient) and batched products take a scalar loop that is
 * 10–20× slower. The wrappers here transpose flagged operands explicitly with the wasm
 * `Transpose` kernel, then run the original kernel with both flags off: in one call when the
 * batch is 1 or `b` is broadcast over the batch (`a` is then folded into one tall matrix), or
 * once per batch entry on heap views otherwise.
 *
 * One product skips XNNPACK: an unbatched, unfused Aᵀ·B (every dense layer's weight gradient,
 * A the layer's input [K, m], B its output's gradient [K, n]) runs on the SIMD kernel of
 * `kernel/matmul_at.ts` when it loaded, which takes K in cache-sized blocks instead of writing
 * Aᵀ and handing XNNPACK a short, very wide left operand it runs from memory.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { matMulAtKernelStatus, matMulAtSimd } from "./kernel/matmul_at.ts";
import {
  asWasmBackend,
  callKernel,
  dropView,
  heapView,
  type KernelArgs,
  type KernelFn,
  sizeOf,
  type WasmBackend,
  withShape,
} from "./wasm_heap.ts";

/**
 * Per-entry products smaller than this many multiply-adds stay on the stock batched path:
 * for tiny matrices the per-call overhead of the loop outweighs the faster inner kernel.
 */
const LOOP_MIN_MACS = 16384;

/**
 * Aᵀ·B products with fewer multiply-adds than this (m counted as at least 4, the kernel's tile;
 * or n < 8) stay on the transpose and XNNPACK path: the kernel pads m to 4 and n to 8 and copies
 * both operands in, which only pays on products of some size. m = 1 is worth it: BatchNorm's
 * weighted statistics ([4096, 1]ᵀ·[4096, 200]) took 17 ms through XNNPACK, which packs the fresh B
 * as new weights on every call, against 0.6 ms here.
 */
const AT_KERNEL_MIN_MACS = 65536;

let atKernelOn = matMulAtKernelStatus().available;

/**
 * Routes unbatched Aᵀ·B products to the SIMD kernel (`true`, the default where it loaded) or to
 * the transpose and XNNPACK path (`false`), to measure what the kernel gains; returns the
 * previous setting. Asking for the kernel where it did not load throws.
 *
 * @example Usage
 * ```ts
 * const before = setMatMulAtKernel(false); // every Aᵀ·B through Transpose + XNNPACK
 * setMatMulAtKernel(before);
 * ```
 */
export function setMatMulAtKernel(on: boolean): boolean {
  if (on && !matMulAtKernelStatus().available) {
    throw new Error(`Aᵀ·B SIMD kernel unavailable: ${matMulAtKernelStatus().detail}`);
  }
  const before = atKernelOn;
  atKernelOn = on;
  return before;
}

/** Whether an Aᵀ·B of these sizes goes to the SIMD kernel. */
export function usesMatMulAtKernel(k: number, m: number, n: number): boolean {
  return atKernelOn && n >= 8 && k * Math.max(m, 4) * n >= AT_KERNEL_MIN_MACS;
}

function transposeLast(
  backend: WasmBackend,
  x: tf.TensorInfo,
  batch: number,
  rows: number,
  cols: number,
): tf.TensorInfo {
  return callKernel("Transpose", backend, { x: withShape(x, [batch, rows, cols]) }, {
    perm: [0, 2, 1],
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Wraps a stock matMul kernel (`BatchMatMul`, or `_FusedMatMul` when `fused`) so that it always
 * reaches the fast unbatched, untransposed path. Falls back to `original` when disabled, for
 * non-float32 data, and for batch shapes it does not broadcast (unequal and neither of size 1).
 */
export function makeMatMul(original: KernelFn, fused: boolean, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs;
    if (
      !enabled() || a === undefined || b === undefined || a.dtype !== "float32" ||
      b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2
    ) return original(args);
    const attrs = args.attrs ?? {};
    const tA = attrs.transposeA === true, tB = attrs.transposeB === true;
    const batchShapeA = a.shape.slice(0, -2), batchShapeB = b.shape.slice(0, -2);
    const batchA = sizeOf(batchShapeA), batchB = sizeOf(batchShapeB);
    const [a0, a1] = a.shape.slice(-2), [b0, b1] = b.shape.slice(-2);
    const m = tA ? a1 : a0, k = tA ? a0 : a1, n = tB ? b0 : b1;
    if (k !== (tB ? b1 : b0)) return original(args); // it throws the standard shape error
    if (!sameShape(batchShapeA, batchShapeB) && batchA !== 1 && batchB !== 1) {
      return original(args);
    }
    const batch = Math.max(batchA, batchB);
    const prelu = fused ? args.inputs.preluActivationWeights : undefined;
    const loop = batch > 1 && batchB > 1 && prelu === undefined && m * k * n >= LOOP_MIN_MACS;
    if (!tA && !tB && !loop && (batch === 1 || batchB !== 1 || prelu !== undefined)) {
      return original(args); // already the best path available
    }
    const backend = asWasmBackend(args.backend);
    const outShape = [
      ...tf.broadcast_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB),
      m,
      n,
    ];
    if (tA && !tB && batch === 1 && !fused && usesMatMulAtKernel(k, m, n)) {
      const out = backend.makeOutput(outShape, "float32");
      // Views of the heap are taken after the allocation: makeOutput may grow (and detach) it.
      matMulAtSimd(
        backend.typedArrayFromHeap(a) as Float32Array,
        backend.typedArrayFromHeap(b) as Float32Array,
        k,
        m,
        n,
        backend.typedArrayFromHeap(out) as Float32Array,
      );
      return out;
    }
    const flagsOff = { ...attrs, transposeA: false, transposeB: false };
    const run = (x: tf.TensorInfo, y: tf.TensorInfo): tf.TensorInfo => {
      const r = original({ inputs: { ...args.inputs, a: x, b: y }, backend, attrs: flagsOff });
      return Array.isArray(r) ? r[0] : r;
    };
    const temps: tf.TensorInfo[] = [];
    try {
      let a3 = withShape(a, [batchA, m, k]), b3 = withShape(b, [batchB, k, n]);
      if (tA) temps.push(a3 = transposeLast(backend, a, batchA, a0, a1));
      if (tB) temps.push(b3 = transposeLast(backend, b, batchB, b0, b1));
      let out: tf.TensorInfo;
      if (batch === 1) out = run(a3, b3);
      else if (batchB === 1 && prelu === undefined) {
        out = run(withShape(a3, [1, batchA * m, k]), b3);
      } else if (!loop) out = run(a3, b3);
      else out = perEntry(backend, a3, b3, batchA, batch, m, k, n, run);
      return withShape(out, outShape);
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/** Batched product as one unbatched product per batch entry, on views into the operands. */
function perEntry(
  backend: WasmBackend,
  a3: tf.TensorInfo,
  b3: tf.TensorInfo,
  batchA: number,
  batch: number,
  m: number,
  k: number,
  n: number,
  run: (x: tf.TensorInfo, y: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo {
  const out = backend.makeOutput([batch, m, n], "float32");
  try {
    for (let i = 0; i < batch; i++) {
      const av = heapView(backend, a3, batchA === 1 ? 0 : i * m * k, [1, m, k]);
      const bv = heapView(backend, b3, i * k * n, [1, k, n]);
      let r: tf.TensorInfo;
      try {
        r = run(av, bv);
      } finally {
        dropView(backend, av);
        dropView(backend, bv);
      }
      // Views of the heap are taken after `run`, which may have grown (detached) it.
      (backend.typedArrayFromHeap(out) as Float32Array).set(
        backend.typedArrayFromHeap(r) as Float32Array,
        i * m * n,
      );
      backend.disposeData(r.dataId);
    }
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  }
  return out;
}
