/**
 * `bench [--quick]`: prints the runtime figures (matMul, MLP step, gather, row-sparse step), the
 * training throughput of CLCRec on a 100,000-user × 20,000-item dataset and, where the data root
 * has lastfm-2k-multimodal, every trainable model's training interactions/s and seconds per
 * epoch there at the reference batch size and width, against the PyTorch reference where one
 * exists, the seconds of one validation (lastfm and amazon-s3rec Sports), and M2VAE's figures
 * (exact scoring, achieved GFLOP/s against the matMul peak), with targets.
 *
 * `bench --table FILE [--datasets a,b] [--jobs N]` instead runs one seed of every row of the
 * experiment through the real command line and prints, per row, the setup + training +
 * evaluation seconds its trials recorded (CPU time summed over its trials, not wall time when
 * `--jobs` > 1), then the wall time of the whole run and its projection to `--seeds` (5) seeds;
 * `bench --jobs-ratio` times a small sweep with 1 and 2 workers.
 *
 * @module
 */
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type BenchFigure,
  checkTableFile,
  formatSeconds,
  jobsRatioFigures,
  loadRealSet,
  modelTrainingFigures,
  parseJobs,
  peakRssGiB,
  PYTORCH_REFERENCE,
  PYTORCH_REFERENCE_SOURCE,
  type RealSet,
  runJobsRatio,
  runTableBench,
  runtimeBenchmarks,
  scaleDataset,
  SweepFailed,
  type TableBenchOptions,
  type TableBenchResult,
  tableRunFigures,
  tableRunPlan,
  TARGET_RATIO,
  trainingThroughput,
  validationFigure,
} from "../lib/bench/mod.ts";
import { DEFAULT_SEEDS, loadDatasetConfig } from "../lib/config/mod.ts";
import { m2vaeBenchmarks } from "../lib/models/m2vae/bench.ts";
import { MODELS, resolveModel } from "../lib/models/registry.ts";
import { checkExperiment, splitFor, toolkitCommand } from "../lib/run/mod.ts";
import { initTf } from "../lib/tf/mod.ts";
import { act, collect, type Command, command, type Exit } from "./command.ts";

function print(f: BenchFigure): void {
  const v = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
  const target = f.target ? `  (target ${f.target})` : "";
  const note = f.note ? `  [${f.note}]` : "";
  console.log(`${f.name.padEnd(58)} ${v.padStart(9)} ${f.unit}${target}${note}`);
}

/** Options of `bench`. */
export interface BenchOptions {
  quick?: boolean;
  dataRoot: string;
  maxBlocks: string;
  models?: string;
  validation?: string;
  validationModels: string;
  cacheDir: string;
  table?: string;
  datasets?: string;
  jobs?: string;
  set?: string[];
  /** With `--table`: the seeds the projection is for (default 5). */
  seeds?: string;
  jobsRatio?: boolean;
  sweepTrials?: string;
  sweepEpochs?: string;
}

/** The trainable models timed on lastfm by default: every registered one that trains. */
const TRAINABLE = Object.values(MODELS)
  .filter((s) => s.family !== "sanity" && s.family !== "oracle")
  .map((s) => s.name);

/** The models `--quick` times: those with a PyTorch reference and the slowest baselines. */
const QUICK_MODELS = [
  "clcrec",
  "ccfcrec",
  "dropoutnet",
  "pad-clrec",
  "mvgae",
  "gar",
  "cvae",
  "m2vae",
];

