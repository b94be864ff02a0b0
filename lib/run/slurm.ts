/**
 * The Slurm executor: an sbatch script for a job array whose tasks are workers (`worker
 * --wait-for-running`), each claiming trials of one experiment from the store until none is left
 * anywhere, and its submission with `sbatch`. The experiment's trials are registered in the store
 * first (by the coordinator); the store must be on a filesystem every node sees. A task killed
 * by Slurm (time limit, preemption, node failure) loses at most its trial in flight, which the
 * other tasks re-queue when its lease expires (`M2VAE_LEASE_SECONDS`).
 *
 * @example Usage
 * ```ts
 * import { slurmScript, submitSlurm, writeSlurmScript } from "./slurm.ts";
 *
 * const script = slurmScript({
 *   experiment: "table3",
 *   store: "/shared/m2vae/store.sqlite",
 *   workdir: "/shared/m2vae",
 *   logDir: "/shared/m2vae/results/slurm",
 *   tasks: 16,
 *   concurrent: 8,
 *   partition: "cpu",
 *   time: "04:00:00",
 *   mem: "8G",
 *   setup: "module load nodejs",
 * });
 * const path = await writeSlurmScript("/shared/m2vae/results/slurm/table3.sbatch", script);
 * const jobId = await submitSlurm(path); // "123456"
 * ```
 *
 * @module
 */
import { dirname } from "node:path";
import type { SlurmBlock } from "../config/slurm_schema.ts";

/** What the job array runs and asks for. */
export interface SlurmOptions {
  /** The experiment whose trials the tasks claim (registered in the store beforehand). */
  experiment: string;
  /** The result store, as every node sees it (an absolute path). */
  store: string;
  /**
   * The folder the tasks run in (an absolute path): relative store, data and cache paths are
   * read from there, as the coordinator read them.
   */
  workdir: string;
  /** The toolkit checkout whose `cli/main.ts` the tasks run (default: `workdir`). */
  toolkit?: string;
  /** Where each task's log goes (`<job name>-<job id>_<task>.out`). */
  logDir: string;
  /** Array tasks, one worker each: `--array=0-(tasks−1)`. */
  tasks: number;
  /** At most this many tasks at once: `%K` (default: all). */
  concurrent?: number;
  /** `--job-name` (default `m2vae-<experiment>`). */
  jobName?: string;
  partition?: string;
  /** `--time`, e.g. `04:00:00` or `2-00:00:00`. */
  time?: string;
  /** `--cpus-per-task` (default 1: TF.js wasm trains on one core). */
  cpusPerTask?: number;
  /** `--mem`, e.g. `8G`. */
  mem?: string;
  /** Further `#SBATCH` lines, e.g. `--account=lab` or `#SBATCH --qos=long`. */
  extra?: string[];
  /** Shell lines run before the worker starts, e.g. `module load nodejs`. */
  setup?: string;
  /** The deno executable on the nodes (default: this one). */
  deno?: string;
  /** Further options of `worker`, e.g. `--cache-dir`, `--backend`, `--no-checkpoints`. */
  workerArgs?: string[];
  /** `M2VAE_LEASE_SECONDS` of the workers (default: theirs, 300). */
  leaseSeconds?: number;
  /** `--requeue`: Slurm requeues a task that a node failure or preemption ended. */
  requeue?: boolean;
}

/** `'text'` for bash, whatever the text holds. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function oneLine(name: string, v: string): string {
  if (/[\r\n]/.test(v)) {
    throw new RangeError(`slurm ${name}: must be one line, got ${JSON.stringify(v)}`);
  }
  return v;
}

function positive(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new RangeError(`slurm ${name}: expected a positive integer, got ${v}`);
  }
  return v;
}

/** The sbatch script of the job array. */
export function slurmScript(o: SlurmOptions): string {
  const tasks = positive("tasks", o.tasks);
  const k = o.concurrent === undefined ? "" : `%${positive("concurrent", o.concurrent)}`;
  const name = oneLine("job name", o.jobName ?? `m2vae-${o.experiment}`);
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=${name}`,
    `#SBATCH --array=0-${tasks - 1}${k}`,
    "#SBATCH --ntasks=1",
    `#SBATCH --cpus-per-task=${positive("cpus per task", o.cpusPerTask ?? 1)}`,
    `#SBATCH --output=${oneLine("log folder", o.logDir)}/%x-%A_%a.out`,
  ];
  if (o.partition) lines.push(`#SBATCH --partition=${oneLine("partition", o.partition)}`);
  if (o.time) lines.push(`#SBATCH --time=${oneLine("time", o.time)}`);
  if (o.mem) lines.push(`#SBATCH --mem=${oneLine("mem", o.mem)}`);
  if (o.requeue) lines.push("#SBATCH --requeue");
  for (const e of o.extra ?? []) {
    const line = oneLine("extra line", e.trim());
    lines.push(line.startsWith("#SBATCH") ? line : `#SBATCH ${line}`);
  }
  const deno = o.deno ?? Deno.execPath();
  const worker = [
    shellQuote(deno),
    "run",
    "-A",
    "--config",
    shellQuote(`${o.toolkit ?? o.workdir}/deno.json`),
    shellQuote(`${o.toolkit ?? o.workdir}/cli/main.ts`),
    "worker",
    "--store",
    shellQuote(o.store),
    "--experiment",
    shellQuote(o.experiment),
    "--wait-for-running",
    ...(o.workerArgs ?? []).map(shellQuote),
  ];
  lines.push(
    "",
    "# One worker per array task: it claims trials of the experiment until none is pending or",
    "# running anywhere, taking over any whose lease expired (a task killed mid-trial).",
    "set -euo pipefail",
    `cd ${shellQuote(o.workdir)}`,
  );
  if (o.setup) lines.push(o.setup);
  if (o.leaseSeconds !== undefined) lines.push(`export M2VAE_LEASE_SECONDS=${o.leaseSeconds}`);
  lines.push(`exec ${worker.join(" ")}`, "");
  return lines.join("\n");
}

