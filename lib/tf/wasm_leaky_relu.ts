/**
 * `LeakyRelu` and its gradient on the wasm backend through the vectorised `Step` and `Multiply`.
 *
 * The stock wasm `LeakyRelu` runs element by element with a branch per element (34 ms for a
 * `[11886, 256]` layer, CLCRec's item encoder on citeulike-a where every warm item is encoded each
 * step), and TF.js takes its gradient as `Greater`, `Select` and `Multiply`, the first two as
 * slow: together 14 % of a PAD-CLRec step there (profile grouped by kernel and shape). Both are a
 * product with `step(x, α)` (1 where x > 0, else α; NaN stays NaN): `y = x · step(x, α)` and
 * `dx = dy · step(x, α)`, 1.0 + 1.7 ms at that size. Each product is the stock one's single
 * float32 multiplication (x·1 = x, x·α = α·x), so the results are bit-identical (tested) for every
 * input but NaN, where the output is NaN either way and the gradient is NaN here (stock: α·dy), which
 * only a run that has already diverged meets. With the
 * patches off (or on another backend) the stock kernel and gradient run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { asWasmBackend, callKernel, type KernelArgs, type KernelFn } from "./wasm_heap.ts";

/** Wraps the stock `LeakyRelu`: float32 inputs take `x · step(x, α)`. */
export function makeLeakyRelu(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (!enabled() || x === undefined || x.dtype !== "float32") return original(args);
    const backend = asWasmBackend(args.backend);
    const s = callKernel("Step", backend, { x }, { alpha: args.attrs?.alpha });
    try {
      return callKernel("Multiply", backend, { a: x, b: s }, {});
    } finally {
      backend.disposeData(s.dataId);
    }
  };
}

/**
 * `LeakyRelu`'s gradient config taking `dy · step(x, α)` on the wasm backend (float32, patches
 * on) and `stock`'s gradient everywhere else.
 */
export function leakyReluGradConfig(stock: tf.GradConfig, enabled: () => boolean): tf.GradConfig {
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const g = Array.isArray(dy) ? dy[0] : dy;
      if (!enabled() || tf.getBackend() !== "wasm" || x.dtype !== "float32") {
        return stock.gradFunc(dy, saved, attrs);
      }
      const alpha = (attrs as { alpha: number }).alpha;
      return { x: () => tf.mul(g, tf.step(x, alpha)) };
    },
  };
}