/** Comma-separated names (empty entries dropped). */
function names(list: string): string[] {
  return list.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** The `--set` key that would change the seeds of a `--table` run (undefined: none). */
function seedsKey(set: string): string | undefined {
  const key = set.slice(0, Math.max(0, set.indexOf("="))).trim();
  return key === "seeds" || key.startsWith("seeds.") || key.startsWith("seeds[") ? key : undefined;
}

/** Checks the options before anything runs: one RangeError line for the first problem. */
export function checkBenchOptions(o: BenchOptions): void {
  const maxBlocks = Number(o.maxBlocks);
  if (!Number.isInteger(maxBlocks) || maxBlocks < 0) {
    throw new RangeError(`--max-blocks: expected a whole number, got "${o.maxBlocks}"`);
  }
  if (o.table === undefined) {
    for (
      const [given, flag] of [
        [o.datasets, "--datasets"],
        [o.jobs, "--jobs"],
        [o.seeds, "--seeds"],
      ] as const
    ) {
      if (given !== undefined) throw new RangeError(`${flag}: only with --table FILE`);
    }
    if (o.set && o.set.length > 0) throw new RangeError("--set: only with --table FILE");
  } else {
    if (o.jobs !== undefined) parseJobs(o.jobs);
    if (o.quick) {
      throw new RangeError(
        "--quick: not with --table FILE (a table runs at its configured budget; make it smaller " +
          "with --set, e.g. --set settings.epochs=1)",
      );
    }
    for (const s of o.set ?? []) {
      if (seedsKey(s) !== undefined) {
        throw new RangeError(
          `--set ${s}: not with --table (the bench runs one seed and projects to --seeds N)`,
        );
      }
    }
  }
  if (o.sweepTrials !== undefined && !o.jobsRatio) {
    throw new RangeError("--sweep-trials: only with --jobs-ratio");
  }
  if (o.sweepEpochs !== undefined && !o.jobsRatio) {
    throw new RangeError("--sweep-epochs: only with --jobs-ratio");
  }
  if (o.sweepEpochs !== undefined) {
    const n = Number(o.sweepEpochs);
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`--sweep-epochs: expected a whole number ≥ 1, got "${o.sweepEpochs}"`);
    }
  }
  const seeds = Number(o.seeds ?? DEFAULT_SEEDS);
  if (!Number.isInteger(seeds) || seeds < 1) {
    throw new RangeError(`--seeds: expected a whole number ≥ 1, got "${o.seeds}"`);
  }
  if (o.sweepTrials !== undefined) {
    const n = Number(o.sweepTrials);
    if (!Number.isInteger(n) || n < 2) {
      throw new RangeError(`--sweep-trials: expected a whole number ≥ 2, got "${o.sweepTrials}"`);
    }
  }
  for (const s of o.set ?? []) {
    if (s.indexOf("=") <= 0) throw new RangeError(`--set: expected key.path=value, got "${s}"`);
  }
  for (const list of [o.models, o.validationModels]) {
    for (const name of names(list ?? "")) resolveModel(name); // unknown: lists the names
  }
  for (const name of names(o.models ?? "")) {
    if (!TRAINABLE.includes(resolveModel(name).name)) {
      throw new RangeError(
        `--models: ${name} does not train, so it has no training to time (the trainable ones: ` +
          `${TRAINABLE.join(", ")})`,
      );
    }
  }
}

/**
 * The models whose training is timed on lastfm (`--models`, else every trainable one, or
 * {@linkcode QUICK_MODELS} with `--quick`) and whether M2VAE's own benchmarks run (when m2vae
 * is among them: its training, scoring and GFLOP/s figures on lastfm and at ML-20M scale).
 */
export function timedModels(o: Pick<BenchOptions, "models" | "quick">): {
  baselines: string[];
  m2vae: boolean;
} {
  const models = o.models !== undefined ? names(o.models) : o.quick ? QUICK_MODELS : TRAINABLE;
  return { baselines: models.filter((m) => m !== "m2vae"), m2vae: models.includes("m2vae") };
}

