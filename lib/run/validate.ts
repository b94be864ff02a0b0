/**
 * Everything an experiment's trials will read, checked before the experiment is registered in
 * the store or a folder is made: every planned model config against its model's schema (and a
 * plugin model's `ModelSpec.check`), every dataset's required keys and paths, and every dataset
 * loaded and validated (a data defect is one DataError naming the file, line and field) and
 * split, with a progress line when each starts loading and one when its split is ready. The
 * loads go through the per-process cache of `execute.ts`, so trials run here afterwards do not
 * load the data again.
 *
 * @module
 */
import { ConfigError } from "../config/check.ts";
import { missingPaths } from "../config/dataset_entry.ts";
import type { ExperimentPlan } from "../config/experiment.ts";
import { missingDatasetKey } from "../data/registry.ts";
import { checkModelConfig } from "../models/config_schema.ts";
import { resolveModel } from "../models/registry.ts";
import type { ProgressSink } from "../train/progress.ts";
import { loadWithProgress } from "./load_progress.ts";
import { canonicalJson, type TrialSpec } from "./plan.ts";
import type { TuneRow } from "./tune.ts";

/** What {@linkcode validateExperiment} checks. */
export interface ValidateOptions {
  /** Load and validate every dataset (default true); false checks configs and keys only. */
  data?: boolean;
  /**
   * Where each dataset's load and split progress lines go (`load_progress.ts`; default
   * stderr).
   */
  progress?: ProgressSink;
}

/** The trials a plan can run: those planned now and every configuration tuning may release. */
function allTrials(trials: readonly TrialSpec[], tuning: readonly TuneRow[]): TrialSpec[] {
  const out = [...trials];
  for (const row of tuning) {
    for (const c of row.configs) out.push(...c.rungTrials, ...c.finals);
  }
  return out;
}

/**
 * Checks every distinct model config of the trials against its model's schema
 * (`lib/models/config_schema.ts`) and a plugin model's own `check`.
 */
export function checkModelConfigs(plan: ExperimentPlan, trials: readonly TrialSpec[]): void {
  const seen = new Set<string>();
  for (const t of trials) {
    const id = canonicalJson([t.model, t.config]);
    if (seen.has(id)) continue;
    seen.add(id);
    const spec = resolveModel(t.model);
    try {
      checkModelConfig(t.model, t.config as Record<string, unknown>);
      spec.check?.(t.config as Record<string, unknown>);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // `m2vae config "cn": …` names the key; keep it in the path so `--set` can be named.
      const key = /config "(\w+)"/.exec(e.message)?.[1];
      const row = plan.models.find((m) => m.label === t.label);
      const entry = row && row.variant !== "full" ? `${t.model} (${row.variant})` : t.model;
      const point = t.pointLabel ? ` (search point ${t.pointLabel})` : "";
      throw new ConfigError(
        plan.file,
        `models.${entry}${key ? `.${key}` : ""}`,
        `${e.message.split("\n")[0]}${point}`,
      );
    }
  }
}

/** Paths of the plan's datasets that do not exist, as ConfigErrors naming the dataset key. */
export async function missingDataPaths(plan: ExperimentPlan): Promise<ConfigError[]> {
  const out: ConfigError[] = [];
  for (const ds of plan.datasets) {
    for (const [k, v] of await missingPaths(ds.spec as unknown as Record<string, unknown>)) {
      const where = `datasets.${ds.name}.${k}`;
      out.push(new ConfigError(plan.file, where, `not found: ${v} (set --data-root?)`));
    }
  }
  return out;
}

/**
 * Checks what the plan's trials will read, in the order a user fixes it: model configs, each
 * dataset's required keys, its paths, then (unless `opts.data` is false) every dataset loaded
 * and validated. Throws the first problem; returns the problems that only matter to running
 * (missing paths) when the data is not loaded.
 */
export async function validateExperiment(
  plan: ExperimentPlan,
  trials: readonly TrialSpec[],
  tuning: readonly TuneRow[] = [],
  opts: ValidateOptions = {},
): Promise<ConfigError[]> {
  const every = allTrials(trials, tuning);
  checkModelConfigs(plan, every);
  for (const ds of plan.datasets) {
    const key = missingDatasetKey(
      ds.spec as unknown as { kind: unknown } & Record<string, unknown>,
    );
    if (key) {
      throw new ConfigError(
        plan.file,
        `datasets.${ds.name}.${key}`,
        `missing: the ${ds.spec.kind} loader needs it (a ${key === "path" ? "folder" : "file"})`,
      );
    }
  }
  const missing = await missingDataPaths(plan);
  if (opts.data === false) return missing;
  if (missing.length) throw missing[0];
  for (const ds of plan.datasets) {
    const t = every.find((x) => x.dataset === ds.name);
    // A real set takes seconds to read and split: say so, then say what came out.
    if (t) await loadWithProgress(t, opts.progress);
  }
  return [];
}
