/**
 * The experiment pipeline: resolve an experiment file (with its overrides and configs folder),
 * plan its trials, check everything they will read, register them in the result store, run the
 * ones the store does not have yet (in this process or in `jobs` worker processes), then print
 * the report's tables and write its files. The `run`, `grid`, `ablate`, `demo`, `regress` and
 * `realdata` commands are this call with their flags as options. The plan a dry run prints is
 * `describe_plan.ts`'s; the Slurm executor's submission is `slurm_submit.ts`'s; the local
 * executor's worker processes are `worker_processes.ts`'s; the lines and exit code a run ends
 * with are `run_summary.ts`'s.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { ExperimentPlan } from "../config/experiment.ts";
import { loadExperiment } from "../config/mod.ts";
import { attributeToOverride, checkOverrides } from "../config/overrides.ts";
import {
  type Layout,
  renderTable,
  type ReportFormat,
  type StoreReport,
  storeReport,
} from "../report/mod.ts";
import { checkStoreFile } from "../store/open.ts";
import { defaultStore, isPostgresUrl, ResultStore, shownStore, storeOption } from "../store/mod.ts";
import { type BackendName, initTf } from "../tf/mod.ts";
import { codeVersion } from "./code_version.ts";
import { UsageError } from "./errors.ts";
import { checkWritableDir } from "./paths.ts";
import { planAtChoice, readChoices } from "./at_choice.ts";
import { planTrials, type TrialSpec } from "./plan.ts";
import {
  exitCode,
  registeredSummary,
  rowsLeftOut,
  rowsLeftOutNote,
  runningElsewhere,
} from "./run_summary.ts";
import { runTrials } from "./scheduler.ts";
import { describePlan } from "./describe_plan.ts";
import { slurmSettings } from "./slurm.ts";
import { submitExperiment } from "./slurm_submit.ts";
import { planTuning, resumeTuning, tuneEntries, type TuneRow } from "./tune.ts";
import { validateExperiment } from "./validate.ts";
import { jobsOption, workerSpawner } from "./worker_processes.ts";
import { writeResultFiles } from "./write_results.ts";

/**
 * The result store an experiment runs into unless told otherwise: `M2VAE_STORE` (a file or a
 * `postgres://` URL) when set, else `results/store.sqlite`.
 */
export const DEFAULT_STORE = defaultStore();

/** The tables {@linkcode runExperiment} prints unless told otherwise (those of `run`). */
export const DEFAULT_LAYOUTS: readonly Layout[] = ["table3", "table4"];

/** Options of {@linkcode runExperiment}; each is a flag of the `run` command. */
export interface RunExperimentOptions {
  /** The experiment file (YAML). */
  file: string;
  /**
   * The tables printed on stdout (default table3 and table4); the report files also hold the
   * diagnostics layout.
   */
  layouts?: readonly Layout[];
  /** Root of relative dataset paths (`--data-root`). */
  dataRoot?: string;
  /** Replace the experiment's datasets by these `configs/datasets/` entries (`--datasets`). */
  datasets?: readonly string[];
  /** `key.path=value` overrides of the experiment, applied in order (`--set`). */
  overrides?: readonly string[];
  /** Configs folder (base.yaml, models/, datasets/) instead of the toolkit's (`--configs`). */
  configsDir?: string;
  /** The result store (default {@linkcode DEFAULT_STORE}). */
  store?: string;
  /** Worker processes, 1 (the default) runs the trials in this process (`--jobs`). */
  jobs?: number | string;
  /**
   * Rerun every trial of the experiment, even completed ones, each from its first epoch
   * (`--fresh`): a tuned row's every rung and final run too, and no trial continues a stored
   * run under a smaller cap.
   */
  fresh?: boolean;
  /** Resolve and validate everything, print the plan, train nothing (`--dry-run`). */
  dryRun?: boolean;
  /** With `dryRun`: false plans without loading the datasets (`--no-data-check`). */
  dataCheck?: boolean;
  /** Where the report files go (default `results/<experiment>`). */
  out?: string;
  /** Caches shared by trials, e.g. pretrained embeddings (default `.cache`). */
  cacheDir?: string;
  /** TF.js backend, `wasm` or `cpu` (default: the experiment's `settings.backend`). */
  backend?: string;
  /** No per-step progress. */
  quiet?: boolean;
  /** False: do not keep finished trials' best checkpoints (`--no-checkpoints`). */
  checkpoints?: boolean;
  /**
   * Where the trials run (`--executor`): `local` (this process or `jobs` worker processes, the
   * default) or `slurm` (registered here, then a job array of `jobs` worker tasks submitted with
   * sbatch; see `slurm.ts`). With `slurm` nothing is waited for: follow it with `status`, read
   * it with `report`.
   */
  executor?: "local" | "slurm";
  /**
   * With `slurm`: the job array's resources as `key=value` (`--slurm`, see `SLURM_KEYS`), each
   * overriding its key of the experiment's `slurm:` block.
   */
  slurm?: readonly string[];
  /** With `slurm`: write the sbatch script and print its path, do not submit (`--print-script`). */
  printScript?: boolean;
}

