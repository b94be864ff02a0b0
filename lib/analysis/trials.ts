/**
 * Finding stored trials for analysis: a trial by its key (or an unambiguous prefix of it), its
 * model rebuilt from the kept checkpoint, and an experiment's selected configurations (the
 * same selection on validation the report tables make).
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { ColdStartModel } from "../models/model.ts";
import { experimentSelection } from "../report/from_store.ts";
import type { Selection } from "../report/select.ts";
import { readCheckpoint } from "../run/checkpoint.ts";
import { restoreTrialModel } from "../run/restore.ts";
import type { ColdSplit } from "../split/types.ts";
import { ResultStore, shownStore, type TrialInfo } from "../store/mod.ts";
import { type BackendName, initTf } from "../tf/mod.ts";

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
export async function findTrial(store: ResultStore, ref: string): Promise<TrialInfo> {
  const want = ref.trim().toLowerCase();
  if (!/^[0-9a-f]{4,16}$/.test(want)) {
    throw new RangeError(`--trial: expected a trial key (4 to 16 hex digits), got "${ref}"`);
  }
  const found = new Map<string, TrialInfo>();
  for (const e of (await store.experiments())) {
    for (const t of (await store.trials(e.name))) {
      if (t.spec.key.startsWith(want) && !found.has(t.spec.key)) found.set(t.spec.key, t);
    }
  }
  if (found.size === 0) {
    throw new RangeError(
      `no trial "${ref}" in ${shownStore(store.path)} (keys: report --export jsonl, column "key")`,
    );
  }
  if (found.size > 1) {
    throw new RangeError(
      `trial "${ref}" is ambiguous in ${shownStore(store.path)}: ${[...found.keys()].join(", ")}`,
    );
  }
  return [...found.values()][0];
}

/**
 * A row's trials: `ref` is either trial keys (or prefixes), comma-separated, or a row label
 * as the tables print it, whose trials are then the seeds of the configuration that the
 * experiment's selection on validation chose (as its table reports it; tuning rungs never
 * count), from `where.experiment` or, without it, from whichever experiments hold that row
 * (they must hold the same trials), on `where.dataset` where the row is on several.
 *
 * @throws RangeError when a key or the label is not found, or the label is ambiguous.
 *
 * @example Usage
 * ```ts
 * await findRow(store, "fd83df05,3f0f2c28"); // two trials by key
 * await findRow(store, "VMoSE (fair choice)", { experiment: "vmose_expert_terms" }); // a row's seeds
 * ```
 */
