/**
 * The safetensors file format (Hugging Face): an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 * Readable from Python with `safetensors.numpy.load_file`. Only float32 tensors are written;
 * `__metadata__` carries string → string entries (here: JSON of non-tensor state).
 *
 * @example Usage
 * ```ts
 * const bytes = encodeSafetensors(new Map([["w", { shape: [2], data: new Float32Array([1, 2]) }]]));
 * decodeSafetensors(bytes).tensors.get("w")!.data; // Float32Array [1, 2]
 * ```
 *
 * @module
 */

/** One float32 tensor of a file. */
export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

/** The contents of a safetensors file. */
export interface SafetensorsContent {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("safetensors: this module assumes a little-endian platform");
}

/** Encodes float32 tensors and string metadata as a safetensors file. */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, StoredTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) {
      throw new RangeError(
        `safetensors: "${name}" has ${t.data.length} values for shape [${t.shape}]`,
      );
    }
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8; // the format aligns the data to 8 bytes with spaces
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Decodes a safetensors file of float32 tensors.
 *
 * @throws RangeError on a malformed file or another dtype.
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  if (bytes.length < 8) throw new RangeError("safetensors: file shorter than its header length");
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + n > bytes.length) throw new RangeError("safetensors: header longer than the file");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const base = 8 + n, tensors = new Map<string, StoredTensor>();
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: [b, e] } = v as {
      dtype: string;
      shape: number[];
      data_offsets: [number, number];
    };
    if (dtype !== "F32") throw new RangeError(`safetensors: "${name}" is ${dtype}, not F32`);
    if (base + e > bytes.length || e - b !== 4 * shape.reduce((x, y) => x * y, 1)) {
      throw new RangeError(`safetensors: "${name}" has a bad byte range`);
    }
    const copy = bytes.slice(base + b, base + e); // aligned copy
    tensors.set(name, { shape, data: new Float32Array(copy.buffer) });
  }
  return { tensors, metadata: header.__metadata__ ?? {} };
}
