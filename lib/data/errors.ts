/**
 * Errors raised on bad input files. The message is one line that names the file and, where
 * known, the line and the field, so the CLI can print it as is and exit non-zero.
 *
 * @module
 */

/** Where in an input a problem was found. */
export interface DataErrorLocation {
  /** Path of the offending file (or a dataset name for in-memory data). */
  file: string;
  /** 1-based line number, when the input is line-oriented. */
  line?: number;
  /** Column, key or field name. */
  field?: string;
}

/**
 * A problem with an input data file: wrong dimension, NaN, unknown id, empty file, duplicates.
 *
 * @example Usage
 * ```ts
 * throw new DataError({ file: "ratings.csv", line: 12, field: "rating" }, "value is not a number: \"x\"");
 * // Error text: ratings.csv:12: field "rating": value is not a number: "x"
 * ```
 */
export class DataError extends Error {
  /** Where the problem is. */
  readonly location: DataErrorLocation;

  /**
   * @param location File, line and field of the problem.
   * @param detail What is wrong, in one line.
   */
  constructor(location: DataErrorLocation, detail: string) {
    const where = location.line !== undefined ? `${location.file}:${location.line}` : location.file;
    const field = location.field !== undefined ? ` field "${location.field}":` : "";
    super(`${where}:${field} ${detail}`.replace(/\s+/g, " "));
    this.name = "DataError";
    this.location = location;
  }
}
