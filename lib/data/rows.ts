/**
 * The rows of a delimited user–item file, as the generic loader reads its interactions and the
 * files of a provided split: the delimiter detected on the first line unless given, each line
 * split into fields (a DataError names the file and line), and the first line skipped when it
 * is a header.
 *
 * @module
 */
import { type Delimiter, detectDelimiter, splitFields } from "./delimited.ts";
import { forEachLine } from "./lines.ts";

/** What a header field looks like: an id column's name (`user`, `item_id`, `movieId`, `asin`). */
export const HEADER_FIELD: RegExp = /user|item|movie|asin|id/i;

/** How {@linkcode forEachRow} reads a file. */
export interface RowOptions {
  /** Field separator, or `auto` (default: detected on the first line). */
  delimiter?: Delimiter | "auto";
  /** Whether the first line is a header; `auto` (default) asks `looksLikeHeader`. */
  header?: boolean | "auto";
  /** With `header: auto`: whether the first line's fields are a header. */
  looksLikeHeader: (fields: string[]) => boolean;
}

/**
 * Calls `visit` with the fields and line number of every row of `file` but a header (see the
 * module note). Returns when the file is read; a DataError from `visit` stops it.
 *
 * @example
 * ```ts
 * import { forEachRow, HEADER_FIELD } from "./rows.ts";
 * const pairs: [string, string][] = [];
 * await forEachRow("ratings.csv", {
 *   looksLikeHeader: (f) => HEADER_FIELD.test(f[0] ?? ""),
 * }, (f) => void pairs.push([f[0], f[1]]));
 * ```
 */
export async function forEachRow(
  file: string,
  opts: RowOptions,
  visit: (fields: string[], line: number) => void,
): Promise<void> {
  let delim: Delimiter | undefined = opts.delimiter === "auto" ? undefined : opts.delimiter;
  let first = true;
  await forEachLine(file, (text, line) => {
    delim ??= detectDelimiter(text);
    const f = splitFields(text, delim, { file, line });
    if (first) {
      first = false;
      const h = opts.header ?? "auto";
      if (h === true || (h === "auto" && opts.looksLikeHeader(f))) return;
    }
    visit(f, line);
  });
}
