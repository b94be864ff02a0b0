/**
 * What a second worker process is worth: a small sweep (a grid over the learning rate of a cheap
 * model on the synthetic set, enough trials to keep both workers busy) run through the command
 * line with `--jobs 1` and with `--jobs 2`, each into a fresh store, in trials per hour; the
 * figure is the ratio (target ≥ 1.8), which {@linkcode jobsRatioFigures} prints with the rates.
 * Where the CPU time of each run can be read (Linux), it also prints the cores each run kept
 * busy and the ratio's ceiling on this machine: one worker already keeps more than one core busy
 * (V8's helper threads — garbage collection, compilation — run beside the trial), so two
 * workers on 2 cores can at most reach about 2 ÷ (the cores one worker used)
 * ({@linkcode jobsRatioCeiling}). Where the sweep has at least 4 trials it then measures that
 * limit instead of estimating it: two `--jobs 1` runs side by side, half of the sweep each, with
 * no coordinator between them — what this machine gives two independent runs at once, against
 * which the scheduler's ratio is read.
 *
 * @example Usage
 * ```ts
 * import { runJobsRatio } from "./jobs_ratio.ts";
 * const r = await runJobsRatio({ cli: [Deno.execPath(), "run", "-A", "cli/main.ts"], trials: 8, epochs: 2 });
 * r.ratio; // trials/hour with 2 workers ÷ with 1
 * jobsRatioFigures(r); // trials/hour with 1 and 2 workers, and the ratio
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { apartRunOptions, timeCommand } from "./cli_run.ts";
import type { BenchFigure } from "./runtime.ts";
import { formatSeconds } from "./table_run.ts";

/** The sweep's size. */
export interface SweepOptions {
  /** Trials of the grid (learning rates). */
  trials: number;
  /** Training epochs per trial. */
  epochs: number;
  /** The registered model swept (default `clcrec`). */
  model?: string;
  /** Index of the first learning rate (default 0): a part of a larger sweep's grid. */
  from?: number;
}

/** Options of {@linkcode runJobsRatio}. */
export interface JobsRatioOptions extends SweepOptions {
  /** The command line to call, program first, up to (not including) the command name. */
  cli: readonly string[];
  cwd?: string;
}

/** What the sweep measured. */
export interface JobsRatioResult {
  trials: number;
  /** Wall seconds with one and with two workers. */
  seconds1: number;
  seconds2: number;
  /** Trials per hour with one and with two workers. */
  perHour1: number;
  perHour2: number;
  /** perHour2 / perHour1. */
  ratio: number;
  /** Cores kept busy on average (CPU seconds ÷ wall seconds) by each run; absent off Linux. */
  cores1?: number;
  cores2?: number;
  /** The machine's logical cores (`navigator.hardwareConcurrency`). */
  machineCores?: number;
  /**
   * Wall seconds of two `--jobs 1` runs started together, half of the sweep each, until both
   * ended; absent below 4 trials.
   */
  secondsSideBySide?: number;
}

/**
 * A sweep run that exited non-zero: an ordinary failure of the measurement (the command line
 * prints its one line and exits 1, as for a failed `--table` run), not a bug of the bench.
 */
export class SweepFailed extends Error {
  override name = "SweepFailed";
  constructor(
    /** The `--jobs` of the run that failed. */
    readonly jobs: number,
    /** Its exit code. */
    readonly code: number,
    /** Its wall seconds. */
    readonly seconds: number,
  ) {
    super(
      `bench --jobs-ratio: the sweep with --jobs ${jobs} exited ${code} after ` +
        `${seconds.toFixed(0)} s`,
    );
  }
}

/** Trials per hour of `trials` finished in `seconds`. */
export function trialsPerHour(trials: number, seconds: number): number {
  if (!(seconds > 0)) {
    throw new RangeError(`trialsPerHour: seconds must be positive, got ${seconds}`);
  }
  return (trials * 3600) / seconds;
}

/**
 * The sweep's experiment file: `trials` learning rates of `model` on the synthetic set, one
 * seed, `epochs` epochs, no early stop.
 */
export function sweepExperiment(o: SweepOptions): string {
  if (!Number.isInteger(o.trials) || o.trials < 2) {
    throw new RangeError(`sweep: expected at least 2 trials, got ${o.trials}`);
  }
  if (!Number.isInteger(o.epochs) || o.epochs < 1) {
    throw new RangeError(`sweep: expected at least 1 epoch, got ${o.epochs}`);
  }
  // Distinct learning rates 1e-3 · 1.25^k, written exactly enough to stay distinct.
  const from = o.from ?? 0;
  const lrs = Array.from(
    { length: o.trials },
    (_, k) => (1e-3 * 1.25 ** (from + k)).toPrecision(6),
  );
  return [
    "name: bench_jobs_ratio",
    "datasets:",
    "  synthetic: {}",
    `models: [${o.model ?? "clcrec"}]`,
    "search:",
    "  method: grid",
    "  space:",
    `    settings.lr: [${lrs.join(", ")}]`,
    "seeds: [0]",
    `settings: { epochs: ${o.epochs}, patience: 0 }`,
    "",
  ].join("\n");
}

