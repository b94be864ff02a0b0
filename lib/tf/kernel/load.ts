/**
 * Loading the toolkit's committed WebAssembly kernels (each built from AssemblyScript by
 * `deno task build:kernel`, see build.ts): only from a local file beside the code, never the
 * network, and never with a permission prompt in the middle of a run; a kernel that cannot load
 * reports why, and its caller keeps the TypeScript reference path.
 *
 * @example Usage
 * ```ts
 * import { type KernelBase, loadKernel } from "./load.ts";
 * const k = await loadKernel<KernelBase>(new URL("./matmul_at.wasm", import.meta.url));
 * k.status.available; // false (with the reason in k.status.detail) where it could not load
 * ```
 *
 * @module
 */

/** Whether a kernel loaded, and if not why. */
export interface KernelStatus {
  available: boolean;
  /** `name.wasm (N bytes, wasm SIMD)` or the reason it is not available. */
  detail: string;
}

/** What every kernel exports: its linear memory and the first free byte after its data. */
export interface KernelBase {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

/** A loaded kernel's exports and memory views (null when it did not load) and its status. */
export interface LoadedKernel<T> {
  exports: T | null;
  heap: KernelHeap | null;
  status: KernelStatus;
}

/** Instantiates the .wasm at `url` (a `file:` URL) with no imports. */
export async function loadKernel<T extends KernelBase>(url: URL): Promise<LoadedKernel<T>> {
  const name = url.pathname.split("/").pop();
  const unavailable = (why: string) => ({
    exports: null,
    heap: null,
    status: { available: false, detail: `${name} not loaded: ${why}` },
  });
  try {
    const why = url.protocol !== "file:"
      ? `not a local file (${url.protocol})`
      : Deno.permissions.querySync({ name: "read", path: url }).state !== "granted"
      ? `no read permission for ${url.pathname}`
      : null;
    if (why !== null) return unavailable(why);
    const bytes = await Deno.readFile(url);
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const exports = instance.exports as unknown as T;
    return {
      exports,
      heap: new KernelHeap(exports),
      status: { available: true, detail: `${name} (${bytes.length} bytes, wasm SIMD)` },
    };
  } catch (e) {
    return unavailable(e instanceof Error ? e.message : String(e));
  }
}

/**
 * A kernel's linear memory as typed views from its (16-byte aligned) heap base, grown when a
 * call needs more; offsets are in 4-byte units from the base.
 */
export class KernelHeap {
  readonly base: number;
  #f32: Float32Array | null = null;
  #i32: Int32Array | null = null;

  constructor(private readonly k: KernelBase) {
    this.base = (k.heapBase() + 15) & ~15;
  }

  /** Makes room for `words` 4-byte words from the base. */
  reserve(words: number): void {
    const need = this.base + words * 4, have = this.k.memory.buffer.byteLength;
    if (need > have) this.k.memory.grow(Math.ceil((need - have) / 65536));
  }

  /** The memory as floats (valid until the next {@linkcode KernelHeap.reserve}). */
  get f32(): Float32Array {
    if (this.#f32 === null || this.#f32.buffer !== this.k.memory.buffer) {
      this.#f32 = new Float32Array(this.k.memory.buffer);
    }
    return this.#f32;
  }

  /** The memory as 32-bit integers (valid until the next {@linkcode KernelHeap.reserve}). */
  get i32(): Int32Array {
    if (this.#i32 === null || this.#i32.buffer !== this.k.memory.buffer) {
      this.#i32 = new Int32Array(this.k.memory.buffer);
    }
    return this.#i32;
  }

  /** The index in {@linkcode KernelHeap.f32} / {@linkcode KernelHeap.i32} of word offset `at`. */
  index(at: number): number {
    return (this.base >> 2) + at;
  }

  /** The byte address of word offset `at` from the base. */
  byte(at: number): number {
    return this.base + at * 4;
  }

  /**
   * Copies `rows` rows of `d` floats from `x` to word `at` as rows of `dp` ≥ d floats, each
   * zero-padded (so a kernel reads whole 128-bit lanes or register tiles).
   */
  putRows(x: Float32Array, rows: number, d: number, dp: number, at: number): void {
    const f = this.f32, o = this.index(at);
    if (d === dp) {
      f.set(x.subarray(0, rows * d), o);
      return;
    }
    if (d < 32) {
      // Short rows (e.g. BatchNorm's weight column, d 1): element copies beat a view per row.
      for (let r = 0, src = 0, dst = o; r < rows; r++, dst += dp) {
        let h = 0;
        for (; h < d; h++) f[dst + h] = x[src++];
        for (; h < dp; h++) f[dst + h] = 0;
      }
      return;
    }
    for (let r = 0; r < rows; r++) {
      f.set(x.subarray(r * d, r * d + d), o + r * dp);
      f.fill(0, o + r * dp + d, o + (r + 1) * dp);
    }
  }

  /**
   * Reads `rows` rows of `dp` floats at word `at` back, unpadded, into `out` (`[rows, d]`, a new
   * array when not given).
   */
  getRows(
    rows: number,
    d: number,
    dp: number,
    at: number,
    out: Float32Array = new Float32Array(rows * d),
  ): Float32Array {
    const f = this.f32, o = this.index(at);
    if (d === dp) out.set(f.subarray(o, o + rows * d));
    else for (let r = 0; r < rows; r++) out.set(f.subarray(o + r * dp, o + r * dp + d), r * d);
    return out;
  }
}

/** `n` rounded up to a multiple of 4 (word offsets that keep 16-byte alignment). */
export const up4 = (n: number): number => (n + 3) & ~3;
