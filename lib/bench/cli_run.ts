/**
 * Timing the real command line as a user runs it: one child process (e.g. `deno run -A
 * cli/main.ts run …`), its wall time, and its exit code. The child's progress and errors go to
 * this process's stderr; its standard output (the tables it prints) is dropped.
 *
 * @example Usage
 * ```ts
 * import { timeCommand } from "./cli_run.ts";
 * const r = await timeCommand([Deno.execPath(), "run", "-A", "cli/main.ts", "run", "x.yaml"]);
 * r.code; r.seconds; r.cpuSeconds; // CPU seconds on Linux, undefined elsewhere
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
  /**
   * CPU seconds (user and system) of the child and every process it waited for (a run's worker
   * processes), from this process's children's times in `/proc/self/stat`; undefined where that
   * file is not (not Linux). Only one command may run at a time for this to be the child's own.
   */
  cpuSeconds?: number;
}

/**
 * CPU seconds of this process's waited-for children so far (`cutime + cstime` of
 * `/proc/self/stat`, in the kernel's fixed 100 ticks per second), or undefined without `/proc`.
 */
export async function childrenCpuSeconds(): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile("/proc/self/stat");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = text.slice(text.lastIndexOf(")") + 2).trim().split(/\s+/);
  const cutime = Number(fields[13]), cstime = Number(fields[14]); // fields 16 and 17
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / 100 : undefined;
}

/**
 * Runs `argv` (program first) in `cwd` (default: this process's) and times it. The child's
 * stdout is dropped, its stderr inherited (with the child's own `--quiet`, only its dataset lines
 * and errors).
 */
export async function timeCommand(argv: readonly string[], cwd?: string): Promise<TimedCommand> {
  if (argv.length === 0) throw new RangeError("timeCommand: no program to run");
  const cpu0 = await childrenCpuSeconds();
  const t0 = performance.now();
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const { code } = await child.status;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = await childrenCpuSeconds();
  return {
    code,
    seconds,
    cpuSeconds: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
  };
}

/**
 * The options of a `run` whose store, report files and caches stay apart from everything else's
 * (a bench's own run): `--jobs`, then `--store`, `--out` and `--cache-dir` under the paths given,
 * and `--quiet`.
 *
 * @example Usage
 * ```ts
 * apartRunOptions(2, { store: "/tmp/b/store.sqlite", out: "/tmp/b/out", cacheDir: "/tmp/b/cache" });
 * // ["--jobs", "2", "--store", "/tmp/b/store.sqlite", "--out", "/tmp/b/out", "--cache-dir", "/tmp/b/cache", "--quiet"]
 * ```
 */
export function apartRunOptions(
  jobs: number,
  paths: { store: string; out: string; cacheDir: string },
): string[] {
  return [
    "--jobs",
    String(jobs),
    "--store",
    paths.store,
    "--out",
    paths.out,
    "--cache-dir",
    paths.cacheDir,
    "--quiet",
  ];
}
