/**
 * `Tanh` on the wasm backend as `2·σ(2x) − 1`.
 *
 * The stock wasm `Tanh` evaluates `tanh` element by element (about 22 ns per element: 18 ms for a
 * `[4096, 200]` layer, DropoutNet's hidden layer at ColdRec's batch size), while the stock
 * `Sigmoid` and the element-wise products run vectorised: the identity through them takes 1.9 ms
 * (measured, fresh inputs). Values agree with `tanh` to about 1e-7 absolute (the subtraction near
 * 0 loses the relative precision of tiny outputs, not their absolute one); the gradient, which
 * TF.js computes from the output as `dy·(1 − y²)`, is unchanged.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { asWasmBackend, callKernel, type KernelArgs, type KernelFn } from "./wasm_heap.ts";

/** Wraps the stock `Tanh`: float32 inputs go through the vectorised `Sigmoid`. */
export function makeTanh(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (!enabled() || x === undefined || x.dtype !== "float32") return original(args);
    const backend = asWasmBackend(args.backend);
    const scalar = (v: number): tf.TensorInfo => {
      const s = backend.makeOutput([], "float32");
      (backend.typedArrayFromHeap(s) as Float32Array)[0] = v;
      return s;
    };
    const two = scalar(2), one = scalar(1);
    const temps: tf.TensorInfo[] = [two, one];
    try {
      const doubled = callKernel("Multiply", backend, { a: x, b: two }, {});
      temps.push(doubled);
      const s = callKernel("Sigmoid", backend, { x: doubled }, {});
      temps.push(s);
      const s2 = callKernel("Multiply", backend, { a: s, b: two }, {});
      temps.push(s2);
      return callKernel("Sub", backend, { a: s2, b: one }, {});
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
