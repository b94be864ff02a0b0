/**
 * `atChoice: <experiment>`: an experiment whose rows run at the configuration a tuned experiment
 * of the same store chose, e.g. Table 4's ablations of the M2VAE row that the fair Table 3 tuned.
 * The paper reports its ablations at the full model's tuned configuration; without this a user
 * would copy a row's chosen hyperparameters by hand, per dataset.
 *
 * For every (dataset, row) of the experiment whose model has a `tune:` space, the choice is read
 * from the stored trials the tuned experiment reports for its row of the same model with no
 * variant (its full row) on that dataset — where it tuned several, the one labelled as the model
 * is (`M2VAE`) — : their point of the tune space (every axis at the chosen value, presets
 * included). That point is applied over this row's own config and settings, minus the axes its
 * variant pins (as tuning does: `w/o DCL` keeps its α = 0) and the keys the row's entry sets
 * itself, so the row's variant, its own keys and this experiment's settings (cap, patience,
 * seeds) stay its own. Where both experiments give the model the same config and settings, the
 * full row's trials are the tuned row's final runs (same keys): the store has them and they are
 * not trained again. Rows whose model has no tune space (the floors) run as written.
 *
 * Every problem — no such experiment in the store, one that was not tuned, a (dataset, model) it
 * has not chosen for yet or tuned two full rows of with none labelled as the model, a stored
 * point with an axis the model's tune space no longer has or without one it has now — is one
 * line naming the experiment file and `atChoice`, raised before any trial is registered or runs.
 * The dataset must be the same entry: its name and options (where its files lie aside, so a
 * choice made under another data root still applies).
 *
 * @module
 */
import { ConfigError } from "../config/check.ts";
import type { ExperimentPlan } from "../config/experiment.ts";
import type { SearchAxis, SearchPoint } from "../config/search.ts";
import { settingsFor } from "../config/trial_settings.ts";
import { modelInfo } from "../models/catalog.ts";
import { isPostgresUrl, ResultStore, shownStore, type TrialInfo } from "../store/mod.ts";
import { seedTrials, type TrialSpec } from "./trial.ts";

/** What a tuned experiment chose for one (dataset, model): its full row's label and point. */
export interface RowChoice {
  dataset: string;
  model: string;
  /** The tuned row's label, e.g. `M2VAE`. */
  label: string;
  /** The chosen point of the model's tune space (axis name → values). */
  point: SearchPoint;
  /** The dataset entry the choice was made on (as its trials stored it). */
  datasetSpec?: unknown;
}

/** The axes of a row's tune space that its variant does not pin (what tuning draws for it). */
export function rowTuneAxes(m: ExperimentPlan["models"][number]): SearchAxis[] {
  const pinned = modelInfo(m.name).pinnedBy?.(m.variant) ?? [];
  return m.tune.filter((a) => !a.keys.some((k) => pinned.includes(k)));
}

/**
 * The choices of tuned experiment `experiment` in `store`, one per (dataset, row) of its full
 * rows that have reported runs: read from the trials linked as its results (never its tuning
 * rungs, linked as `tune`). Throws a
 * ConfigError (naming `file` and `atChoice`) when the store does not hold the experiment or it
 * was not tuned.
 *
 * @example Usage
 * ```ts ignore
 * const choices = await storedChoices(store, "table3_fair_lastfm", plan.file);
 * choices.find((c) => c.model === "m2vae")?.point; // { lr: [0.001], alpha: [10], … }
 * ```
 */
export async function storedChoices(
  store: ResultStore,
  experiment: string,
  file: string,
): Promise<RowChoice[]> {
  const stored = await store.experimentPlan(experiment).catch(() => undefined) as
    | { search?: { method?: string } }
    | undefined;
  if (stored === undefined || stored === null) {
    throw new ConfigError(file, "atChoice", `the store holds no experiment "${experiment}"`);
  }
  if (stored.search?.method !== "tune") {
    throw new ConfigError(
      file,
      "atChoice",
      `experiment "${experiment}" was not tuned (its search.method is ` +
        `${stored.search?.method ?? "grid"}, not tune): it chose no configuration`,
    );
  }
  const reported = (await store.trials(experiment)).filter((t: TrialInfo) =>
    t.role === "result" && (t.spec.variant ?? "full") === "full" &&
    Object.keys(t.spec.point).length > 0
  );
  const out: RowChoice[] = [];
  for (const t of reported) {
    const s = t.spec;
    if (!out.some((c) => c.dataset === s.dataset && c.label === s.label)) {
      out.push({
        dataset: s.dataset,
        model: s.model,
        label: s.label,
        point: s.point,
        datasetSpec: s.datasetSpec,
      });
    }
  }
  return out;
}

/**
 * The trials of `plan` with every row of a tuned model at its model's `choices` on each dataset
 * (see the module doc); throws a ConfigError naming `atChoice` where a (dataset, row) has no
 * choice or the chosen point names an axis the row's tune space lacks.
 *
 * @example Usage
 * ```ts ignore
 * const trials = planAtChoice(plan, await storedChoices(store, plan.atChoice!, plan.file));
 * ```
 */