/** What {@linkcode runExperiment} did. */
export interface ExperimentOutcome {
  /** 0 when every trial it could run is done (or running in another process), else 1. */
  code: number;
  /** The resolved experiment. */
  plan: ExperimentPlan;
  /** The trials planned (for a tuned search, those to start with). */
  trials: TrialSpec[];
  /** The result store and the folder of the report files. */
  store: string;
  out: string;
  /** The report, when one was made (not for a dry run). */
  report?: StoreReport;
}

/** An experiment resolved and checked by {@linkcode checkExperiment}. */
export interface CheckedExperiment {
  /** The resolved experiment. */
  plan: ExperimentPlan;
  /** The trials planned (for a tuned search, those to start with). */
  trials: TrialSpec[];
  /** The tuned rows of `search: { method: tune }` (none otherwise). */
  tuning: TuneRow[];
  executor: "local" | "slurm";
  /** Worker processes (`--jobs`), or a job array's tasks with `slurm`. */
  jobs: number;
  slurm: ReturnType<typeof slurmSettings>;
  backend: BackendName;
  /** With `dataCheck: false`: the dataset paths not found (needed to run, not to plan). */
  notes: Awaited<ReturnType<typeof validateExperiment>>;
}

/**
 * The checks {@linkcode runExperiment} (and so `run --dry-run`) makes before the store is opened
 * or a folder made: the options, the experiment file with its `datasets` and `overrides`, every
 * planned trial, and every dataset (loaded and validated; with `dataCheck: false` only its keys,
 * the missing paths returned as `notes`). Throws the first problem (a UsageError, ConfigError or
 * DataError naming it); prints nothing but the datasets' load progress, writes nothing. The
 * store and `out` paths are {@linkcode runExperiment}'s to check.
 *
 * @example Check a table before timing it, without loading its data
 * ```ts ignore
 * const { notes } = await checkExperiment({
 *   file: "experiments/table3.yaml",
 *   overrides: ["seeds=1"],
 *   dryRun: true,
 *   dataCheck: false,
 * });
 * if (notes.length) throw notes[0]; // a dataset path not found under the data root
 * ```
 */
export async function checkExperiment(o: RunExperimentOptions): Promise<CheckedExperiment> {
  const file = o.file;
  const overrides = [...(o.overrides ?? [])];
  if (o.datasets) {
    overrides.unshift(`datasets={${o.datasets.map((n) => `"${n}": {}`).join(", ")}}`);
  }
  if (o.dataCheck === false && !o.dryRun) {
    throw new UsageError("--no-data-check: only with --dry-run (a run loads its datasets anyway)");
  }
  const executor = o.executor ?? "local";
  if (executor !== "local" && executor !== "slurm") {
    throw new UsageError(`--executor: expected local or slurm, got "${executor}"`);
  }
  if (executor === "local" && (o.printScript || o.slurm?.length)) {
    throw new UsageError(
      `${o.printScript ? "--print-script" : "--slurm"}: only with --executor slurm`,
    );
  }
  // A job array's tasks are not this machine's cores: --jobs is the number of tasks.
  const jobs = executor === "slurm" ? jobsOption(o.jobs, Infinity) : jobsOption(o.jobs);
  const slurm = slurmSettings(o.slurm ?? []);
  // Everything is checked before the store is opened or a folder made: the options, the
  // experiment and its layers, every planned trial, and every dataset (loaded and validated).
  checkOverrides(overrides);
  let plan: ExperimentPlan, trials: TrialSpec[], tuning: TuneRow[];
  try {
    plan = await loadExperiment(file, {
      dataRoot: o.dataRoot,
      overrides,
      configsDir: o.configsDir,
    });
    trials = plan.atChoice !== undefined
      ? planAtChoice(plan, await readChoices(plan, o.store ?? DEFAULT_STORE))
      : planTrials(plan);
    tuning = plan.search.method === "tune" ? planTuning(plan) : [];
  } catch (e) {
    throw attributeToOverride(e, file, overrides);
  }
  const backend = (o.backend ?? plan.settings.backend) as BackendName;
  if (backend !== "wasm" && backend !== "cpu") {
    throw new UsageError(`--backend: expected "wasm" or "cpu", got "${backend}"`);
  }
  let notes;
  try {
    notes = await validateExperiment(plan, trials, tuning, { data: o.dataCheck !== false });
  } catch (e) {
    throw attributeToOverride(e, file, overrides);
  }
  return { plan, trials, tuning, executor, jobs, slurm, backend, notes };
}

/**
 * Runs an experiment: resolves and plans it, checks every planned trial and loads every dataset
 * before the store is opened or a folder made, registers the trials, runs the pending ones and
 * prints the report's tables on stdout (progress and the summary go to stderr) and writes its
 * files (md, csv, tex) to `out`. A bad option, experiment or dataset throws (a UsageError,
 * ConfigError or DataError: one line naming what is wrong) with nothing written; a trial that
 * fails is reported and makes `code` 1.
 *
 * @example Run an experiment's pending trials in two worker processes
 * ```ts
 * import { runExperiment } from "./lib/run/mod.ts";
 * const { code, report } = await runExperiment({
 *   file: "experiments/table3.yaml",
 *   dataRoot: "../shared/data",
 *   overrides: ["seeds=2", "settings.epochs=3"],
 *   store: "results/mine.sqlite",
 *   jobs: 2,
 * });
 * console.log(code, report?.done, report?.planned);
 * ```
 */