/** The `bench` command. */
export function benchCli(exit: Exit): Command {
  const cmd = command(
    "bench",
    "print runtime figures (matMul, MLP step, gather, row-sparse step), every trainable " +
      "model's training throughput and seconds per epoch on lastfm against the PyTorch " +
      "reference, the seconds of one validation, and M2VAE's scoring and achieved GFLOP/s; or, " +
      "with --table, the wall time of one seed of a table run through the command line",
    [
      "deno task bench --quick --data-root ../shared/data",
      "deno task bench --table experiments/table3.yaml --datasets lastfm-2k-multimodal --jobs 2",
      "deno task bench --jobs-ratio",
    ],
  )
    .option("--quick", "small sizes and few steps (seconds instead of minutes)")
    .option(
      "--data-root <dir>",
      "where the real datasets are (lastfm-2k-multimodal, amazon-s3rec)",
      "../shared/data",
    )
    .option(
      "--max-blocks <n>",
      "items blocks of M2VAE's scoring timed at ML-20M scale, the rest extrapolated (0: all)",
      "0",
    )
    .option(
      "--models <a,b>",
      "models whose training is timed on lastfm; M2VAE's own figures (scoring, GFLOP/s, at " +
        "ML-20M scale too) only when m2vae is one (default: every trainable one; --quick: " +
        QUICK_MODELS.join(", ") + ")",
    )
    .option(
      "--validation <datasets>",
      "configs/datasets/ entries whose validation is timed, or none (default: " +
        "lastfm-2k-multimodal,amazon-s3rec; --quick: lastfm-2k-multimodal); absent ones are skipped",
    )
    .option("--validation-models <a,b>", "models whose validation is timed", "m2vae,clcrec")
    .option("--cache-dir <dir>", "cache of pretrained BPR-MF embeddings (as `run`)", ".cache")
    .option(
      "--table <file>",
      "instead: run one seed of every row of this experiment through `run` and time it",
    )
    .option("--datasets <a,b>", "with --table: the datasets (as `run --datasets`)")
    .option("--jobs <n>", "with --table: worker processes (as `run --jobs`; default 1)")
    .option("--set <key=value>", "with --table: an override passed to `run` (repeatable)", collect)
    .option(
      "--seeds <n>",
      `with --table: the seeds the projected time is for (default ${DEFAULT_SEEDS})`,
    )
    .option(
      "--jobs-ratio",
      "instead: trials/hour of a small synthetic sweep with --jobs 2 over --jobs 1",
    )
    .option("--sweep-trials <n>", "with --jobs-ratio: trials of the sweep (default 8; --quick 4)")
    .option(
      "--sweep-epochs <n>",
      "with --jobs-ratio: epochs per trial (default 2; --quick 1): longer trials weigh the " +
        "workers' start-up less",
    );
  return act(cmd, exit, (o: BenchOptions) => benchCommand(o));
}

