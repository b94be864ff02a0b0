/**
 * Kernel patches for tfjs-backend-wasm 4.22, applied by `initTf`:
 *
 * - `UnsortedSegmentSum` is added (wasm has none, so the gradient of `gather`, i.e. every
 *   embedding lookup, throws in training without it);
 * - `BatchMatMul` and `_FusedMatMul` reach the fast XNNPACK path for transposed and batched
 *   operands (see `wasm_matmul.ts`);
 * - `GatherV2` along axis 0 copies rows instead of running the slow generic kernel;
 * - `Identity`, same-dtype `Cast` and layout-preserving `Transpose` share their input's data
 *   instead of copying it (see `wasm_alias.ts`): the engine clones every tensor a gradient
 *   saves, and the `gather` and `mul` gradients run such a transpose and cast;
 * - `Transpose` of the last two axes of a matrix whose row count is a multiple of 128 (every
 *   matMul gradient at batch 1024) runs a blocked loop instead of the stock kernel, which is
 *   5–25× slower at such strides (see `wasm_transpose.ts`);
 * - `Sum` and `Mean` over leading axes (every bias gradient, every BatchNorm statistic) are one
 *   pass over the rows instead of the stock transpose and scalar loop (see `wasm_sum.ts`);
 * - `Tanh` is `2·σ(2x) − 1` through the vectorised `Sigmoid` (see `wasm_tanh.ts`), 10× faster;
 * - `Slice` and `SplitV` of a matrix (the gradient of every column `concat`) are row copies
 *   instead of the stock element-by-element copy (see `wasm_slice.ts`);
 * - `LeakyRelu` and its gradient are products with the vectorised `Step` instead of the stock
 *   element-wise kernel and the `Greater`, `Select`, `Multiply` gradient (see
 *   `wasm_leaky_relu.ts`).
 *
 * The stock kernels are kept: {@linkcode setWasmPatchesEnabled}(false) routes every call back
 * to them (except `UnsortedSegmentSum`, which has no stock kernel), for benchmarks.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { makeCast, makeIdentity, makeTranspose } from "./wasm_alias.ts";
import { makeGather, unsortedSegmentSum } from "./wasm_gather.ts";
import { leakyReluGradConfig, makeLeakyRelu } from "./wasm_leaky_relu.ts";
import type { KernelFn } from "./wasm_heap.ts";
import { makeMatMul } from "./wasm_matmul.ts";
import { makeSlice, makeSplitV } from "./wasm_slice.ts";
import { makeMean, makeSum } from "./wasm_sum.ts";
import { makeTanh } from "./wasm_tanh.ts";
import { makeBlockedTranspose } from "./wasm_transpose.ts";

const BACKEND = "wasm";
/** Marks kernel configs registered by this module, so that patching twice changes nothing. */
const PATCHED = Symbol.for("m2vae.wasmPatched");

let patchesOn = true;

/** Whether the patched kernels are active (see {@linkcode setWasmPatchesEnabled}). */
export function wasmPatchesEnabled(): boolean {
  return patchesOn;
}

/**
 * Turns the fast paths on (default) or off. Off routes `BatchMatMul`, `_FusedMatMul`,
 * `GatherV2`, `Identity`, `Cast`, `Transpose`, `Sum`, `Mean`, `Tanh`, `Slice`, `SplitV` and
 * `LeakyRelu` (and its gradient) to the stock wasm kernels, to measure what the patches gain;
 * `UnsortedSegmentSum` keeps working either way.
 */
export function setWasmPatchesEnabled(on: boolean): void {
  patchesOn = on;
}

type Config = tf.KernelConfig & { [PATCHED]?: true };

function replace(name: string, make: (original: Config | undefined) => KernelFn): void {
  const current = tf.getKernel(name, BACKEND) as Config | undefined;
  if (current?.[PATCHED]) return;
  if (current !== undefined) tf.unregisterKernel(name, BACKEND);
  const config: Config = {
    kernelName: name,
    backendName: BACKEND,
    kernelFunc: make(current) as unknown as tf.KernelFunc,
    // The stock kernels bind their wasm functions in setupFunc; the engine runs setup only
    // for registered configs, so ours forwards to the replaced one.
    setupFunc: current?.setupFunc,
    disposeFunc: current?.disposeFunc,
    [PATCHED]: true,
  };
  tf.registerKernel(config);
}

function stock(name: string, original: Config | undefined): KernelFn {
  if (original === undefined) {
    throw new Error(`patchWasm: the stock wasm kernel ${name} is not registered`);
  }
  return original.kernelFunc as unknown as KernelFn;
}

/**
 * Registers the patched wasm kernels. Idempotent: later calls find the kernels already
 * patched and change nothing. Works whether or not the wasm backend is initialised yet.
 */
export function patchWasm(): void {
  const on = () => patchesOn;
  replace("UnsortedSegmentSum", () => unsortedSegmentSum);
  replace("BatchMatMul", (o) => makeMatMul(stock("BatchMatMul", o), false, on));
  replace("_FusedMatMul", (o) => makeMatMul(stock("_FusedMatMul", o), true, on));
  replace("GatherV2", (o) => makeGather(stock("GatherV2", o), on));
  replace("Identity", (o) => makeIdentity(stock("Identity", o), on));
  replace("Cast", (o) => makeCast(stock("Cast", o), on));
  replace("Sum", (o) => makeSum(stock("Sum", o), on));
  replace("Mean", (o) => makeMean(stock("Mean", o), on));
  replace("Tanh", (o) => makeTanh(stock("Tanh", o), on));
  replace("Slice", (o) => makeSlice(stock("Slice", o), on));
  replace("SplitV", (o) => makeSplitV(stock("SplitV", o), on));
  replace("LeakyRelu", (o) => makeLeakyRelu(stock("LeakyRelu", o), on));
  const grad = tf.getGradient("LeakyRelu") as (tf.GradConfig & { [PATCHED]?: true }) | undefined;
  if (grad !== undefined && !grad[PATCHED]) {
    tf.registerGradient({ ...leakyReluGradConfig(grad, on), [PATCHED]: true } as tf.GradConfig);
  }
  replace(
    "Transpose",
    (o) => makeBlockedTranspose(makeTranspose(stock("Transpose", o), on), on),
  );
}
