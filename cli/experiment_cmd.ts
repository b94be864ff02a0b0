/**
 * `run`, `grid`, `ablate` and `demo`: resolve an experiment, plan its trials, run the ones the
 * result store does not have yet (in this process or `--jobs N` workers), then print and write
 * the report — Table 3 for `run`, grid tables and Table 3 for `grid`, Table 4 for `ablate`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { type ExperimentPlan, loadExperiment } from "../lib/config/mod.ts";
import { attributeToOverride, checkOverrides } from "../lib/config/overrides.ts";
import { type Layout, renderTable, type ReportFormat, storeReport } from "../lib/report/mod.ts";
import {
  advanceTuning,
  codeVersion,
  planTrials,
  planTuning,
  runTrials,
  type TrialSpec,
  tuneEntries,
  type TuneRow,
  writeResultFiles,
} from "../lib/run/mod.ts";
import { validateExperiment } from "../lib/run/validate.ts";
import { checkStoreFile } from "../lib/store/open.ts";
import { ResultStore, type StatusCounts } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";
import { act, collect, Command, command, type Exit, toolkitPath } from "./command.ts";
import { UsageError } from "./errors.ts";
import { checkWritableDir } from "./paths.ts";

/** The commands that run experiments, and the layouts each prints. */
export const MODES: Record<string, Layout[]> = {
  run: ["table3", "table4"],
  demo: ["table3"],
  grid: ["grid", "table3"],
  ablate: ["table4"],
};

/** A command that runs an experiment. */
export type Mode = "run" | "grid" | "ablate" | "demo";

/** Default store of every command. */
export const DEFAULT_STORE = "results/store.sqlite";

/** Options of the experiment commands (commander's names for them). */
export interface ExperimentOptions {
  dataRoot?: string;
  datasets?: string;
  set?: string[];
  configs?: string;
  store?: string;
  jobs?: string;
  fresh?: boolean;
  dryRun?: boolean;
  out?: string;
  cacheDir?: string;
  backend?: string;
  quiet?: boolean;
  /** commander's name for `--no-checkpoints` (default true). */
  checkpoints?: boolean;
  /** commander's name for `--no-data-check` (default true). */
  dataCheck?: boolean;
}

const ABOUT: Record<Mode, [string, string[]]> = {
  run: [
    "run an experiment's pending trials into the result store, then print Table 3 (and Table 4 " +
    "when it has variants)",
    [
      "deno task run experiments/table3.yaml --data-root ../shared/data --jobs 2",
    ],
  ],
  grid: [
    "run an experiment's search and print its grid tables (selection on validation) and Table 3",
    ["deno task grid experiments/grid_alpha_beta.yaml --jobs 2"],
  ],
  ablate: [
    "run an experiment's model variants and print Table 4",
    ["deno task ablate experiments/table4_ablation.yaml --set seeds=3"],
  ],
  demo: [
    "run the demo experiment (experiments/demo.yaml) on the embedded synthetic set and print " +
    "Table 3",
    ["deno task demo --fresh"],
  ],
};

/** The `run`, `grid`, `ablate` or `demo` command. */
export function experimentCli(mode: Mode, exit: Exit): Command {
  const [about, examples] = ABOUT[mode];
  const cmd = command(mode, about, examples);
  if (mode !== "demo") cmd.argument("<experiment.yaml>", "the experiment file");
  cmd
    .option("--data-root <dir>", "root of relative dataset paths, e.g. ../shared/data")
    .option(
      "--datasets <a,b>",
      "replace the experiment's datasets by these configs/datasets/ entries",
    )
    .option(
      "--set <key.path=value>",
      "override any key of the experiment (repeatable), e.g. --set settings.epochs=3",
      collect,
    )
    .option(
      "--configs <dir>",
      "configs folder (base.yaml, models/, datasets/) to use instead of the toolkit's",
    )
    .option("--store <file>", "result store", DEFAULT_STORE)
    .option("--jobs <n>", "worker processes (1 runs the trials in this process)", "1")
    .option("--fresh", "rerun every trial of the experiment, even completed ones")
    .option(
      "--dry-run",
      "resolve and validate every trial and load every dataset, print the plan, train nothing",
    )
    .option(
      "--no-data-check",
      "with --dry-run: plan without loading the datasets (missing data paths are noted)",
    )
    .option("--out <dir>", "where the report files go (default: results/<experiment>)")
    .option("--cache-dir <dir>", "caches shared by trials, e.g. pretrained embeddings", ".cache")
    .option("--backend <name>", "TF.js backend, wasm or cpu (default: settings.backend)")
    .option("--quiet", "no per-step progress")
    .option(
      "--no-checkpoints",
      "do not keep finished trials' best checkpoints (artifacts/<trial>/ beside the store)",
    );
  if (mode === "demo") {
    return act(cmd, exit, (o: ExperimentOptions) => runExperiment(mode, demoFile(), o));
  }
  return act(cmd, exit, (file: string, o: ExperimentOptions) => runExperiment(mode, file, o));
}