/** Runs the benchmarks and prints one line per figure. */
export async function benchCommand(values: BenchOptions): Promise<number> {
  checkBenchOptions(values);
  if (values.table !== undefined || values.jobsRatio) {
    let code = 0;
    if (values.table !== undefined) code = await tableBench(values);
    if (values.jobsRatio) code = Math.max(code, await jobsRatioBench(values));
    return code;
  }
  const validation = values.validation !== undefined
    ? (values.validation === "none" ? [] : names(values.validation))
    : values.quick
    ? ["lastfm-2k-multimodal"]
    : ["lastfm-2k-multimodal", "amazon-s3rec"];
  for (const name of validation) {
    if (!(await loadDatasetConfig(name, { dataRoot: resolve(values.dataRoot) }))) {
      throw new RangeError(`--validation: no configs/datasets/ entry "${name}"`);
    }
  }
  const timed = timedModels(values);
  await initTf("wasm");
  const runtime = await runtimeBenchmarks({ quick: values.quick });
  for (const f of runtime) print(f);
  const peak = runtime.find((f) => f.name.startsWith("matMul"))?.value;
  const size = values.quick
    ? { users: 10_000, items: 2_000, interactionsPerUser: 10 }
    : { users: 100_000, items: 20_000, interactionsPerUser: 20 };
  const ds = scaleDataset(size);
  print(
    trainingThroughput(ds, resolveModel("clcrec"), {
      batchSize: 1024,
      steps: values.quick ? 5 : 30,
    }),
  );

  const lastfm = await realDataset(
    "lastfm-2k-multimodal",
    values.dataRoot,
    "the lastfm training figures",
  );
  if (lastfm) {
    console.log(
      `PyTorch reference (${PYTORCH_REFERENCE_SOURCE}): ` +
        PYTORCH_REFERENCE.map((r) =>
          `${resolveModel(r.model).label} ${r.interactionsPerSecond.toLocaleString("en-US")}/s ` +
          `(batch ${r.batch}, d ${r.dim})`
        ).join(", ") + `; target ≥ ${TARGET_RATIO}×`,
    );
    for (const name of timed.baselines) {
      const figs = modelTrainingFigures(lastfm.ds, resolveModel(name), {
        steps: values.quick ? 3 : 20,
        split: lastfm.split,
        cacheDir: values.cacheDir,
      });
      figs.forEach(print);
    }
    // M2VAE at batch 1024, d = 128, (c_p, c_n) = (10, 40), its training figures included.
    const figs = timed.m2vae
      ? m2vaeBenchmarks(lastfm.ds, {
        steps: values.quick ? 3 : 20,
        scoreUsers: lastfm.ds.userIds.length,
        scoreItems: 5000,
        naiveUsers: 256,
        naiveItems: 32,
        split: lastfm.split,
        peakGflops: peak,
      })
      : [];
    for (const f of figs) {
      print(f.name.includes("lastfm") ? f : { ...f, name: `${f.name} (lastfm)` });
    }
  } else console.log(`(no ${values.dataRoot}/lastfm-2k-multimodal: lastfm figures skipped)`);

  for (const name of validation) {
    const real = name === "lastfm-2k-multimodal" && lastfm
      ? lastfm
      : await realDataset(name, values.dataRoot, "--validation");
    if (!real) {
      console.log(`(no ${name} under ${values.dataRoot}: its validation time skipped)`);
      continue;
    }
    for (const m of names(values.validationModels)) {
      print(await validationFigure(real, resolveModel(m), values.cacheDir));
    }
  }

  if (timed.m2vae) {
    const ml20m = values.quick
      ? { users: 5_000, items: 2_000, interactionsPerUser: 10 }
      : { users: 138_493, items: 27_278, interactionsPerUser: 20 };
    const big = scaleDataset(ml20m);
    const figs = m2vaeBenchmarks(big, {
      steps: values.quick ? 3 : 20,
      scoreUsers: ml20m.users,
      scoreItems: 5000,
      maxBlocks: Number(values.maxBlocks),
      naiveUsers: 512,
      naiveItems: 64,
      peakGflops: peak,
      reference: false,
    });
    for (const f of figs) print(f);
  }
  print({ name: "peak resident memory of the bench process", value: peakRssGiB(), unit: "GiB" });
  return 0;
}

/**
 * Loads a configs/datasets/ entry under the data root with the split its trials use; undefined
 * when its folder is absent (the figures that need it are skipped). `neededBy` (the option or
 * the figures that asked for it) starts the error line when there is no such entry.
 */
export async function realDataset(
  name: string,
  dataRoot: string,
  neededBy: string,
): Promise<RealSet | undefined> {
  const entry = await loadDatasetConfig(name, { dataRoot: resolve(dataRoot) });
  if (!entry) throw new RangeError(`${neededBy}: no configs/datasets/ entry "${name}"`);
  return await loadRealSet(name, entry, splitFor);
}

