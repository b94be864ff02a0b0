/**
 * A narrow, typed view of the TF.js wasm backend internals the kernel patches need: allocating
 * outputs, reading typed arrays straight from the wasm heap, heap "views" (tensor infos that
 * point into another tensor's memory without owning it) and calling other registered kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The tensor bookkeeping entry the wasm backend keeps per data id. */
interface WasmTensorData {
  id: number;
  memoryOffset: number;
  refCount: number;
}

/** The parts of `BackendWasm` (tfjs-backend-wasm 4.22) the patches use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  incRef(dataId: tf.DataId): void;
  dataIdMap: {
    get(dataId: tf.DataId): WasmTensorData;
    delete(dataId: tf.DataId): boolean;
  };
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** Arguments every kernel function receives. */
export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** A kernel function as registered with `tf.registerKernel`. */
export type KernelFn = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** Casts the opaque backend a kernel receives to the structural wasm type, checking it. */
export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (
    b === null || typeof b !== "object" || typeof b.makeOutput !== "function" ||
    typeof b.typedArrayFromHeap !== "function" || typeof b.incRef !== "function" ||
    b.dataIdMap === undefined || b.wasm === undefined
  ) {
    throw new TypeError("wasm kernel patch: the backend is not a tfjs-backend-wasm instance");
  }
  return b as WasmBackend;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The same data under another shape (same size); not owned, never dispose it. */
export function withShape(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * A new reference to `info`'s data under `shape` (same size), counted like the stock `Reshape`
 * kernel's output: the data id is shared and its reference count raised, so the engine owns and
 * disposes it like any kernel output. For kernels whose output equals their input.
 */
export function shareData(
  backend: WasmBackend,
  info: tf.TensorInfo,
  shape: number[] = info.shape,
): tf.TensorInfo {
  backend.incRef(info.dataId);
  return { dataId: info.dataId, shape: shape.slice(), dtype: info.dtype };
}

/**
 * A tensor info that aliases `sizeOf(shape)` elements of `info`, starting at element `offset`.
 * The view owns no memory: release it with {@linkcode dropView}, never with `disposeData`.
 */
export function heapView(
  backend: WasmBackend,
  info: tf.TensorInfo,
  offset: number,
  shape: number[],
): tf.TensorInfo {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId);
  const bytes = info.dtype === "bool" ? 1 : 4;
  return backend.makeOutput(shape, info.dtype, memoryOffset + offset * bytes);
}

/** Forgets a view made by {@linkcode heapView} without freeing the memory it aliases. */
export function dropView(backend: WasmBackend, view: tf.TensorInfo): void {
  const entry = backend.dataIdMap.get(view.dataId);
  // Unregisters the id on the C++ side (running its disposal callbacks, e.g. cached XNNPACK
  // operators keyed on it) but, unlike disposeData, does not free the aliased heap memory.
  backend.wasm.tfjs.disposeData(entry.id);
  backend.dataIdMap.delete(view.dataId);
}

/** Runs the currently registered wasm kernel `name` directly (inside another kernel). */
export function callKernel(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, tf.TensorInfo | undefined>,
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  const config = tf.getKernel(name, "wasm");
  if (config === undefined) throw new Error(`wasm kernel patch: kernel ${name} is not registered`);
  const out = (config.kernelFunc as unknown as KernelFn)({ inputs, backend, attrs });
  return Array.isArray(out) ? out[0] : out;
}
