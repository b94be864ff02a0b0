/**
 * A dependency-free progress bar on stderr: it redraws in place on a terminal and writes plain
 * lines (one per `logEvery` steps) when stderr is a log file or a pipe.
 *
 * @module
 */

/** Options of a progress bar. */
export interface ProgressOptions {
  /** Text before the bar. */
  label: string;
  /** Total steps. */
  total: number;
  /** When not a terminal: write one line every this many steps (default 1), plus the last. */
  logEvery?: number;
  /** Write nothing at all (tests). */
  silent?: boolean;
  /** Force terminal (redraw) or log (lines) mode; default: detect. */
  tty?: boolean;
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

const enc = new TextEncoder();

function write(s: string): void {
  Deno.stderr.writeSync(enc.encode(s));
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

/** Starts a progress bar. */
export function progressBar(opts: ProgressOptions): Progress {
  const tty = opts.tty ?? Deno.stderr.isTerminal();
  const every = Math.max(1, opts.logEvery ?? 1);
  const t0 = performance.now();
  let last = "";
  const line = (done: number, status: string) => {
    const width = 24, frac = opts.total > 0 ? Math.min(1, done / opts.total) : 1;
    const fill = Math.round(width * frac);
    const elapsed = (performance.now() - t0) / 1000;
    const eta = done > 0 ? (elapsed * (opts.total - done)) / done : NaN;
    return `${opts.label} [${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${opts.total}` +
      ` ${formatSeconds(elapsed)} eta ${formatSeconds(eta)}${status ? " " + status : ""}`;
  };
  return {
    update(done, status = "") {
      if (opts.silent) return;
      last = line(done, status);
      if (tty) write(`\r${last}\x1b[K`);
      else if (done % every === 0 || done === opts.total) write(`${last}\n`);
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