export async function findRow(
  store: ResultStore,
  ref: string,
  where: {
    experiment?: string;
    dataset?: string;
    /** The option that names the experiment, for messages (default `--experiment`). */
    option?: string;
  } = {},
): Promise<TrialInfo[]> {
  const option = where.option ?? "--experiment";
  const keys = ref.split(",").map((k) => k.trim());
  if (keys.every((k) => /^[0-9a-f]{4,16}$/i.test(k))) {
    const found = await Promise.all(keys.map((k) => findTrial(store, k)));
    const other = found.find((t) => where.dataset && t.spec.dataset !== where.dataset);
    if (other) {
      throw new RangeError(
        `--dataset: trial ${other.spec.key} is on "${other.spec.dataset}", not "${where.dataset}"`,
      );
    }
    return found;
  }
  const all = (await store.experiments()).map((e) => e.name);
  if (where.experiment && !all.includes(where.experiment)) {
    throw new RangeError(
      `${option}: no experiment "${where.experiment}" in ${shownStore(store.path)}`,
    );
  }
  const held = new Map<string, TrialInfo[]>();
  const labels = new Set<string>(), datasets = new Set<string>();
  for (const name of where.experiment ? [where.experiment] : all) {
    const infos = await store.trials(name);
    if (!infos.some((t) => t.status === "done" && t.role === "result")) continue;
    const { selections, trials } = await experimentSelection(store, name);
    for (const sel of selections) {
      datasets.add(sel.dataset);
      if (where.dataset && sel.dataset !== where.dataset) continue;
      labels.add(sel.label);
      if (sel.label !== ref) continue;
      if (held.has(name)) {
        throw new RangeError(
          `row "${ref}" of experiment "${name}" is on several datasets or protocols: ` +
            "name one with --dataset, or give trial keys",
        );
      }
      held.set(name, sel.candidates[sel.chosen].keys.map((k) => trials.get(k)!));
    }
  }
  if (where.dataset && !datasets.has(where.dataset)) {
    throw new RangeError(
      `--dataset: no row on "${where.dataset}" in ${
        where.experiment ? `experiment "${where.experiment}" of ` : ""
      }${shownStore(store.path)} (datasets: ${[...datasets].sort().join(", ") || "none"})`,
    );
  }
  if (held.size === 0) {
    throw new RangeError(
      `no row "${ref}" in ${where.experiment ? `experiment "${where.experiment}" of ` : ""}` +
        `${shownStore(store.path)} (rows: ${[...labels].sort().join(", ") || "none"})`,
    );
  }
  const sets = [...held.values()].map((r) => r.map((t) => t.spec.key).sort().join(","));
  if (new Set(sets).size > 1) {
    throw new RangeError(
      `row "${ref}" holds other trials in each of ${[...held.keys()].join(", ")} of ` +
        `${shownStore(store.path)}: name one with ${option} (or --dataset), or give trial keys`,
    );
  }
  return [...held.values()][0].sort((x, y) => x.spec.seed - y.spec.seed);
}

/**
 * Whether a trial has its test metrics per query (`test_queries.safetensors`).
 *
 * @example Usage
 * ```ts ignore
 * hasTestQueries(store, "3d085a4b2f1e0c9d"); // false for a trial run before they were kept
 * ```
 */
export function hasTestQueries(store: ResultStore, key: string): boolean {
  try {
    return Deno.statSync(store.testQueriesPath(key)).isFile;
  } catch {
    return false;
  }
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

/** Where {@linkcode withLoadedTrial} finds its trial. */
export interface TrialRef {
  /** The result store file (it must exist). */
  store: string;
  /** A trial key, or an unambiguous prefix of it (4+ hex digits). */
  trial: string;
  /** Caches shared by trials, as when the trial ran. */
  cacheDir?: string;
}

/**
 * Runs `fn` on a stored trial's restored model: opens the store, finds the trial, initialises
 * TF.js on the backend it ran with, rebuilds its model from the kept checkpoint, and afterwards
 * (whatever `fn` does) disposes the model and closes the store — what the `probe`, `explain`
 * and `embed` commands share.
 *
 * @example Usage
 * ```ts
 * import { probeTrial, withLoadedTrial } from "./mod.ts";
 * const rows = await withLoadedTrial(
 *   { store: "results/store.sqlite", trial: "3d085a4b" },
 *   (t) => probeTrial(t, "test"),
 * );
 * ```
 */
export async function withLoadedTrial<T>(
  ref: TrialRef,
  fn: (trial: LoadedTrial, store: ResultStore) => T | Promise<T>,
): Promise<T> {
  const store = await ResultStore.open(ref.store, { mustExist: true });
  try {
    const info = await findTrial(store, ref.trial);
    await initTf(info.spec.settings.backend as BackendName);
    const t = await loadTrial(store, info, ref.cacheDir);
    try {
      return await fn(t, store);
    } finally {
      t.model.dispose();
    }
  } finally {
    await store.close();
  }
}

export { type ExperimentSelection } from "../report/from_store.ts";
export { experimentSelection };

/** The keys of a selection's chosen configuration, by ascending seed. */
export function chosenKeys(s: Selection, trials: Map<string, TrialInfo>): string[] {
  return [...s.candidates[s.chosen].keys].sort((a, b) =>
    trials.get(a)!.spec.seed - trials.get(b)!.spec.seed
  );
}
