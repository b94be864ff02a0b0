/**
 * `Sum` over leading axes on the wasm backend as one matMul with a row of ones.
 *
 * The stock kernel reduces only the innermost axes: for any other it first transposes the input
 * with the stock `Transpose` (called directly, so `wasm_transpose.ts` does not reach it), then
 * sums in a scalar loop. Column sums are what every bias gradient and every broadcast product's
 * gradient computes (the batch axis reduced), and at batch 1024 that transpose hits its slow
 * stride: summing a `[1024, 128]` matrix over axis 0 takes 1.3 ms, against 0.07 ms for
 * `ones[1, 1024] · x` through XNNPACK (measured; float32 sums are reassociated, so results
 * differ from the stock kernel's by float rounding only).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import {
  asWasmBackend,
  callKernel,
  type KernelArgs,
  type KernelFn,
  sizeOf,
  withShape,
} from "./wasm_heap.ts";

/**
 * How many leading axes `axis` reduces when it is exactly the axes `0 … k−1` of a rank-`rank`
 * tensor with 0 < k < rank (negative axes counted from the end), or 0 for any other reduction.
 *
 * @example Usage
 * ```ts
 * leadingAxes([0], 2); // 1
 * leadingAxes([1, 0], 3); // 2
 * leadingAxes([-1], 2); // 0 (the innermost axis: the stock kernel's fast case)
 * ```
 */
export function leadingAxes(axis: number | readonly number[], rank: number): number {
  const axes = [
    ...new Set((typeof axis === "number" ? [axis] : axis).map((a) => a < 0 ? a + rank : a)),
  ]
    .sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/** Wraps the stock `Sum`: float32 reductions over leading axes become `ones · x`. */
export function makeSum(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    const axis = args.attrs?.axis as number | number[] | null | undefined;
    if (!enabled() || x === undefined || x.dtype !== "float32" || axis == null) {
      return original(args);
    }
    const k = leadingAxes(axis, x.shape.length);
    if (k === 0) return original(args);
    const rows = sizeOf(x.shape.slice(0, k)), rest = x.shape.slice(k);
    if (rows === 0) return original(args);
    const backend = asWasmBackend(args.backend);
    const ones = backend.makeOutput([1, rows], "float32");
    try {
      (backend.typedArrayFromHeap(ones) as Float32Array).fill(1);
      const out = callKernel("BatchMatMul", backend, {
        a: ones,
        b: withShape(x, [rows, sizeOf(rest)]),
      }, { transposeA: false, transposeB: false });
      const keep = args.attrs?.keepDims === true;
      return withShape(out, keep ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest);
    } finally {
      backend.disposeData(ones.dataId);
    }
  };
}
