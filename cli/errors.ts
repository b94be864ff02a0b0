/**
 * Turns any error into one line on stderr and an exit code. Input problems (config, data, store,
 * ranges, command-line usage) exit 1 with their own message. Problems of the machine say what
 * they are and exit 1 too: a full disk (`ENOSPC`, SQLite's "database or disk is full"), a
 * permission denied and a locked store, each naming the path when the error carries one, and a
 * path that cannot be used as given (missing folder, a file where a directory is needed or the
 * reverse, something already there: `ENOENT`, `ENOTDIR`, `EISDIR`, `EEXIST`), named with what
 * is wrong, as in `error: cannot write /proc/x: no such directory`. A
 * programming error — a TypeError raised by the JavaScript engine inside the toolkit, such as
 * "Cannot read properties of undefined" — is not passed off as a problem of the input: it is
 * named an internal error with the place it happened and exits 2. `M2VAE_DEBUG` prints the
 * stack of any error after its line.
 *
 * @example
 * ```ts
 * import { describeError } from "./errors.ts";
 * const e = Object.assign(new Error("No space left on device (os error 28): write 'out/a.csv'"), {
 *   code: "ENOSPC",
 * });
 * describeError(e); // { line: "error: disk full: no space left on device writing out/a.csv …", code: 1 }
 * ```
 *
 * @module
 */
import { ConfigError } from "../lib/config/mod.ts";
import { DataError } from "../lib/data/errors.ts";
import { UsageError } from "../lib/run/errors.ts";
import { redactStoreUrls, StoreError } from "../lib/store/mod.ts";

/** A command used wrongly (an unknown name, a missing or malformed option): exit 1. */
export { UsageError };

/** What the JavaScript engine says when code, not input, is wrong. */
const ENGINE_TYPE_ERROR = new RegExp(
  [
    "^Cannot (read|set) propert",
    "^Cannot destructure",
    "^Cannot convert undefined or null",
    "is not a function",
    "is not a constructor",
    "is not iterable",
    "is not defined$",
    "^Assignment to constant",
    "^Cannot access '.*' before initialization",
    "^Cannot mix BigInt",
    "^Do not know how to serialize a BigInt",
  ].join("|"),
);