/** The demo's experiment file, in the toolkit's checkout. */
export function demoFile(): string {
  return toolkitPath("experiments/demo.yaml");
}

/** Prints the plan of an experiment: trial count and per-dataset breakdown. */
export function describePlan(
  plan: ExperimentPlan,
  trials: TrialSpec[],
  tuning: TuneRow[] = [],
): string {
  const searched = plan.search.method === "tune"
    ? `tune (${plan.search.budget} configurations per row from each model's tune: space, ` +
      `successive halving with eta ${plan.search.eta})`
    : `${plan.search.method} over ${plan.search.axes.map((a) => a.name).join(", ") || "nothing"}`;
  const lines = [
    `experiment ${plan.name} (${plan.file}): ${trials.length} trials` +
    (tuning.length ? " to start with" : "") + `, ` +
    `${plan.seeds.length} seed(s) [${
      plan.seeds.join(", ")
    }], protocol ${plan.settings.protocol}, search ${searched}`,
  ];
  for (const ds of plan.datasets) {
    const mine = trials.filter((t) => t.dataset === ds.name);
    lines.push(`  ${ds.name} (${ds.spec.kind}): ${mine.length} trials`);
    for (const m of plan.models) {
      const row = tuning.find((r) => r.dataset === ds.name && r.label === m.label);
      if (row) {
        lines.push(
          `    ${m.label}: ${row.configs.length} configurations tuned on seed ${plan.seeds[0]} ` +
            `(rungs of ${row.rungs.join("/")} epochs), then the chosen one × ` +
            `${plan.seeds.length} seed(s)`,
        );
        continue;
      }
      const rows = mine.filter((t) => t.label === m.label);
      const points = new Set(rows.map((t) => t.pointLabel)).size;
      lines.push(`    ${m.label}: ${points} configuration(s) × ${plan.seeds.length} seed(s)`);
    }
  }
  lines.push(`configs: ${plan.configsDir}`);
  return lines.join("\n");
}

/**
 * The number of worker processes of `--jobs`: a positive integer, capped at the machine's cores
 * with a one-line warning (TF.js wasm runs one trial per core; more workers only contend).
 */