/** Writes the script (and its log folder); returns its path. */
export async function writeSlurmScript(path: string, script: string): Promise<string> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const log = /^#SBATCH --output=(.*)\/%x-%A_%a\.out$/m.exec(script)?.[1];
  if (log) await Deno.mkdir(log, { recursive: true });
  await Deno.writeTextFile(path, script, { mode: 0o755 });
  return path;
}

/**
 * Submits a script with `sbatch --parsable`; returns the job id. A missing `sbatch` or a refused
 * submission is one line naming it.
 */
export async function submitSlurm(path: string, sbatch = "sbatch"): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(sbatch, { args: ["--parsable", path], stdin: "null" }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${sbatch}: not found on PATH (is this a Slurm login node?)`);
    }
    throw e;
  }
  const text = new TextDecoder();
  if (!out.success) {
    const why = text.decode(out.stderr).trim().split("\n")[0] || `exit code ${out.code}`;
    throw new Error(`${sbatch} refused ${path}: ${why}`);
  }
  const id = text.decode(out.stdout).trim().split("\n").pop()!.split(";")[0];
  if (!/^\d+$/.test(id)) {
    throw new Error(`${sbatch}: unexpected answer "${id}" (expected a job id)`);
  }
  return id;
}

/** The resources `--slurm key=value` may set, with what each becomes. */
export const SLURM_KEYS: Readonly<Record<string, string>> = {
  partition: "#SBATCH --partition",
  time: "#SBATCH --time, e.g. 04:00:00",
  cpus: "#SBATCH --cpus-per-task (default 1)",
  mem: "#SBATCH --mem, e.g. 8G",
  concurrent: "at most this many array tasks at once (%K)",
  sbatch: "a further #SBATCH line, e.g. --account=lab (repeatable)",
  setup: "a shell line run before the worker, e.g. module load nodejs",
  lease: "the workers' lease in seconds (M2VAE_LEASE_SECONDS)",
  requeue: "true: Slurm requeues a task a node failure or preemption ended",
  name: "#SBATCH --job-name (default m2vae-<experiment>)",
};

/** The job array's resources an experiment's `slurm:` block asks for (checked when loaded). */
export type SlurmResources = Partial<
  Omit<SlurmOptions, "experiment" | "store" | "workdir" | "logDir" | "tasks">
>;

/**
 * The resources of an experiment's `slurm:` block, with `flags` (from `--slurm key=value`,
 * {@linkcode slurmSettings}) overriding it key by key: `--slurm sbatch=…` lines replace the
 * block's `extra`, not add to them.
 *
 * @example Usage
 * ```ts
 * import { slurmResources, slurmSettings } from "./slurm.ts";
 * slurmResources({ partition: "cpu", memory: "8G" }, slurmSettings(["mem=16G"]));
 * // { partition: "cpu", mem: "16G" }
 * ```
 */
export function slurmResources(block: SlurmBlock, flags: SlurmResources = {}): SlurmResources {
  const fromBlock: SlurmResources = {
    partition: block.partition,
    time: block.time,
    cpusPerTask: block.cpusPerTask,
    mem: block.memory,
    extra: block.extra,
    setup: block.setup,
  };
  const out: SlurmResources = {};
  for (const [k, v] of Object.entries({ ...fromBlock, ...flags })) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The resources of `--slurm key=value` options (repeatable); a wrong key names the known ones. */
export function slurmSettings(pairs: readonly string[]): SlurmResources {
  const out: ReturnType<typeof slurmSettings> = {};
  const int = (k: string, v: string) => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(n >= 1)) throw new RangeError(`--slurm ${k}: expected a positive integer, got "${v}"`);
    return n;
  };
  for (const p of pairs) {
    const i = p.indexOf("=");
    const k = i < 0 ? p : p.slice(0, i), v = i < 0 ? "" : p.slice(i + 1);
    if (!(k in SLURM_KEYS) || i < 0) {
      throw new RangeError(
        `--slurm ${p}: expected key=value with key one of ${Object.keys(SLURM_KEYS).join(", ")}`,
      );
    }
    if (k === "partition") out.partition = v;
    else if (k === "time") out.time = v;
    else if (k === "mem") out.mem = v;
    else if (k === "cpus") out.cpusPerTask = int(k, v);
    else if (k === "concurrent") out.concurrent = int(k, v);
    else if (k === "sbatch") out.extra = [...(out.extra ?? []), v];
    else if (k === "setup") out.setup = v;
    else if (k === "name") out.jobName = v;
    else if (k === "requeue") out.requeue = v === "true";
    else if (k === "lease") {
      const n = Number(v);
      if (!(n > 0)) throw new RangeError(`--slurm lease: expected positive seconds, got "${v}"`);
      out.leaseSeconds = n;
    }
  }
  return out;
}
