/**
 * TF.js runtime: backend selection and the wasm kernel patches.
 *
 * @module
 */
export { type BackendName, initTf, tf } from "./runtime.ts";
export { patchWasm, setWasmPatchesEnabled, wasmPatchesEnabled } from "./wasm_patches.ts";