export function jobsOption(value: string | undefined, cores = navigator.hardwareConcurrency) {
  const text = (value ?? "1").trim();
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

/** Spawns a worker process that claims trials of `experiment` from `store`. */
function spawner(
  store: string,
  experiment: string,
  cacheDir: string,
  backend: string,
  checkpoints: boolean,
) {
  const main = fromFileUrl(new URL("./main.ts", import.meta.url));
  const config = fromFileUrl(new URL("../deno.json", import.meta.url));
  return (i: number) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        config,
        main,
        "worker",
        "--store",
        store,
        "--experiment",
        experiment,
        "--cache-dir",
        cacheDir,
        "--backend",
        backend,
        ...(checkpoints ? [] : ["--no-checkpoints"]),
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

/** Runs an experiment; returns the exit code. */
export async function runExperiment(
  mode: Mode,
  file: string,
  o: ExperimentOptions,
): Promise<number> {
  const overrides = [...(o.set ?? [])];
  if (o.datasets) {
    const names = o.datasets.split(",").map((s) => s.trim()).filter(Boolean);
    overrides.unshift(`datasets={${names.map((n) => `"${n}": {}`).join(", ")}}`);
  }
  if (o.dataCheck === false && !o.dryRun) {
    throw new UsageError("--no-data-check: only with --dry-run (a run loads its datasets anyway)");
  }
  const jobs = jobsOption(o.jobs);
  // Everything is checked before the store is opened or a folder made: the options, the
  // experiment and its layers, every planned trial, and every dataset (loaded and validated).
  checkOverrides(overrides);
  let plan: ExperimentPlan, trials: TrialSpec[], tuning: TuneRow[];
  try {
    plan = await loadExperiment(file, { dataRoot: o.dataRoot, overrides, configsDir: o.configs });
    trials = planTrials(plan);
    tuning = plan.search.method === "tune" ? planTuning(plan) : [];
  } catch (e) {
    throw attributeToOverride(e, file, overrides);
  }
  const backend = (o.backend ?? plan.settings.backend) as BackendName;
  if (backend !== "wasm" && backend !== "cpu") {
    throw new UsageError(`--backend: expected "wasm" or "cpu", got "${backend}"`);
  }
  const storePath = o.store ?? DEFAULT_STORE;
  const out = o.out ?? join("results", plan.name);
  let notes;
  try {
    notes = await validateExperiment(plan, trials, tuning, { data: o.dataCheck !== false });
  } catch (e) {
    throw attributeToOverride(e, file, overrides);
  }
  checkStoreFile(storePath);
  await checkWritableDir(dirname(storePath), "--store");
  await checkWritableDir(out, "--out");
  if (o.dryRun) {
    console.log(describePlan(plan, trials, tuning));
    for (const e of notes) console.log(`  note: ${e.message} — needed to run, not to plan`);
    return 0;
  }
  const cacheDir = o.cacheDir ?? ".cache";
  const store = ResultStore.open(storePath);
  try {
    const t0 = performance.now();
    let before = store.register(
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
      store.requeueStale(plan.name);
      await advanceTuning(store, plan.name);
      before = store.counts(plan.name);
    }
    console.error(
      `${plan.name}: ${registeredSummary(trials.length, before, tuning.length > 0)} ` +
        `(store ${storePath}, configs ${plan.configsDir})`,
    );
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
        progress: true,
        spawnWorker: spawner(storePath, plan.name, cacheDir, backend, o.checkpoints !== false),
      });
    }
    // A trial whose process died is pending again; one still running belongs to another run.
    store.requeueStale(plan.name);
    const end = store.counts(plan.name);
    const elsewhere = end.running > 0 ? `; ${runningElsewhere(end.running)}` : "";
    const elapsed = `(${((performance.now() - t0) / 1000).toFixed(1)}s)`;
    const reported = store.trials(plan.name).some((t) =>
      t.status === "done" && t.role === "result"
    );
    if (!reported && end.running > 0) {
      // Everything left is in another process's hands: nothing to report yet.
      console.error(`0 trials done here${elsewhere} ${elapsed}`);
      return end.pending > 0 || end.failed > 0 ? 1 : 0;
    }
    // The diagnostics layout goes to the report files only (it is long); `report` prints it.
    const report = storeReport(store, plan.name, [...(MODES[mode] ?? MODES.run), "diagnostics"]);
    const files: Record<string, string> = {};
    for (const [i, { layout, protocol, table }] of report.tables.entries()) {
      const base = `${String(i + 1).padStart(2, "0")}_${layout}_${protocol}`;
      for (const f of ["md", "csv", "latex"] as ReportFormat[]) {
        files[`${base}.${f === "latex" ? "tex" : f}`] = renderTable(table, f);
      }
      if (layout !== "diagnostics") console.log(renderTable(table, "md"));
    }
    await writeResultFiles(out, files);
    for (const f of report.failed) console.error(`failed: ${f.label}: ${f.error}`);
    console.error(
      `${report.done}/${report.planned} trials done${elsewhere}; reports in ${out}/ ${elapsed}`,
    );
    return exitCode(report, end);
  } finally {
    store.close();
  }
}

/** "2 trials still running in another process". */
export function runningElsewhere(n: number): string {
  return `${n} trial${n === 1 ? "" : "s"} still running in another process`;
}

/**
 * A run succeeded when nothing failed and every trial it could run is done or running in
 * another process (a second coordinator on the same store finishes them), so the first of two
 * coordinators to finish exits 0 with the report so far.
 */
export function exitCode(
  report: { done: number; planned: number; failed: unknown[] },
  end: StatusCounts,
): number {
  if (report.failed.length > 0 || end.pending > 0) return 1;
  return report.done >= report.planned || end.running > 0 ? 0 : 1;
}

/**
 * "48 trials, 16 already done, 32 to run". Counts are over the experiment's trials in the store,
 * which include those kept from its runs on other datasets; when there are such, say so.
 */
export function registeredSummary(
  planned: number,
  c: StatusCounts,
  tuned = false,
): string {
  const total = c.pending + c.running + c.done + c.failed;
  const counts = `${c.done} already done, ${c.pending} to run` +
    (c.running ? `, ${c.running} running elsewhere` : "");
  if (tuned) return `tuning: ${total} trials released so far, ${counts}`;
  return total === planned
    ? `${planned} trials, ${counts}`
    : `${planned} trials planned; with its other datasets the experiment has ${total}: ${counts}`;
}
