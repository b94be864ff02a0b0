/**
 * The local executor's worker processes: how many `--jobs` asks for ({@linkcode jobsOption},
 * capped at the machine's cores) and how each is started ({@linkcode workerSpawner}: the
 * toolkit's `worker` command on the same store, its stderr lines prefixed with its number).
 * The scheduler (`scheduler.ts`) starts them and waits for them.
 *
 * @example Usage
 * ```ts
 * import { jobsOption, workerSpawner } from "./worker_processes.ts";
 * const jobs = jobsOption("2"); // 2 (a warning and the core count when above it)
 * const spawn = workerSpawner("results/store.sqlite", "demo", {
 *   cacheDir: ".cache",
 *   backend: "wasm",
 *   checkpoints: true,
 *   fromScratch: false,
 * });
 * const child = spawn(0); // stderr lines come out as "[worker 1] …"
 * await child.status;
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { UsageError } from "./errors.ts";

/**
 * The number of worker processes of `--jobs`: a positive integer, capped at the machine's cores
 * with a one-line warning (TF.js wasm runs one trial per core; more workers only contend).
 */
export function jobsOption(
  value: string | number | undefined,
  cores = navigator.hardwareConcurrency,
): number {
  const text = String(value ?? "1").trim();
  const jobs = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(jobs) || jobs < 1) {
    throw new UsageError(
      `--jobs: expected a positive integer (worker processes, 1 to ${cores} here), got ` +
        `"${value}"`,
    );
  }
  if (jobs > cores) {
    console.error(
      `warning: --jobs ${jobs} is more than the ${cores} cores of this machine; using ${cores}`,
    );
    return cores;
  }
  return jobs;
}

/**
 * The command line of this toolkit as a child process, program first, up to (not including)
 * the command name: this Deno running the toolkit's `cli/main.ts` with the toolkit's own
 * `deno.json` (its import map), whatever the child's working directory.
 *
 * @example
 * ```ts
 * const argv = [...toolkitCommand(), "status", "--store", "results/store.sqlite"];
 * ```
 */
export function toolkitCommand(): string[] {
  const main = fileURLToPath(new URL("../../cli/main.ts", import.meta.url));
  const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
  return [Deno.execPath(), "run", "-A", "--config", config, main];
}

/** How every worker of a run works, whatever starts it (a local process or a Slurm task). */
export interface WorkerSettings {
  /** Caches shared by trials. */
  cacheDir: string;
  /** TF.js backend. */
  backend: string;
  /** False: keep no checkpoints (`--no-checkpoints`). */
  checkpoints: boolean;
  /** True: no trial continues a stored run under a smaller cap (`run --fresh`). */
  fromScratch: boolean;
  /** True: no per-step progress lines (`run --quiet`). */
  quiet?: boolean;
}

/**
 * The `worker` command's options for `s`, beside `--store` and `--experiment`.
 *
 * @example Usage
 * ```ts
 * workerArgs({ cacheDir: ".cache", backend: "wasm", checkpoints: false, fromScratch: true });
 * // ["--cache-dir", ".cache", "--backend", "wasm", "--no-checkpoints", "--from-scratch"]
 * ```
 */
export function workerArgs(s: WorkerSettings): string[] {
  return [
    "--cache-dir",
    s.cacheDir,
    "--backend",
    s.backend,
    ...(s.checkpoints ? [] : ["--no-checkpoints"]),
    ...(s.fromScratch ? ["--from-scratch"] : []),
    ...(s.quiet ? ["--quiet"] : []),
  ];
}

/**
 * Spawns a worker process (the toolkit's `worker` command) that claims trials of `experiment`
 * from `store`; its stderr lines come out prefixed with its number.
 */
export function workerSpawner(
  store: string,
  experiment: string,
  settings: WorkerSettings,
): (i: number) => Deno.ChildProcess {
  const [program, ...toolkit] = toolkitCommand();
  return (i: number) => {
    const child = new Deno.Command(program, {
      args: [
        ...toolkit,
        "worker",
        "--store",
        store,
        "--experiment",
        experiment,
        ...workerArgs(settings),
      ],
      stdout: "inherit",
      stderr: "piped",
    }).spawn();
    // Prefix the worker's lines so that interleaved output stays readable.
    (async () => {
      let rest = "";
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        for (const p of parts) console.error(`[worker ${i + 1}] ${p}`);
      }
      if (rest) console.error(`[worker ${i + 1}] ${rest}`);
    })();
    return child;
  };
}