export function planAtChoice(plan: ExperimentPlan, choices: readonly RowChoice[]): TrialSpec[] {
  const out: TrialSpec[] = [];
  for (const ds of plan.datasets) {
    for (const m of plan.models) {
      const settings = settingsFor(plan, ds, m);
      if (m.tune.length === 0) {
        out.push(...seedTrials(plan, ds, m, [], plan.file, {}, settings));
        continue;
      }
      const choice = choiceFor(plan, choices, ds.name, m);
      if (
        choice.datasetSpec !== undefined &&
        JSON.stringify(withoutPaths(choice.datasetSpec)) !== JSON.stringify(withoutPaths(ds.spec))
      ) {
        throw new ConfigError(
          plan.file,
          "atChoice",
          `"${choice.label}" chose on ${ds.name} with other dataset options ` +
            `(${JSON.stringify(withoutPaths(choice.datasetSpec))} there, ` +
            `${JSON.stringify(withoutPaths(ds.spec))} here)`,
        );
      }
      const all = m.tune.map((a) => a.name);
      const unknown = Object.keys(choice.point).filter((a) => !all.includes(a));
      const lacking = all.filter((a) => !(a in choice.point));
      if (unknown.length > 0 || lacking.length > 0) {
        throw new ConfigError(
          plan.file,
          "atChoice",
          `the choice of "${choice.label}" on ${ds.name} ` + (unknown.length > 0
            ? `sets ${unknown.join(", ")}, which ${m.name}'s tune space (${m.tuneFile}) lacks`
            : `lacks ${lacking.join(", ")}, which ${m.name}'s tune space (${m.tuneFile}) has`) +
            ": it was tuned over another space",
        );
      }
      // The row's own keys stay its own, as the keys its variant pins do.
      const own = new Set(m.written ?? []);
      const axes = rowTuneAxes(m).filter((a) =>
        !a.keys.some((k) => own.has(a.scope === "settings" ? `settings.${k}` : k))
      );
      const point: SearchPoint = Object.fromEntries(
        axes.map((a) => [a.name, choice.point[a.name]]),
      );
      out.push(...seedTrials(plan, ds, m, axes, m.tuneFile, point, settings));
    }
  }
  return out;
}

/**
 * The stored choice for row `m` on `dataset`: the tuned full row of its model, or, where the
 * tuned experiment has several, the one labelled as the model is (`M2VAE` for every M2VAE row).
 */
function choiceFor(
  plan: ExperimentPlan,
  choices: readonly RowChoice[],
  dataset: string,
  m: ExperimentPlan["models"][number],
): RowChoice {
  const mine = choices.filter((c) => c.dataset === dataset && c.model === m.name);
  if (mine.length === 0) {
    throw new ConfigError(
      plan.file,
      "atChoice",
      `experiment "${plan.atChoice}" has no chosen configuration of ${m.name} on ${dataset} ` +
        "(no reported run of a tuned full row: not in it, or not chosen yet)",
    );
  }
  const label = modelInfo(m.name).label;
  const named = mine.length === 1 ? mine[0] : mine.find((c) => c.label === label);
  if (named) return named;
  throw new ConfigError(
    plan.file,
    "atChoice",
    `experiment "${plan.atChoice}" tuned ${mine.length} full rows of ${m.name} on ${dataset} ` +
      `(${mine.map((c) => `"${c.label}"`).join(", ")}), none labelled "${label}": which ` +
      "one's choice is meant is ambiguous",
  );
}

/**
 * A dataset entry without where its files lie (keys naming a path, folder, file or root), so
 * two entries of the same data under different data roots compare equal.
 */
function withoutPaths(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(withoutPaths);
  if (spec === null || typeof spec !== "object") return spec;
  return Object.fromEntries(
    Object.entries(spec as Record<string, unknown>)
      .filter(([k]) => !/path|dir|file|root/i.test(k))
      .map(([k, v]) => [k, withoutPaths(v)]),
  );
}

/**
 * The choices of the tuned experiment `plan.atChoice` names, read from the run's store: a file
 * must exist and be a result store (an empty or missing file holds no experiment); a store that
 * cannot be read is one line naming `atChoice` too.
 *
 * @example Usage
 * ```ts ignore
 * const trials = planAtChoice(plan, await readChoices(plan, "results/store.sqlite"));
 * ```
 */
export async function readChoices(
  plan: ExperimentPlan,
  storePath: string,
): Promise<RowChoice[]> {
  const name = plan.atChoice!;
  const fail = (detail: string) =>
    new ConfigError(plan.file, "atChoice", `the store ${shownStore(storePath)} ${detail}`);
  if (!isPostgresUrl(storePath)) {
    const size = (await Deno.stat(storePath).catch(() => undefined))?.size ?? 0;
    if (size === 0) throw fail(`does not exist or is empty, so it holds no experiment "${name}"`);
  }
  let store: ResultStore;
  try {
    store = await ResultStore.open(storePath, { mustExist: true });
  } catch (e) {
    throw fail(`cannot be read: ${e instanceof Error ? e.message : e}`);
  }
  try {
    return await storedChoices(store, name, plan.file);
  } finally {
    await store.close();
  }
}