/** The quoted path of a Deno or SQLite message (`open '/x/y'`), if any. */
function pathIn(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

/** What Deno's file-system errors name, by `code`: the error classes behind each. */
const FS_ERRORS: [string, new (...args: never[]) => Error][] = [
  ["ENOENT", Deno.errors.NotFound],
  ["EEXIST", Deno.errors.AlreadyExists],
  ["ENOTDIR", Deno.errors.NotADirectory],
  ["EISDIR", Deno.errors.IsADirectory],
];

/** Deno's file-system operations that write (`mkdir`, `writefile`, `rename A -> B`, …). */
const WRITE_OPS = new Set(["mkdir", "writefile", "rename", "copy", "link", "symlink", "truncate"]);

/** Deno's file-system operations that read. */
const READ_OPS = new Set(["readfile", "stat", "lstat", "readdir", "realpath", "readlink"]);

/**
 * One plain line for a Deno file-system error about a path (`Not a directory (os error 20):
 * mkdir 'out/a'`): what could not be done to which path and why, e.g. `cannot write /proc/x:
 * no such directory`. Of an operation on two paths (`rename A -> B`, `copy A -> B`) it names
 * the destination, unless the source is the one missing. Undefined when `e` is no such error.
 */
function fsProblem(e: unknown, msg: string): string | undefined {
  const errno = (e as { code?: unknown } | null)?.code;
  const code = FS_ERRORS.find(([c, cls]) => errno === c || e instanceof cls)?.[0];
  // Anchored at the end, so that a path holding an apostrophe is read whole.
  const m = /\(os error \d+\): (\w+) '(.*?)'(?: -> '(.*)')?$/.exec(msg);
  if (!code || !m) return undefined;
  // A temporary file of an atomic write (`x.json.tmp-1234`) is named as the file it writes.
  const [op, from, to] = [m[1], m[2], m[3]].map((p) => p?.replace(/\.tmp-\d+$/, ""));
  let path = to ?? from;
  // (An atomic write's rename, its temporary file to the file, has one path once named.)
  if (to !== undefined && to !== from && code === "ENOENT") {
    try {
      Deno.lstatSync(from);
    } catch {
      path = from; // the source is the one missing
    }
  }
  const write = WRITE_OPS.has(op) && path === (to ?? from);
  const verb = write
    ? "write"
    : op === "remove"
    ? "remove"
    : READ_OPS.has(op) || to
    ? "read"
    : "open";
  const why = code === "ENOENT"
    ? (write ? "no such directory" : "no such file or directory")
    : code === "EEXIST"
    ? (op === "mkdir" ? "a file is there, not a directory" : "it already exists")
    : code === "ENOTDIR"
    ? (op === "readdir" ? "not a directory" : "a part of the path is a file, not a directory")
    : "it is a directory, not a file";
  return `error: cannot ${verb} ${path}: ${why}`;
}

/** The first stack frame of the toolkit's own code, as `lib/x.ts:12`. */
function whereIn(e: Error): string | undefined {
  for (const frame of (e.stack ?? "").split("\n").slice(1)) {
    const m = /((?:lib|cli)\/[\w./-]+\.ts):(\d+)/.exec(frame);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** The line to print for `e` (starting `error: `) and the exit code. */
export function describeError(e: unknown): { line: string; code: number } {
  // A store URL in a message never shows its password, whoever wrote the message.
  const msg = redactStoreUrls(e instanceof Error ? e.message.split("\n")[0] : String(e));
  if (
    e instanceof ConfigError || e instanceof DataError || e instanceof RangeError ||
    e instanceof StoreError || e instanceof UsageError
  ) {
    return { line: `error: ${msg}`, code: 1 };
  }
  const errno = (e as { code?: unknown } | null)?.code;
  if (
    errno === "ENOSPC" || /No space left on device|os error 28|database or disk is full/i.test(msg)
  ) {
    const path = pathIn(msg);
    return {
      line: `error: disk full: no space left on device${path ? ` writing ${path}` : ""} ` +
        `(${msg}); free some space or point --out / --store at another disk`,
      code: 1,
    };
  }
  if (e instanceof Deno.errors.PermissionDenied || errno === "EACCES" || errno === "EPERM") {
    const path = pathIn(msg);
    return { line: `error: permission denied${path ? `: ${path}` : ""} (${msg})`, code: 1 };
  }
  const fs = fsProblem(e, msg);
  if (fs) return { line: fs, code: 1 };
  if (/database is locked|SQLITE_BUSY/i.test(msg)) {
    return {
      line: `error: the result store is locked by another process (${msg}); wait for it or ` +
        "use another --store",
      code: 1,
    };
  }
  if (e instanceof TypeError && ENGINE_TYPE_ERROR.test(msg)) {
    const where = whereIn(e);
    return {
      line: `error: internal error (a bug in the toolkit, not a problem of your input): ` +
        `TypeError: ${msg}${where ? ` at ${where}` : ""}; rerun with M2VAE_DEBUG=1 for the stack`,
      code: 2,
    };
  }
  // The toolkit's own TypeErrors name what was wrong with a file or an argument it was given.
  if (e instanceof TypeError) return { line: `error: ${msg}`, code: 1 };
  return { line: `error: ${msg}`, code: 2 };
}

/**
 * Prints `error: …` and returns the exit code; under `M2VAE_DEBUG` also the error's stack, of an
 * exit-1 error too (a file-system error read as bad input may be the toolkit's own doing).
 */
export function reportError(e: unknown): number {
  const { line, code } = describeError(e);
  console.error(line);
  if (Deno.env.get("M2VAE_DEBUG") && e instanceof Error) {
    console.error(redactStoreUrls(e.stack ?? ""));
  }
  return code;
}
