/**
 * The one TF.js entry point every model uses: the wasm (SIMD) backend by default, the cpu
 * backend by flag, the kernel patches applied, and no console banner.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { patchWasm } from "./wasm_patches.ts";

export { tf };

/** Backends the toolkit supports. */
export type BackendName = "wasm" | "cpu";

/**
 * Selects and initialises a backend. Safe to call more than once.
 *
 * @param backend `wasm` (default; fast, SIMD) or `cpu` (reference; ~50× slower).
 * @returns the tf namespace, ready to use.
 */
export async function initTf(backend: BackendName = "wasm"): Promise<typeof tf> {
  tf.enableProdMode(); // silences the "use tfjs-node" banner and skips debug checks
  patchWasm();
  if (tf.getBackend() !== backend || !tf.findBackend(backend)) {
    if (!(await tf.setBackend(backend))) {
      throw new Error(`Cannot initialise TF.js backend "${backend}"`);
    }
  }
  await tf.ready();
  return tf;
}
