/**
 * File-existence checks shared by the loaders: a missing input is a one-line DataError.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/**
 * Throws a DataError `"<path>: file not found"` unless `path` is an existing regular file.
 *
 * @param path File to check.
 * @param field Optional field name (e.g. the option that named the file).
 */
export async function requireFile(path: string, field?: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new DataError({ file: path, field }, "file not found");
    }
    throw e;
  }
  if (!info.isFile) throw new DataError({ file: path, field }, "not a regular file");
}

/** True when `path` exists and is a regular file. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Joins path segments with `/`, without doubling separators. */
export function joinPath(...parts: string[]): string {
  return parts.map((p, k) => (k === 0 ? p.replace(/\/+$/, "") : p.replace(/^\/+|\/+$/g, "")))
    .filter((p, k) => p !== "" || k === 0).join("/");
}

/** The last path segment (file or folder name). */
export function baseName(path: string): string {
  const parts = path.replace(/\/+$/, "").split("/");
  return parts[parts.length - 1];
}
