/**
 * A dependency-free progress bar on stderr: it redraws in place on a terminal and writes plain
 * lines when stderr is a log file or a pipe — at most one every `logSeconds` (default 5 s) and
 * every `logEvery` steps, plus the last — so a log gets a handful of lines per trial rather than
 * one per step. The ETA comes from the step rate after a few warm-up steps (the first steps pay
 * for compilation and caches, and would inflate it), and {@linkcode formatDuration} is the one
 * duration format of the toolkit's progress lines.
 *
 * @module
 */

/** Options of a progress bar. */
export interface ProgressOptions {
  /** Text before the bar. */
  label: string;
  /** Total steps. */
  total: number;
  /**
   * When not a terminal: at least this many steps between two lines (default 1, i.e. only the
   * time interval applies). The last step always gets a line.
   */
  logEvery?: number;
  /** When not a terminal: at least this many seconds between two lines (default 5). */
  logSeconds?: number;
  /** Steps whose time the ETA leaves out (default {@linkcode WARMUP_STEPS}). */
  warmup?: number;
  /** Write nothing at all (tests). */
  silent?: boolean;
  /** Force terminal (redraw) or log (lines) mode; default: detect. */
  tty?: boolean;
  /** Where the text goes (default: stderr); tests collect it. */
  write?: (text: string) => void;
  /** Clock in milliseconds (default `performance.now`); tests move it by hand. */
  now?: () => number;
}

/** A running progress bar. */
export interface Progress {
  /** Sets the number of steps done and an optional status text (e.g. the loss). */
  update(done: number, status?: string): void;
  /** Writes a full line above the bar (e.g. a validation result). */
  note(text: string): void;
  /** Ends the bar (moves to a new line on a terminal). */
  done(): void;
}

/** Steps the ETA waits for before it measures the step rate. */
export const WARMUP_STEPS = 3;

/** Seconds between two progress lines in a log (stderr not a terminal). */
export const LOG_SECONDS = 5;

const enc = new TextEncoder();

type Writer = Pick<typeof Deno.stderr, "writeSync">;
const gone = new WeakSet<Writer>();

/**
 * Writes progress text to stderr; once stderr is a pipe nobody reads (a `--jobs` worker whose
 * coordinator was killed), drops it. `Deno.stderr.writeSync` throws `BrokenPipe` there, inside
 * the training loop, which would record a sound trial as failed; the worker should instead
 * finish and store it (it takes no new trial without its coordinator). `console.error` already
 * ignores a broken pipe. Returns false when the text was dropped.
 *
 * @example Usage
 * ```ts
 * writeStderr("epoch 3: valid NDCG@10 0.41\n");
 * ```
 */
export function writeStderr(s: string, out: Writer = Deno.stderr): boolean {
  if (gone.has(out)) return false;
  try {
    let bytes = enc.encode(s);
    while (bytes.length > 0) {
      const n = out.writeSync(bytes);
      if (n === 0) break;
      bytes = bytes.subarray(n);
    }
    return true;
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
    gone.add(out);
    return false;
  }
}

/** Where progress text goes and whether it is a terminal (tests collect it instead). */
export interface ProgressSink {
  write: (text: string) => void;
  /** A terminal: a line may be shown, then replaced. */
  tty: boolean;
}

/** Progress text to stderr ({@linkcode writeStderr}), a terminal when stderr is one. */
export const stderrSink: ProgressSink = {
  write: (text) => void writeStderr(text),
  get tty() {
    return Deno.stderr.isTerminal();
  },
};

/**
 * A duration for progress lines and captions: `12s`, `4m05s`, `1h02m`; `?` when unknown
 * (not finite or negative). Rounded to the unit shown before it is split, so 119.6 s is
 * `2m00s`, never `1m60s`.
 */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  const sec = Math.round(s);
  if (sec < 60) return `${sec}s`;
  if (sec < 3600) return `${Math.floor(sec / 60)}m${String(sec % 60).padStart(2, "0")}s`;
  const min = Math.round(sec / 60);
  return `${Math.floor(min / 60)}h${String(min % 60).padStart(2, "0")}m`;
}

/**
 * Seconds left at the step rate measured since step `warmup` (NaN until a step after the
 * warm-up is done; 0 when every step is).
 */
export function stepEta(
  done: number,
  total: number,
  warm: { done: number; at: number } | undefined,
  now: number,
): number {
  if (done >= total) return 0;
  if (!warm || done <= warm.done) return NaN;
  return ((now - warm.at) / 1000 / (done - warm.done)) * (total - done);
}

/** Starts a progress bar. */
export function progressBar(opts: ProgressOptions): Progress {
  const tty = opts.tty ?? Deno.stderr.isTerminal();
  const write = opts.write ?? writeStderr;
  const now = opts.now ?? (() => performance.now());
  const every = Math.max(1, opts.logEvery ?? 1);
  const gapMs = Math.max(0, opts.logSeconds ?? LOG_SECONDS) * 1000;
  const warmup = Math.max(0, opts.warmup ?? WARMUP_STEPS);
  const t0 = now();
  // When the warm-up ended: the ETA's rate is measured from here.
  let warm: { done: number; at: number } | undefined = warmup === 0
    ? { done: 0, at: t0 }
    : undefined;
  let last = "", loggedDone = 0, loggedAt = -Infinity;
  const line = (done: number, status: string, at: number) => {
    const width = 24, frac = opts.total > 0 ? Math.min(1, done / opts.total) : 1;
    const fill = Math.round(width * frac);
    const elapsed = (at - t0) / 1000;
    const eta = stepEta(done, opts.total, warm, at);
    return `${opts.label} [${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${opts.total}` +
      ` ${formatDuration(elapsed)} eta ${formatDuration(eta)}${status ? " " + status : ""}`;
  };
  return {
    update(done, status = "") {
      if (opts.silent) return;
      const at = now();
      if (!warm && done >= warmup) warm = { done, at };
      last = line(done, status, at);
      if (tty) write(`\r${last}\x1b[K`);
      else if (
        done >= opts.total || (done - loggedDone >= every && at - loggedAt >= gapMs)
      ) {
        write(`${last}\n`);
        loggedDone = done;
        loggedAt = at;
      }
    },
    note(text) {
      if (opts.silent) return;
      if (tty) write(`\r${text}\x1b[K\n${last}`);
      else write(`${text}\n`);
    },
    done() {
      if (!opts.silent && tty) write("\n");
    },
  };
}
