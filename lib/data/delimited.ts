/**
 * Splitting one line of delimiter-separated text into fields: CSV with double quotes, TSV,
 * runs of whitespace, or any literal separator such as `::` or `|`; plus number parsing that
 * reports the file, line and field on failure.
 *
 * @module
 */
import { DataError, type DataErrorLocation } from "./errors.ts";

/** A field separator: `,` (CSV with quotes), `\t`, `whitespace`, or any literal string. */
export type Delimiter = "," | "\t" | "whitespace" | string;

/** How the rows of a delimited user–item file are read (the generic loader and its splits). */
export interface InteractionColumns {
  /** Field separator, or `auto` (default; see `detectDelimiter`). */
  delimiter?: Delimiter | "auto";
  /**
   * Whether the first line is a header; `auto` (default) treats it as one when its user or
   * item field contains `user`, `item`, `movie`, `asin` or `id` (case-insensitive).
   */
  header?: boolean | "auto";
  /** Column of the user id (default 0). */
  userColumn?: number;
  /** Column of the item id (default 1). */
  itemColumn?: number;
  /** Column of the rating (default 2, used when present); `null` ignores ratings. */
  ratingColumn?: number | null;
  /** Keep rows with rating >= this (default: keep all). */
  ratingThreshold?: number;
}

/**
 * Splits CSV text of one line, honouring double quotes (`"a, b"`, `"say ""hi"""`).
 * An unterminated quote throws a DataError at `loc`.
 */
export function splitCsvLine(line: string, loc: DataErrorLocation = { file: "<csv>" }): string[] {
  if (line.indexOf('"') === -1) return line.split(",");
  const out: string[] = [];
  let field = "";
  let k = 0;
  let quoted = false;
  while (k < line.length) {
    const ch = line[k];
    if (quoted) {
      if (ch === '"') {
        if (line[k + 1] === '"') {
          field += '"';
          k += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === ",") {
      out.push(field);
      field = "";
    } else {
      field += ch;
    }
    k++;
  }
  if (quoted) throw new DataError(loc, "unterminated quoted field");
  out.push(field);
  return out;
}

/** Splits one line by `delim` (see {@linkcode Delimiter}). */
export function splitFields(
  line: string,
  delim: Delimiter,
  loc: DataErrorLocation = { file: "<text>" },
): string[] {
  if (delim === ",") return splitCsvLine(line, loc);
  if (delim === "whitespace") return line.trim().split(/\s+/);
  return line.split(delim);
}

/**
 * Guesses the separator of a line: tab, then `::`, then comma, else whitespace.
 *
 * @example Usage
 * ```ts
 * detectDelimiter("1::2::5"); // "::"
 * ```
 */
export function detectDelimiter(line: string): Delimiter {
  if (line.includes("\t")) return "\t";
  if (line.includes("::")) return "::";
  if (line.includes(",")) return ",";
  return "whitespace";
}

/**
 * Parses a decimal number; throws a DataError at `loc` if the text is not a finite number.
 */
export function parseNumber(text: string, loc: DataErrorLocation): number {
  const t = text.trim();
  const v = t === "" ? NaN : Number(t);
  if (!Number.isFinite(v)) {
    throw new DataError(loc, `value is not a finite number: "${t.slice(0, 40)}"`);
  }
  return v;
}

/** Parses a non-negative integer (e.g. a count or a row index); throws a DataError otherwise. */
export function parseCount(text: string, loc: DataErrorLocation): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new DataError(loc, `not a non-negative integer: "${t.slice(0, 40)}"`);
  return Number(t);
}
