/**
 * Timing the real command line as a user runs it: one child process (e.g. `deno run -A
 * cli/main.ts run …`), its wall time, and its exit code. The child's progress and errors go to
 * this process's stderr; its standard output (the tables it prints) is dropped.
 *
 * @example Usage
 * ```ts
 * import { timeCommand } from "./cli_run.ts";
 * const r = await timeCommand([Deno.execPath(), "run", "-A", "cli/main.ts", "run", "x.yaml"]);
 * r.code; r.seconds;
 * ```
 *
 * @module
 */

/** What one timed command did. */
export interface TimedCommand {
  /** Exit code. */
  code: number;
  /** Wall seconds from start to exit. */
  seconds: number;
}

/**
 * Runs `argv` (program first) in `cwd` (default: this process's) and times it. The child's
 * stdout is dropped, its stderr inherited (with the child's own `--quiet`, only its dataset lines
 * and errors).
 */
export async function timeCommand(argv: readonly string[], cwd?: string): Promise<TimedCommand> {
  if (argv.length === 0) throw new RangeError("timeCommand: no program to run");
  const t0 = performance.now();
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const { code } = await child.status;
  return { code, seconds: (performance.now() - t0) / 1000 };
}