/**
 * Runs the sweep with one and with two workers and returns the trials/hour of each; a run that
 * exits non-zero rejects with {@linkcode SweepFailed}.
 */
export async function runJobsRatio(o: JobsRatioOptions): Promise<JobsRatioResult> {
  const tmp = await Deno.makeTempDir({ prefix: "m2vae-bench-jobs-" });
  /** One `run` of `file` with `jobs` workers into a store of its own under `name`. */
  const run = (file: string, jobs: number, name: string) => {
    const dir = join(tmp, name);
    return timeCommand([
      ...o.cli,
      "run",
      file,
      ...apartRunOptions(jobs, {
        store: join(dir, "store.sqlite"),
        out: join(dir, "out"),
        cacheDir: join(dir, "cache"),
      }),
    ], o.cwd);
  };
  try {
    const file = join(tmp, "sweep.yaml");
    await Deno.writeTextFile(file, sweepExperiment(o));
    const secs: number[] = [], cores: (number | undefined)[] = [];
    for (const jobs of [1, 2]) {
      const r = await run(file, jobs, `jobs${jobs}`);
      if (r.code !== 0) throw new SweepFailed(jobs, r.code, r.seconds);
      secs.push(r.seconds);
      cores.push(r.cpuSeconds !== undefined ? r.cpuSeconds / r.seconds : undefined);
    }
    let secondsSideBySide: number | undefined;
    if (o.trials >= 4) {
      // The same grid in two halves, each its own `--jobs 1` run, both started at once.
      const half = Math.floor(o.trials / 2);
      const parts = [{ trials: half, from: 0 }, { trials: o.trials - half, from: half }];
      const t0 = performance.now();
      const runs = await Promise.all(parts.map(async (p, i) => {
        const f = join(tmp, `half${i + 1}.yaml`);
        await Deno.writeTextFile(f, sweepExperiment({ ...o, ...p }));
        return run(f, 1, `half${i + 1}`);
      }));
      secondsSideBySide = (performance.now() - t0) / 1000;
      const bad = runs.find((r) => r.code !== 0);
      if (bad) throw new SweepFailed(1, bad.code, bad.seconds);
    }
    const perHour1 = trialsPerHour(o.trials, secs[0]), perHour2 = trialsPerHour(o.trials, secs[1]);
    return {
      trials: o.trials,
      seconds1: secs[0],
      seconds2: secs[1],
      perHour1,
      perHour2,
      ratio: perHour2 / perHour1,
      ...(cores[0] !== undefined && cores[1] !== undefined
        ? { cores1: cores[0], cores2: cores[1], machineCores: navigator.hardwareConcurrency }
        : {}),
      ...(secondsSideBySide !== undefined ? { secondsSideBySide } : {}),
    };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

/**
 * What two workers can at most be worth over one on `machineCores` cores when the one-worker run
 * kept `cores1` of them busy (its trial plus V8's helper threads): twice, unless the two runs'
 * helper threads need more than the machine has — an estimate, as it assumes a trial costs the
 * same CPU time beside another.
 *
 * @example
 * ```ts
 * jobsRatioCeiling(2, 1.1); // 1.82: the second core also carries the first worker's helpers
 * jobsRatioCeiling(16, 1.1); // 2
 * ```
 */
export function jobsRatioCeiling(machineCores: number, cores1: number): number {
  return Math.min(2, machineCores / cores1);
}

/** The sweep's figures: trials/hour with one and with two workers, and their ratio. */
export function jobsRatioFigures(r: JobsRatioResult): BenchFigure[] {
  return [
    {
      name: "sweep trials/hour, --jobs 1",
      value: r.perHour1,
      unit: "trials/h",
      note: formatSeconds(r.seconds1),
    },
    {
      name: "sweep trials/hour, --jobs 2",
      value: r.perHour2,
      unit: "trials/h",
      note: formatSeconds(r.seconds2),
    },
    { name: "jobs ratio (--jobs 2 ÷ --jobs 1)", value: r.ratio, unit: "×", target: "≥ 1.8" },
    ...(r.cores1 !== undefined && r.cores2 !== undefined && r.machineCores
      ? [
        { name: "cores busy, --jobs 1", value: r.cores1, unit: "cores", note: "CPU ÷ wall time" },
        { name: "cores busy, --jobs 2", value: r.cores2, unit: "cores", note: "CPU ÷ wall time" },
        {
          name: `ratio's ceiling on ${r.machineCores} cores (estimated)`,
          value: jobsRatioCeiling(r.machineCores, r.cores1),
          unit: "×",
          note: `min(2, ${r.machineCores} ÷ the cores the --jobs 1 run kept busy)`,
        },
      ]
      : []),
    ...(r.secondsSideBySide !== undefined
      ? [
        {
          name: "two --jobs 1 runs side by side, half the sweep each",
          value: r.seconds1 / r.secondsSideBySide,
          unit: "×",
          note: `${formatSeconds(r.secondsSideBySide)}: this machine's own limit for two runs`,
        },
        {
          name: "jobs ratio ÷ that limit",
          value: r.ratio / (r.seconds1 / r.secondsSideBySide),
          unit: "×",
          note: "what the scheduler keeps of it",
        },
      ]
      : []),
  ];
}
