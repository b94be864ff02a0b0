/**
 * Streaming line reader for large text files (plain or gzip), with 1-based line numbers.
 *
 * The file is read in chunks and never held whole in memory, so multi-GB rating files work.
 *
 * @module
 */
import { DataError } from "./errors.ts";
import { requireFile } from "./files.ts";

/** Options of {@linkcode forEachLine}. */
export interface LineOptions {
  /** Text encoding; `latin1` for ml-100k / ml-1m. Default `utf-8`. */
  encoding?: "utf-8" | "latin1";
  /** Decompress with gzip; default: when the path ends in `.gz`. */
  gzip?: boolean;
  /** Call the callback for empty (whitespace-only) lines too. Default false: they are skipped. */
  keepEmpty?: boolean;
}

/**
 * The first sign that a line is not text: a NUL byte (a binary file) or, in UTF-8, a byte
 * sequence that does not decode (the decoder's U+FFFD). Undefined for a clean line.
 */
export function notText(line: string, encoding: "utf-8" | "latin1" = "utf-8"): string | undefined {
  const nul = line.indexOf("\0");
  if (nul >= 0) return `binary data (a NUL byte at column ${nul + 1}): not a text file`;
  const bad = encoding === "utf-8" ? line.indexOf("\uFFFD") : -1;
  if (bad >= 0) {
    return `not valid UTF-8 at column ${bad + 1} (a binary file, or text in another encoding: ` +
      `convert it to UTF-8)`;
  }
  return undefined;
}

/**
 * Calls `fn(line, lineNo)` for every line of `path` (1-based numbers, `\r\n` or `\n` endings,
 * the last line may lack a newline). Empty lines are skipped unless `keepEmpty` is set; a
 * leading UTF-8 byte-order mark is removed. A line that is not text (a NUL byte, or bytes that
 * are not UTF-8) is a DataError naming the file and line, never a row read with U+FFFD in it.
 * Returns the number of lines read.
 *
 * @example Usage
 * ```ts
 * let n = 0;
 * await forEachLine("ratings.csv", (line, no) => { if (no > 1) n++; });
 * ```
 */
export async function forEachLine(
  path: string,
  fn: (line: string, lineNo: number) => void,
  opts: LineOptions = {},
): Promise<number> {
  await requireFile(path);
  const file = await Deno.open(path, { read: true });
  let bytes: ReadableStream<Uint8Array> = file.readable;
  if (opts.gzip ?? path.endsWith(".gz")) {
    bytes = bytes.pipeThrough(
      new DecompressionStream("gzip") as TransformStream<Uint8Array, Uint8Array>,
    );
  }
  const encoding = opts.encoding ?? "utf-8";
  const text = bytes.pipeThrough(new TextDecoderStream(encoding));
  let rest = "";
  let lineNo = 0;
  const emit = (raw: string) => {
    lineNo++;
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const problem = notText(line, encoding);
    if (problem) throw new DataError({ file: path, line: lineNo }, problem);
    if (!opts.keepEmpty && line.trim() === "") return;
    fn(line, lineNo);
  };
  try {
    for await (const chunk of text) {
      let start = 0;
      const buf = rest + chunk;
      let nl = buf.indexOf("\n", start);
      while (nl !== -1) {
        emit(buf.slice(start, nl));
        start = nl + 1;
        nl = buf.indexOf("\n", start);
      }
      rest = buf.slice(start);
    }
  } catch (e) {
    // A `.gz` name over bytes that are not gzip fails inside the decompressor.
    if (e instanceof TypeError && (opts.gzip ?? path.endsWith(".gz"))) {
      throw new DataError({ file: path }, `not gzip data (${e.message.split("\n")[0]})`);
    }
    throw e;
  }
  if (rest !== "") emit(rest);
  return lineNo;
}

/** Reads every non-empty line of a (small) text file with its 1-based line number. */
export async function readLines(
  path: string,
  opts: LineOptions = {},
): Promise<{ line: string; lineNo: number }[]> {
  const out: { line: string; lineNo: number }[] = [];
  await forEachLine(path, (line, lineNo) => out.push({ line, lineNo }), opts);
  return out;
}
