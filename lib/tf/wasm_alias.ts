/**
 * Copy-free wasm kernels for ops whose output holds exactly their input's data:
 *
 * - `Identity`, which the engine runs on every tensor a gradient saves (so stock wasm copies
 *   each saved input and output of every op inside `tf.grads`/`tf.variableGrads`);
 * - `Cast` to the dtype the tensor already has (every `Multiply` gradient casts its operand);
 * - `Transpose` whose permutation changes neither the shape nor the memory layout (it only moves
 *   size-1 axes, or none: the axis-0 `gather` gradient transposes by `[0, 1, …]`).
 *
 * The output shares the input's data id with the reference count raised, as the stock wasm
 * `Reshape` kernel and the cpu backend's `Identity` already do. This is safe because tensor data
 * is immutable (variables swap data ids on `assign`) and the output keeps the input's shape, so a
 * data id is never seen under two shapes (XNNPACK caches packed weights by data id alone).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { asWasmBackend, type KernelArgs, type KernelFn, shareData } from "./wasm_heap.ts";

function sharable(x: tf.TensorInfo | undefined): x is tf.TensorInfo {
  return x !== undefined && x.dtype !== "string" && x.dtype !== "complex64";
}

/** Wraps the stock `Identity`: numeric tensors are shared instead of copied. */
export function makeIdentity(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (!enabled() || !sharable(x)) return original(args);
    return shareData(asWasmBackend(args.backend), x);
  };
}

/** Wraps the stock `Cast`: a cast to the tensor's own dtype shares instead of copying. */
export function makeCast(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (!enabled() || !sharable(x) || args.attrs?.dtype !== x.dtype) return original(args);
    return shareData(asWasmBackend(args.backend), x);
  };
}

/**
 * Whether transposing `shape` by `perm` leaves both the shape and the memory layout unchanged:
 * the output shape equals `shape` and the axes longer than 1 keep their order.
 */
export function isLayoutIdentity(shape: readonly number[], perm: readonly number[]): boolean {
  if (perm.length !== shape.length) return false;
  let last = -1;
  for (let i = 0; i < perm.length; i++) {
    const axis = perm[i];
    if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) return false;
    if (shape[axis] !== shape[i]) return false;
    if (shape[axis] === 1) continue;
    if (axis < last) return false;
    last = axis;
  }
  return true;
}

/**
 * Wraps the stock `Transpose`: a permutation for which {@linkcode isLayoutIdentity} holds shares
 * the input; every other one (including identities up to size-1 axes that change the shape, which
 * stock copies in one `set`) goes to `original`.
 */
export function makeTranspose(original: KernelFn, enabled: () => boolean): KernelFn {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    const perm = args.attrs?.perm;
    if (
      !enabled() || !sharable(x) || !Array.isArray(perm) || !isLayoutIdentity(x.shape, perm)
    ) return original(args);
    return shareData(asWasmBackend(args.backend), x);
  };
}
