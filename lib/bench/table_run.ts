/**
 * The time a user waits for a table: one seed of every row of an experiment file (e.g.
 * `experiments/table3.yaml`) at its configured budget, run through the real command line
 * (`run <table> --set seeds=1 --jobs N`) into a temporary store. The wall time of the whole run
 * is measured; each row's time is what the store records of its trials (setup, training and
 * evaluation seconds, the figures the report's CPU-time caption sums); and the time of a full
 * table of `seeds` seeds is projected from them ({@linkcode projectSeeds}); {@linkcode tableRunFigures}
 * are the figures `deno task bench --table` prints of it.
 *
 * @example Usage
 * ```ts
 * import { runTableBench } from "./table_run.ts";
 * const r = await runTableBench({
 *   cli: [Deno.execPath(), "run", "-A", "cli/main.ts"],
 *   table: "experiments/table3.yaml",
 *   datasets: ["lastfm-2k-multimodal"],
 *   dataRoot: "../shared/data",
 *   jobs: 2,
 * });
 * r.seconds; r.rows; projectSeeds(r, 5);
 * tableRunFigures(r, 5); // the wall time, and its projection to 5 seeds
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { recordedSeconds, ResultStore, type TrialInfo } from "../store/mod.ts";
import { apartRunOptions, timeCommand } from "./cli_run.ts";
import type { BenchFigure } from "./runtime.ts";

/** Options of {@linkcode runTableBench}. */
export interface TableBenchOptions {
  /** The command line to call, program first, up to (not including) the command name. */
  cli: readonly string[];
  /** The experiment file. */
  table: string;
  /** Replace the experiment's datasets (`--datasets`); none = its own. */
  datasets?: readonly string[];
  dataRoot?: string;
  /** Worker processes (`--jobs`). */
  jobs: number;
  /** More `--set key=value` overrides after `seeds=1`. */
  sets?: readonly string[];
  /** Working directory of the child (default: this process's). */
  cwd?: string;
}

/** One row's recorded time. */
export interface RowTime {
  label: string;
  dataset: string;
  trials: number;
  /** Trials that did not finish (failed or still pending). */
  unfinished: number;
  /** Setup + training + evaluation seconds the store recorded, summed over the row's trials. */
  seconds: number;
  /**
   * Of those, the tuning trials (link role `tune`: the rungs of `search: { method: tune }`, run
   * once on the first seed whatever the seeds) and their seconds; the rest are the row's final
   * runs (role `result`), which repeat per seed.
   */
  tuneTrials: number;
  tuneSeconds: number;
}

/** What a table run measured. */
export interface TableBenchResult {
  /** The command's exit code. */
  code: number;
  /** Wall seconds of the whole run. */
  seconds: number;
  jobs: number;
  rows: RowTime[];
}

