/**
 * `run`, `grid`, `ablate` and `demo`: their flags parsed into the options of the library's
 * experiment pipeline (`runExperiment` in `lib/run/experiment.ts`), which resolves the
 * experiment, plans its trials, runs the ones the result store does not have yet (in this
 * process or `--jobs N` workers), then prints and writes the report — Table 3 for `run`, grid
 * tables and Table 3 for `grid`, Table 4 for `ablate`.
 *
 * @module
 */
import type { Layout } from "../lib/report/mod.ts";
import { DEFAULT_STORE, runExperiment } from "../lib/run/mod.ts";
import { act, collect, Command, command, type Exit, toolkitPath } from "./command.ts";

/** The commands that run experiments, and the layouts each prints. */
export const MODES: Record<string, Layout[]> = {
  run: ["table3", "table4"],
  demo: ["table3"],
  grid: ["grid", "table3"],
  ablate: ["table4"],
};

/** A command that runs an experiment. */
export type Mode = "run" | "grid" | "ablate" | "demo";

/** Options of the experiment commands (commander's names for them). */
export interface ExperimentFlags {
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
  executor?: string;
  slurm?: string[];
  printScript?: boolean;
}

const ABOUT: Record<Mode, [string, string[]]> = {
  run: [
    "run an experiment's pending trials into the result store, then print Table 3 (and Table 4 " +
    "when it has variants)",
    [
      "deno task run experiments/table3.yaml --data-root ../shared/data --jobs 2",
      "deno task run experiments/table3.yaml --executor slurm --jobs 16 --slurm partition=cpu " +
      "--slurm time=04:00:00",
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
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option(
      "--jobs <n>",
      "worker processes (1 runs the trials in this process)",
      // The demo's eight rows take half the wall time on two workers where there are two cores.
      mode === "demo" ? String(Math.min(2, navigator.hardwareConcurrency || 1)) : "1",
    )
    .option(
      "--fresh",
      "rerun every trial, even completed ones, from its first epoch (tuned rows: every rung)",
    )
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
  if (mode !== "demo") {
    cmd
      .option(
        "--executor <local|slurm>",
        "where trials run: local processes, or a Slurm job array of --jobs worker tasks",
        "local",
      )
      .option(
        "--slurm <key=value>",
        "a job-array resource (repeatable), overriding the experiment's slurm: block: " +
          "partition, time, cpus, mem, concurrent, sbatch, setup, lease, requeue, name",
        collect,
      )
      .option("--print-script", "with --executor slurm: write the sbatch script, do not submit");
  }
  if (mode === "demo") {
    return act(cmd, exit, (o: ExperimentFlags) => experimentCommand(mode, demoFile(), o));
  }
  return act(cmd, exit, (file: string, o: ExperimentFlags) => experimentCommand(mode, file, o));
}

/** The demo's experiment file, in the toolkit's checkout. */
export function demoFile(): string {
  return toolkitPath("experiments/demo.yaml");
}

/** Runs an experiment with the flags of `mode`; returns the exit code. */
export async function experimentCommand(
  mode: Mode,
  file: string,
  o: ExperimentFlags,
): Promise<number> {
  const { code } = await runExperiment({
    file,
    layouts: MODES[mode] ?? MODES.run,
    dataRoot: o.dataRoot,
    datasets: o.datasets ? o.datasets.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
    overrides: o.set,
    configsDir: o.configs,
    store: o.store,
    jobs: o.jobs,
    fresh: o.fresh,
    dryRun: o.dryRun,
    dataCheck: o.dataCheck,
    out: o.out,
    cacheDir: o.cacheDir,
    backend: o.backend,
    quiet: o.quiet,
    checkpoints: o.checkpoints,
    executor: o.executor as "local" | "slurm" | undefined,
    slurm: o.slurm,
    printScript: o.printScript,
  });
  return code;
}
