/**
 * TF.js runtime: backend selection, the wasm kernel patches, and `gatherRows` (an axis-0
 * gather with a direct segment-sum gradient).
 *
 * @module
 */
export { gatherRows } from "./gather_rows.ts";
export { type BackendName, initTf, tf } from "./runtime.ts";
export { patchWasm, setWasmPatchesEnabled, wasmPatchesEnabled } from "./wasm_patches.ts";
export { setMatMulAtKernel, usesMatMulAtKernel } from "./wasm_matmul.ts";
export { matMulAtKernelStatus } from "./kernel/matmul_at.ts";
export { type KernelStatus } from "./kernel/load.ts";
