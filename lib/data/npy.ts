/**
 * NumPy `.npy` reading (format versions 1, 2 and 3; little-endian `<f4`, `<f8`, `<i4`, `<i8`,
 * C order) into float32 matrices, and a small writer used for fixtures and exports.
 *
 * Fortran-ordered arrays, object/pickled dtypes and big-endian data are rejected with a
 * DataError naming the file.
 *
 * @module
 */
import { DataError } from "./errors.ts";
import { requireFile } from "./files.ts";

/** A parsed `.npy` array, converted to float32, row-major. */
export interface NpyArray {
  /** The array shape, e.g. `[1425, 128]`. */
  shape: number[];
  /** The dtype as written in the header, e.g. `<f8`. */
  descr: string;
  /** All values in C order, converted to float32. */
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function headerField(header: string, key: string, file: string): string {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*`).exec(header);
  if (!m) throw new DataError({ file, field: key }, "missing in .npy header");
  return header.slice(m.index + m[0].length);
}

/**
 * Parses the bytes of a `.npy` file.
 *
 * @param bytes The whole file.
 * @param file Path used in error messages.
 */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) {
    throw new DataError({ file }, "not a .npy file (bad magic string)");
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new DataError({ file }, `unsupported .npy format version ${major}`);
  }
  if (start + headerLen > bytes.length) throw new DataError({ file }, "truncated .npy header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + headerLen),
  );
  const descrM = /^['"]([^'"]+)['"]/.exec(headerField(header, "descr", file));
  if (!descrM) throw new DataError({ file, field: "descr" }, "dtype is not a simple type string");
  const descr = descrM[1];
  const fortran = /^(True|False)/.exec(headerField(header, "fortran_order", file));
  if (!fortran) throw new DataError({ file, field: "fortran_order" }, "unreadable value");
  if (fortran[1] === "True") {
    throw new DataError(
      { file, field: "fortran_order" },
      "Fortran-ordered arrays are not supported",
    );
  }
  const shapeM = /^\(([^)]*)\)/.exec(headerField(header, "shape", file));
  if (!shapeM) throw new DataError({ file, field: "shape" }, "unreadable shape");
  const shape = shapeM[1].split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new DataError({ file, field: "shape" }, `bad shape (${shapeM[1]})`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize: Record<string, number> = { "<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8 };
  const size = itemSize[descr === "|f4" ? "<f4" : descr];
  if (size === undefined) {
    throw new DataError(
      { file, field: "descr" },
      `unsupported dtype "${descr}" (need little-endian <f4, <f8, <i4 or <i8)`,
    );
  }
  const offset = start + headerLen;
  if (bytes.length - offset < count * size) {
    throw new DataError(
      { file },
      `data too short: shape (${shape.join(", ")}) needs ${count * size} bytes, found ${
        bytes.length - offset
      }`,
    );
  }
  const data = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    const p = offset + k * size;
    switch (descr) {
      case "<f8":
        data[k] = view.getFloat64(p, true);
        break;
      case "<i4":
        data[k] = view.getInt32(p, true);
        break;
      case "<i8":
        data[k] = Number(view.getBigInt64(p, true));
        break;
      default:
        data[k] = view.getFloat32(p, true);
    }
  }
  return { shape, descr, data };
}

/** Reads and parses a `.npy` file; a missing file is a DataError "file not found". */
export async function readNpy(path: string): Promise<NpyArray> {
  await requireFile(path);
  return parseNpy(await Deno.readFile(path), path);
}

/** Options of {@linkcode encodeNpy}. */
export interface EncodeNpyOptions {
  /** `<f4` (default), `<f8`, `<i4` or `<i8`. */
  descr?: "<f4" | "<f8" | "<i4" | "<i8";
  /** Header version 1 (default), 2 or 3. */
  version?: 1 | 2 | 3;
  /** Write `fortran_order: True` (the data is written as given); only for tests of rejection. */
  fortranOrder?: boolean;
}

/**
 * Encodes values as a `.npy` file (C order, little-endian).
 *
 * @example Usage
 * ```ts
 * const bytes = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * parseNpy(bytes, "x.npy").shape; // [2, 2]
 * ```
 */
export function encodeNpy(
  values: ArrayLike<number>,
  shape: number[],
  opts: EncodeNpyOptions = {},
): Uint8Array {
  const descr = opts.descr ?? "<f4";
  const version = opts.version ?? 1;
  const size = descr.endsWith("8") ? 8 : 4;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) {
    throw new RangeError(
      `encodeNpy: shape (${shape.join(", ")}) needs ${count} values, got ${values.length}`,
    );
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${
    opts.fortranOrder ? "True" : "False"
  }, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, " ") + "\n";
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(pre + headerBytes.length + count * size);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, pre);
  const off = pre + headerBytes.length;
  for (let k = 0; k < count; k++) {
    const p = off + k * size;
    if (descr === "<f4") view.setFloat32(p, values[k], true);
    else if (descr === "<f8") view.setFloat64(p, values[k], true);
    else if (descr === "<i4") view.setInt32(p, values[k], true);
    else view.setBigInt64(p, BigInt(Math.trunc(values[k])), true);
  }
  return out;
}