export async function runExperiment(o: RunExperimentOptions): Promise<ExperimentOutcome> {
  const { plan, trials, tuning, executor, jobs, slurm, backend, notes } = await checkExperiment(o);
  const storePath = o.store ?? DEFAULT_STORE;
  const out = o.out ?? join("results", plan.name);
  const outcome = { plan, trials, store: storePath, out };
  // A PostgreSQL store is checked when it is opened (a file is checked before anything runs).
  if (!isPostgresUrl(storePath)) {
    checkStoreFile(storePath);
    await checkWritableDir(dirname(storePath), "--store");
  }
  await checkWritableDir(out, "--out");
  if (o.dryRun) {
    console.log(describePlan(plan, trials, tuning));
    for (const e of notes) console.log(`  note: ${e.message} — needed to run, not to plan`);
    return { code: 0, ...outcome };
  }
  const cacheDir = o.cacheDir ?? ".cache";
  const store = await ResultStore.open(storePath);
  try {
    const t0 = performance.now();
    const leftOut = rowsLeftOut(await store.trials(plan.name), trials);
    if (leftOut.length > 0) console.error(rowsLeftOutNote(plan.name, leftOut));
    let before = await store.register(
      plan.name,
      plan.file,
      plan.description,
      plan,
      trials,
      o.fresh ?? false,
      tuning.length ? tuneEntries(tuning) : undefined,
    );
    if (tuning.length) {
      // A rerun picks up where tuning stood: release what finished rungs allow.
      await resumeTuning(store, plan.name);
      before = await store.counts(plan.name);
    }
    console.error(
      `${plan.name}: ${registeredSummary(trials.length, before, tuning.length > 0)} ` +
        `(store ${shownStore(storePath)}, configs ${plan.configsDir})`,
    );
    // `--fresh` recomputes: no trial continues a stored run under a smaller cap either.
    const workers = {
      cacheDir,
      backend,
      checkpoints: o.checkpoints !== false,
      fromScratch: o.fresh ?? false,
      quiet: o.quiet,
    };
    if (executor === "slurm" && before.pending > 0) {
      await submitExperiment({
        plan,
        store: storePath,
        out,
        ...workers,
        jobs,
        slurm,
        printScript: o.printScript,
      });
      return { code: 0, ...outcome };
    }
    if (before.pending > 0) {
      await runTrials(store, {
        // Workers initialise their own backend; trials run here need it in this process.
        beforeInProcess: () => initTf(backend),
        experiment: plan.name,
        jobs,
        codeVersion: await codeVersion(),
        cacheDir,
        silent: o.quiet,
        noCheckpoints: o.checkpoints === false,
        fromScratch: workers.fromScratch,
        progress: true,
        spawnWorker: workerSpawner(storePath, plan.name, workers),
      });
    }
    // A trial whose process died is pending again; one still running belongs to another run.
    await store.requeueStale(plan.name);
    const end = await store.counts(plan.name);
    const elsewhere = end.running > 0 ? `; ${runningElsewhere(end.running)}` : "";
    const elapsed = `(${((performance.now() - t0) / 1000).toFixed(1)}s)`;
    const reported = (await store.trials(plan.name)).some((t) =>
      t.status === "done" && t.role === "result"
    );
    if (!reported && end.running > 0) {
      // Everything left is in another process's hands: nothing to report yet.
      console.error(`0 trials done here${elsewhere} ${elapsed}`);
      return { code: end.pending > 0 || end.failed > 0 ? 1 : 0, ...outcome };
    }
    // The diagnostics layout goes to the report files only (it is long); `report` prints it.
    const report = await storeReport(store, plan.name, [
      ...(o.layouts ?? DEFAULT_LAYOUTS),
      "diagnostics",
    ]);
    const files: Record<string, string> = {};
    for (const [i, { layout, protocol, table }] of report.tables.entries()) {
      const base = `${String(i + 1).padStart(2, "0")}_${layout}_${protocol}`;
      for (const f of ["md", "csv", "latex"] as ReportFormat[]) {
        files[`${base}.${f === "latex" ? "tex" : f}`] = renderTable(table, f);
      }
      if (layout !== "diagnostics") console.log(renderTable(table, "md"));
    }
    await writeResultFiles(out, files);
    const shown = shownStore(storePath);
    for (const f of report.failed) console.error(`failed: ${f.label}: ${f.error}`);
    console.error(
      `${report.done}/${report.planned} trials done${elsewhere}; store ${shown}, reports in ` +
        `${out}/ ${elapsed}; figures and the HTML page: deno task report --format html ` +
        `--experiment ${plan.name} ${storeOption(storePath)}`,
    );
    return { code: exitCode(report, end), ...outcome, report };
  } finally {
    await store.close();
  }
}
