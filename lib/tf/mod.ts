/**
 * TF.js runtime: backend selection and the wasm kernel patches.
 *
 * @module
 */
export { type BackendName, initTf, tf } from "./runtime.ts";
export { patchWasm } from "./wasm_patches.ts";