/**
 * Checks the experiment as the `run` of `tableRunArgs` will (its file, `seeds=1` and
 * the `--set` overrides, `--datasets`, every planned trial and every dataset path under the data
 * root: `run --dry-run --no-data-check`'s checks, from `run`'s own
 * {@linkcode checkExperiment}), before the timed run starts: bad input throws its one line (a
 * UsageError or ConfigError) instead of being timed as a failed run. Prints and writes nothing;
 * the data is left for the timed run to load.
 */
export async function checkTableRun(
  o: Omit<TableBenchOptions, "cli" | "cwd" | "jobs">,
): Promise<void> {
  const { notes } = await checkExperiment({
    file: o.table,
    ...tableRunPlan(o),
    dataRoot: o.dataRoot,
    // The timed run's store is a fresh temporary one: an `atChoice` finds no choices there.
    store: join(tmpdir(), `m2vae-bench-table-${crypto.randomUUID()}`, "store.sqlite"),
    dryRun: true,
    dataCheck: false,
  });
  // A dataset path not found: needed to run, and the timed run runs.
  if (notes.length > 0) throw notes[0];
}

/** `--table`: one seed of every row through `run`, timed. */
async function tableBench(o: BenchOptions): Promise<number> {
  const table = o.table!;
  await checkTableFile(table);
  const jobs = o.jobs === undefined ? 1 : parseJobs(o.jobs);
  const seeds = Number(o.seeds ?? DEFAULT_SEEDS);
  const run = {
    table: resolve(table),
    datasets: o.datasets === undefined ? undefined : names(o.datasets),
    dataRoot: resolve(o.dataRoot),
    sets: o.set,
  };
  // Bad input is the one line of `run`'s own check, not a failed run timed at 0 s.
  await checkTableRun(run);
  console.log(
    `Running one seed of every row of ${table} (--jobs ${jobs}${
      o.datasets ? `, --datasets ${o.datasets}` : ""
    }) through \`run\` into a temporary store...`,
  );
  const r = await runTableBench({ cli: toolkitCommand(), ...run, jobs });
  printTable(r, seeds);
  if (r.code !== 0) {
    console.error(`error: bench --table: \`run\` exited ${r.code} after ${r.seconds.toFixed(0)} s`);
    return 1;
  }
  return 0;
}

function printTable(r: TableBenchResult, seeds: number): void {
  for (const row of r.rows) {
    const bad = row.unfinished > 0 ? `  [${row.unfinished} of ${row.trials} not finished]` : "";
    const tune = row.tuneTrials > 0 ? `, ${row.tuneTrials} of them tuning` : "";
    console.log(
      `${`${row.label} (${row.dataset})`.padEnd(46)} ${formatSeconds(row.seconds).padStart(14)}` +
        `  [setup + training + evaluation recorded, ${row.trials} trial(s)${tune}]${bad}`,
    );
  }
  tableRunFigures(r, seeds).forEach(print);
}

/**
 * `--jobs-ratio`: a small sweep with 1 and 2 workers, through `cli` (default: this toolkit's
 * command line with its deno.json, as `run` starts its workers, so the current directory does
 * not matter); 1 with one error line when a sweep run fails, as `--table` does.
 */
export async function jobsRatioBench(
  o: Pick<BenchOptions, "sweepTrials" | "sweepEpochs" | "quick">,
  cli: readonly string[] = toolkitCommand(),
): Promise<number> {
  const trials = o.sweepTrials !== undefined ? Number(o.sweepTrials) : o.quick ? 4 : 8;
  const epochs = o.sweepEpochs !== undefined ? Number(o.sweepEpochs) : o.quick ? 1 : 2;
  console.log(
    `Sweep: ${trials} CLCRec trials (a learning-rate grid, ${epochs} epoch(s), synthetic set), ` +
      "with --jobs 1 then --jobs 2...",
  );
  let r;
  try {
    r = await runJobsRatio({ cli, trials, epochs });
  } catch (e) {
    if (!(e instanceof SweepFailed)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
  jobsRatioFigures(r).forEach(print);
  return 0;
}
