/**
 * `run`, `grid`, `ablate` and `demo`: resolve an experiment, plan its trials, run the ones the
 * result store does not have yet (in this process or `--jobs N` workers), then print and write
 * the report — Table 3 for `run`, grid tables and Table 3 for `grid`, Table 4 for `ablate`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { ConfigError, type ExperimentPlan, loadExperiment, PATH_KEYS } from "../lib/config/mod.ts";
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
import { ResultStore, type StatusCounts } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";

/** The commands that run experiments, and the layouts each prints. */
export const MODES: Record<string, Layout[]> = {
  run: ["table3", "table4"],
  demo: ["table3"],
  grid: ["grid", "table3"],
  ablate: ["table4"],
};

/** Default store of every command. */
export const DEFAULT_STORE = "results/store.sqlite";

const USAGE = `usage: <run|grid|ablate> <experiment.yaml> [options]
  --data-root DIR        root of relative dataset paths (e.g. ../shared/data)
  --datasets a,b         replace the experiment's datasets by these configs/datasets/ entries
  --set key.path=value   override any key (repeatable), e.g. --set settings.epochs=3
  --store FILE           result store (default ${DEFAULT_STORE})
  --jobs N               run trials in N worker processes (default 1: in this process)
  --fresh                rerun every trial of the experiment, even completed ones
  --dry-run              resolve and validate every trial, print the plan, train nothing
  --out DIR              where the report files go (default results/<experiment>)
  --cache-dir DIR        caches shared by trials, e.g. pretrained embeddings (default .cache)
  --backend wasm|cpu     TF.js backend (default: settings.backend)
  --quiet                no per-step progress`;

const OPTIONS = {
  "data-root": { type: "string" },
  datasets: { type: "string" },
  set: { type: "string", multiple: true },
  store: { type: "string" },
  jobs: { type: "string" },
  fresh: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  out: { type: "string" },
  "cache-dir": { type: "string" },
  backend: { type: "string" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

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
  return lines.join("\n");
}

/** Data paths of the plan that do not exist, as ConfigErrors naming the dataset key. */
async function missingDataPaths(plan: ExperimentPlan): Promise<ConfigError[]> {
  const out: ConfigError[] = [];
  for (const ds of plan.datasets) {
    for (const k of PATH_KEYS) {
      const v = (ds.spec as unknown as Record<string, unknown>)[k];
      if (typeof v === "string" && !(await Deno.stat(v).then(() => true, () => false))) {
        const where = `datasets.${ds.name}.${k}`;
        out.push(new ConfigError(plan.file, where, `not found: ${v} (set --data-root?)`));
      }
    }
  }
  return out;
}

/** Spawns a worker process that claims trials of `experiment` from `store`. */
function spawner(store: string, experiment: string, cacheDir: string, backend: string) {
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

/** Runs an experiment command; returns the exit code. */
export async function experimentCommand(args: string[], mode = "run"): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: OPTIONS,
  });
  if (values.help) {
    console.log(
      mode === "demo" ? "usage: demo [--set key.path=value]... [--store FILE] [--fresh]" : USAGE,
    );
    return 0;
  }
  const file = mode === "demo" ? "experiments/demo.yaml" : positionals[0];
  if (!file) throw new TypeError(`missing experiment file\n${USAGE}`);
  const overrides = [...(values.set ?? [])];
  if (values.datasets) {
    const names = values.datasets.split(",").map((s) => s.trim()).filter(Boolean);
    overrides.unshift(`datasets={${names.map((n) => `"${n}": {}`).join(", ")}}`);
  }
  const jobs = Number(values.jobs ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new RangeError(`--jobs: expected a positive integer, got "${values.jobs}"`);
  }
  const plan = await loadExperiment(file, { dataRoot: values["data-root"], overrides });
  const trials = planTrials(plan);
  const tuning = plan.search.method === "tune" ? planTuning(plan) : [];
  const missing = await missingDataPaths(plan);
  if (values["dry-run"]) {
    console.log(describePlan(plan, trials, tuning));
    for (const e of missing) console.log(`  note: ${e.message} — needed to run, not to plan`);
    return 0;
  }
  if (missing.length) throw missing[0];
  const backend = (values.backend ?? plan.settings.backend) as BackendName;
  if (backend !== "wasm" && backend !== "cpu") {
    throw new RangeError(`--backend: expected "wasm" or "cpu", got "${backend}"`);
  }
  const storePath = values.store ?? DEFAULT_STORE;
  const cacheDir = values["cache-dir"] ?? ".cache";
  const store = ResultStore.open(storePath);
  try {
    const t0 = performance.now();
    let before = store.register(
      plan.name,
      plan.file,
      plan.description,
      plan,
      trials,
      values.fresh,
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
        `(store ${storePath})`,
    );
    if (before.pending > 0) {
      await runTrials(store, {
        // Workers initialise their own backend; trials run here need it in this process.
        beforeInProcess: () => initTf(backend),
        experiment: plan.name,
        jobs,
        codeVersion: await codeVersion(),
        cacheDir,
        silent: values.quiet,
        progress: true,
        spawnWorker: spawner(storePath, plan.name, cacheDir, backend),
      });
    }
    // The diagnostics layout goes to the report files only (it is long); `report` prints it.
    const report = storeReport(store, plan.name, [...(MODES[mode] ?? MODES.run), "diagnostics"]);
    const out = values.out ?? join("results", plan.name);
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
      `${report.done}/${report.planned} trials done; reports in ${out}/ ` +
        `(${((performance.now() - t0) / 1000).toFixed(1)}s)`,
    );
    return report.failed.length > 0 || report.done < report.planned ? 1 : 0;
  } finally {
    store.close();
  }
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
