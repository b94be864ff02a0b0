/**
 * Finding stored trials for analysis: a trial by its key (or an unambiguous prefix of it), its
 * model rebuilt from the kept checkpoint, and an experiment's selected configurations (the
 * same selection on validation the report tables make).
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { ColdStartModel } from "../models/model.ts";
import { type Selection, selectOnValidation } from "../report/select.ts";
import { readCheckpoint } from "../run/checkpoint.ts";
import { restoreTrialModel } from "../run/restore.ts";
import type { ColdSplit } from "../split/types.ts";
import type { ResultStore, TrialInfo } from "../store/mod.ts";

/** A trial's model restored from its checkpoint, with the data it was trained on. */
export interface LoadedTrial {
  info: TrialInfo;
  model: ColdStartModel;
  dataset: Dataset;
  split: ColdSplit;
  checkpoint: string;
}

/**
 * The stored trial whose key is `ref` or starts with it (at least 4 hex digits).
 *
 * @throws RangeError when no trial or more than one matches.
 */
export function findTrial(store: ResultStore, ref: string): TrialInfo {
  const want = ref.trim().toLowerCase();
  if (!/^[0-9a-f]{4,16}$/.test(want)) {
    throw new RangeError(`--trial: expected a trial key (4 to 16 hex digits), got "${ref}"`);
  }
  const found = new Map<string, TrialInfo>();
  for (const e of store.experiments()) {
    for (const t of store.trials(e.name)) {
      if (t.spec.key.startsWith(want) && !found.has(t.spec.key)) found.set(t.spec.key, t);
    }
  }
  if (found.size === 0) {
    throw new RangeError(
      `no trial "${ref}" in ${store.path} (keys: report --export jsonl, column "key")`,
    );
  }
  if (found.size > 1) {
    throw new RangeError(
      `trial "${ref}" is ambiguous in ${store.path}: ${[...found.keys()].join(", ")}`,
    );
  }
  return [...found.values()][0];
}

/** Whether a trial has a kept checkpoint file. */
export function hasCheckpoint(store: ResultStore, key: string): boolean {
  try {
    return Deno.statSync(store.checkpointPath(key)).isFile;
  } catch {
    return false;
  }
}

/**
 * Rebuilds a finished trial's model from its kept checkpoint (TF.js must be initialised).
 * Dispose the model when done.
 *
 * @throws RangeError when the trial is not finished or has no checkpoint.
 */
export async function loadTrial(
  store: ResultStore,
  info: TrialInfo,
  cacheDir?: string,
): Promise<LoadedTrial> {
  const s = info.spec;
  if (info.status !== "done") {
    throw new RangeError(`trial ${s.key} (${s.label} on ${s.dataset}) is ${info.status}, not done`);
  }
  const path = store.checkpointPath(s.key);
  if (!hasCheckpoint(store, s.key)) {
    throw new RangeError(
      `trial ${s.key} (${s.label} on ${s.dataset}) has no checkpoint at ${path}: it ran before ` +
        `checkpoints were kept or with --no-checkpoints; rerun it with --fresh`,
    );
  }
  const restored = await restoreTrialModel(await readCheckpoint(path), cacheDir);
  return { info, ...restored, checkpoint: path };
}

/** An experiment's finished result trials and the selection on validation over them. */
export interface ExperimentSelection {
  /** Finished trials with role `result` (tuning rungs are never reported), by key. */
  trials: Map<string, TrialInfo>;
  selections: Selection[];
  /** The validation metric that selects. */
  metric: string;
}

/**
 * The selection on validation of an experiment, as its report tables make it.
 *
 * @throws RangeError for an unknown experiment or one without a finished trial.
 */
export function experimentSelection(store: ResultStore, experiment: string): ExperimentSelection {
  const infos = store.trials(experiment);
  if (infos.length === 0) {
    const known = store.experiments().map((e) => `"${e.name}"`).join(", ") || "none";
    throw new RangeError(`No experiment "${experiment}" in ${store.path} (stored: ${known})`);
  }
  const done = infos.filter((t) => t.status === "done" && t.role === "result");
  if (done.length === 0) {
    throw new RangeError(`Experiment "${experiment}" has no finished trial yet`);
  }
  const valid = store.metrics(done.map((t) => t.spec.key), "valid");
  const metric = done[0].spec.settings.selectMetric;
  const selections = selectOnValidation(
    done.map((t) => ({
      key: t.spec.key,
      protocol: t.protocol,
      dataset: t.spec.dataset,
      model: t.spec.model,
      label: t.spec.label,
      variant: t.spec.variant,
      family: t.spec.family,
      point: t.spec.point,
      pointLabel: t.spec.pointLabel,
      seed: t.spec.seed,
      valid: valid.get(t.spec.key) ?? {},
    })),
    metric,
  );
  return { trials: new Map(done.map((t) => [t.spec.key, t])), selections, metric };
}

/** The keys of a selection's chosen configuration, by ascending seed. */
export function chosenKeys(s: Selection, trials: Map<string, TrialInfo>): string[] {
  return [...s.candidates[s.chosen].keys].sort((a, b) =>
    trials.get(a)!.spec.seed - trials.get(b)!.spec.seed
  );
}