/** A `--jobs` value: a whole number ≥ 1 (the option's name in the error). */
export function parseJobs(value: string | number, option = "--jobs"): number {
  const n = Number(value);
  if (String(value).trim() === "" || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${option}: expected a whole number ≥ 1, got "${value}"`);
  }
  return n;
}

/**
 * What a table bench's `run` plans: one seed and the `--set` overrides, and the `--datasets`
 * (none: the table's own). {@linkcode tableRunArgs} passes them, and the bench command checks them
 * with `run`'s own checks before it times the run.
 *
 * @example Usage
 * ```ts
 * tableRunPlan({ table: "t.yaml", sets: ["settings.epochs=1"], datasets: [] });
 * // { overrides: ["seeds=1", "settings.epochs=1"], datasets: undefined }
 * ```
 */
export function tableRunPlan(
  o: Pick<TableBenchOptions, "table" | "sets" | "datasets">,
): { overrides: string[]; datasets?: string[] } {
  return {
    overrides: ["seeds=1", ...(o.sets ?? [])],
    datasets: o.datasets && o.datasets.length > 0 ? [...o.datasets] : undefined,
  };
}

/** The arguments of the `run` command a table bench calls (after the CLI program). */
export function tableRunArgs(
  o: Omit<TableBenchOptions, "cli" | "cwd">,
  paths: { store: string; out: string; cacheDir: string },
): string[] {
  const { overrides, datasets } = tableRunPlan(o);
  const args = [o.table, ...overrides.flatMap((s) => ["--set", s])];
  if (datasets) args.push("--datasets", datasets.join(","));
  if (o.dataRoot) args.push("--data-root", o.dataRoot);
  return ["run", ...args, ...apartRunOptions(o.jobs, paths)];
}

/** Each row's recorded seconds and trial counts, in the order rows first appear. */
export function rowTimes(trials: readonly TrialInfo[]): RowTime[] {
  const rows = new Map<string, RowTime>();
  for (const t of trials) {
    const key = `${t.spec.dataset}\u0000${t.spec.label}`;
    const row = rows.get(key) ?? {
      label: t.spec.label,
      dataset: t.spec.dataset,
      trials: 0,
      unfinished: 0,
      seconds: 0,
      tuneTrials: 0,
      tuneSeconds: 0,
    };
    const secs = recordedSeconds(t);
    row.trials++;
    if (t.status !== "done") row.unfinished++;
    row.seconds += secs;
    if (t.role === "tune") {
      row.tuneTrials++;
      row.tuneSeconds += secs;
    }
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** The parts of {@linkcode projectSeeds}' estimate. */
export interface SeedProjection {
  /** Projected wall seconds with `seeds` seeds. */
  seconds: number;
  /** Loading, planning and starting workers: paid once. */
  fixed: number;
  /** Tuning trials (run once) and final runs (once per seed) of the measured run. */
  tuneTrials: number;
  resultTrials: number;
  /** Workers the projected trials are spread over: `min(jobs, tuning + seeds · final runs)`. */
  workers: number;
}

/**
 * The projected wall time of the same run with `seeds` seeds, and its parts. The measured run
 * had one seed: its fixed part (loading, planning, starting workers: the wall time beyond the
 * recorded trial time spread over its `min(jobs, trials)` workers) is paid once; the tuning
 * trials (role `tune`) run once whatever the seeds (on the first seed, `lib/run/tune.ts`); the
 * final runs (role `result`) run once per seed, each as long as the measured one; and the trials
 * are spread over `min(jobs, tuning + seeds · final runs)` workers. When the trials recorded more
 * than the wall allows (timing noise), the measured wall beyond the fixed part is scaled instead
 * of the recorded seconds. (A tuned row's first-seed final run continues its top rung, so its
 * further seeds, trained from scratch, can take longer than projected.)
 *
 * @example
 * ```ts
 * // 100 s of wall, 180 s of trials on 2 workers: 10 s fixed, 90 s per seed.
 * const rows = [{ label: "A", dataset: "d", trials: 4, unfinished: 0, seconds: 180, tuneTrials: 0, tuneSeconds: 0 }];
 * seedProjection({ seconds: 100, jobs: 2, rows }, 5); // { seconds: 460, fixed: 10, workers: 2, … }
 * ```
 */
export function seedProjection(
  r: Pick<TableBenchResult, "seconds" | "jobs" | "rows">,
  seeds: number,
): SeedProjection {
  if (!Number.isInteger(seeds) || seeds < 1) {
    throw new RangeError(`projectSeeds: expected a whole number of seeds ≥ 1, got ${seeds}`);
  }
  let tuneTrials = 0, tuneSeconds = 0, resultTrials = 0, resultSeconds = 0;
  for (const row of r.rows) {
    tuneTrials += row.tuneTrials;
    tuneSeconds += row.tuneSeconds;
    resultTrials += row.trials - row.tuneTrials;
    resultSeconds += row.seconds - row.tuneSeconds;
  }
  const compute = tuneSeconds + resultSeconds;
  const measuredWorkers = Math.max(1, Math.min(r.jobs, tuneTrials + resultTrials));
  const fixed = Math.max(0, r.seconds - compute / measuredWorkers);
  const workers = Math.max(1, Math.min(r.jobs, tuneTrials + seeds * resultTrials));
  // The measured wall beyond the fixed part, scaled by the trial seconds and the workers.
  const variable = compute > 0
    ? (r.seconds - fixed) * ((tuneSeconds + seeds * resultSeconds) / compute) *
      (measuredWorkers / workers)
    : 0;
  return { seconds: fixed + variable, fixed, tuneTrials, resultTrials, workers };
}

/** The projected wall seconds of {@linkcode seedProjection}. */
export function projectSeeds(
  r: Pick<TableBenchResult, "seconds" | "jobs" | "rows">,
  seeds: number,
): number {
  return seedProjection(r, seeds).seconds;
}

/** What a projection assumed, for the printed figure's note. */
export function projectionNote(p: SeedProjection, seeds: number): string {
  const spread = `over ${p.workers} worker${p.workers === 1 ? "" : "s"}`;
  const start = `${formatSeconds(p.seconds)}: start-up once (${formatSeconds(p.fixed)})`;
  if (p.tuneTrials === 0) return `${start}, the ${p.resultTrials} trial(s) ${seeds}×, ${spread}`;
  return `${start}, the ${p.tuneTrials} tuning trial(s) once, the ${p.resultTrials} final ` +
    `run(s) ${seeds}× at the first seed's time (a tuned row's later seeds train from scratch: ` +
    `longer), ${spread}`;
}

/**
 * Seconds for people: `12.3 s`, `3 min 05 s`, `1 h 02 min`.
 *
 * @example
 * ```ts
 * formatSeconds(185); // "3 min 05 s"
 * ```
 */
export function formatSeconds(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)} s`;
  if (s < 3570) {
    const t = Math.round(s);
    return `${Math.floor(t / 60)} min ${String(t % 60).padStart(2, "0")} s`;
  }
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/**
 * The figures of a table run: its wall time with the time recorded in trials, and, when it
 * succeeded with rows, its wall time projected to `seeds` seeds.
 */
export function tableRunFigures(r: TableBenchResult, seeds: number): BenchFigure[] {
  const recorded = r.rows.reduce((s, row) => s + row.seconds, 0);
  const figures: BenchFigure[] = [{
    name: `table run, 1 seed, --jobs ${r.jobs} (wall)`,
    value: r.seconds / 60,
    unit: "min",
    note: `${formatSeconds(r.seconds)}; ${formatSeconds(recorded)} recorded in trials`,
  }];
  if (r.rows.length > 0 && r.code === 0) {
    const p = seedProjection(r, seeds);
    figures.push({
      name: `table run projected to ${seeds} seeds, --jobs ${r.jobs} (wall)`,
      value: p.seconds / 60,
      unit: "min",
      note: projectionNote(p, seeds),
    });
  }
  return figures;
}

/** Checks that the experiment file exists and is a file (one clear line otherwise). */
export async function checkTableFile(path: string): Promise<void> {
  const info = await Deno.stat(path).catch(() => null);
  if (info === null) throw new RangeError(`--table: no such file "${path}"`);
  if (!info.isFile) throw new RangeError(`--table: "${path}" is not a file`);
}

/**
 * Runs one seed of every row of the table through the command line into a temporary store
 * (removed afterwards, caches included: BPR-MF pretraining counts, as on a first run) and reads
 * each row's recorded time back.
 */
export async function runTableBench(o: TableBenchOptions): Promise<TableBenchResult> {
  await checkTableFile(o.table);
  const jobs = parseJobs(o.jobs);
  const tmp = await Deno.makeTempDir({ prefix: "m2vae-bench-table-" });
  try {
    const paths = {
      store: join(tmp, "store.sqlite"),
      out: join(tmp, "out"),
      cacheDir: join(tmp, "cache"),
    };
    const run = await timeCommand([...o.cli, ...tableRunArgs({ ...o, jobs }, paths)], o.cwd);
    const rows: RowTime[] = [];
    if (await Deno.stat(paths.store).then(() => true, () => false)) {
      const store = await ResultStore.open(paths.store, { mustExist: true });
      try {
        for (const e of await store.experiments()) {
          rows.push(...rowTimes(await store.trials(e.name)));
        }
      } finally {
        await store.close();
      }
    }
    return { code: run.code, seconds: run.seconds, jobs, rows };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
