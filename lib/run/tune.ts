/**
 * The tuning protocol behind `search: { method: tune, budget: B }`: a fair Table 3, where every
 * row is tuned the same way on validation and then run with every seed.
 *
 * 1. Every (dataset, row) whose model has a `tune:` space (`configs/models/<name>.yaml`) gets
 *    `B` distinct configurations: configuration 0 is the row's own defaults (its model config
 *    and settings as the experiment gives them; `search.defaults: false` leaves them out) and
 *    then come its model's presets (`presets:` in the model file: named points of the space, the
 *    axes they leave out at the row's defaults; `search.presets: false` leaves them out), and
 *    the others are drawn from the space (seeded by `search.seed` and the row's label, so the
 *    same row draws the same configurations on every dataset and rerun). Measured reason for
 *    the defaults: on lastfm with B = 6 and no defaults, GoRec's tuned choice validated at
 *    NDCG@10 0.35–0.41 (3 seeds) where its untouched defaults reach 0.44–0.50 in the same 20
 *    epochs; a random draw can miss the region the
 *    model's authors already found, and a tuned row must not be weaker than an untuned one.
 * 2. Successive halving on the first seed: all B train to the first rung's epoch count; the
 *    best ⌈n/η⌉ by validation `selectMetric` (failed ones rank last) continue to the next rung
 *    from their saved training state (weights, Adam moments, generators, curve), and so on up
 *    to the epoch cap. Rungs default to the cap divided by powers of η (e.g. 40 epochs, η 3,
 *    B 16 → 4, 13, 40).
 * 3. The best configuration at the top rung is the row's choice; its run on the first seed is
 *    the top-rung trial itself (same key: a continued run equals a straight one), and the other
 *    seeds train from scratch to the cap. Only these final runs are reported. With
 *    `search.topSeeds: k` (default 1) every configuration that finishes the top rung first runs
 *    the k − 1 lowest other seeds to the cap too — its final runs there, so the choice's are not
 *    trained twice — and the best mean validation over the k seeds is the choice: a top rung
 *    decided by one seed's noise costs (k − 1) cap-length runs per other survivor to settle.
 *
 * Promotion is synchronous within a row — a rung is ranked once all its trials are finished —
 * so the choice does not depend on the number of workers or their timing; rows are independent,
 * so the worker pool stays busy with other rows' trials meanwhile (ASHA's rungs and continuation,
 * without its order-dependent early promotions). Rows without a tune space (the Random and
 * Popularity floors) simply run every seed. Selection reads validation metrics only.
 *
 * @module
 */
import { ConfigError } from "../config/check.ts";
import type { ExperimentPlan } from "../config/experiment.ts";
import { expandSearch, type SearchAxis, type SearchPoint } from "../config/search.ts";
import { settingsFor } from "../config/trial_settings.ts";
import { hashLabel } from "../rng/mod.ts";
import {
  type HalvingRule,
  planRule,
  type ResultStore,
  tuneDecision,
  type TuneEntry,
  tuneRows,
  type TuneTrialState,
} from "../store/mod.ts";
import { rowTuneAxes } from "./at_choice.ts";
import { applyPoint, makeTrial, seedTrials, type TrialSpec } from "./trial.ts";

/**
 * The rung epoch counts: `given` (checked to end at the cap), or the cap divided by η^k for
 * k = R−1 … 0, with R = 1 + ⌊log_η budget⌋ rungs (fewer when epochs run out).
 *
 * @example Usage
 * ```ts
 * tuneRungs(40, 16, 3); // [4, 13, 40]
 * ```
 */
export function tuneRungs(epochs: number, budget: number, eta: number, given?: number[]): number[] {
  if (given) {
    if (given[given.length - 1] !== epochs) {
      throw new RangeError(`the last rung must be the epoch cap (${epochs}), got ${given.at(-1)}`);
    }
    return given;
  }
  const r = 1 + Math.floor(Math.log(budget) / Math.log(eta) + 1e-9);
  const out: number[] = [];
  for (let k = r - 1; k >= 0; k--) {
    const e = Math.max(1, Math.round(epochs / eta ** k));
    if (out.at(-1) !== e) out.push(e);
  }
  return out;
}

/** One configuration of a tuned row: its trial at every rung, and its final run per seed. */
export interface TuneConfig {
  point: SearchPoint;
  rungTrials: TrialSpec[];
  finals: TrialSpec[];
}

/** A tuned (dataset, row). */
export interface TuneRow {
  dataset: string;
  label: string;
  rungs: number[];
  eta: number;
  metric: string;
  /**
   * The presets that are configurations of their own here (after the defaults, in order): not
   * equal to the defaults or an earlier preset, no axis the row's variant pins.
   */
  presets: string[];
  configs: TuneConfig[];
}

/** Plans every tuned row of a `method: tune` experiment (rows without a tune space excluded). */
export function planTuning(plan: ExperimentPlan): TuneRow[] {
  const {
    budget,
    seed,
    eta = 3,
    rungs: given,
    defaults = true,
    presets: usePresets = true,
    topSeeds = 1,
  } = plan.search;
  const tuneSeed = plan.seeds[0];
  if (topSeeds > plan.seeds.length) {
    throw new ConfigError(
      plan.file,
      "search.topSeeds",
      `${topSeeds} seeds cannot choose at the top rung of an experiment with ${plan.seeds.length}`,
    );
  }
  const out: TuneRow[] = [];
  for (const ds of plan.datasets) {
    for (const m of plan.models) {
      if (m.tune.length === 0) continue;
      const base = settingsFor(plan, ds, m);
      if (base.evalEvery !== 0) {
        throw new ConfigError(
          plan.file,
          "settings.evalEvery",
          "method tune continues runs from rung to rung, which needs validation once per " +
            "epoch (evalEvery 0)",
        );
      }
      if ((base.maxSteps ?? 0) !== 0) {
        throw new ConfigError(
          plan.file,
          "settings.maxSteps",
          "method tune continues runs from rung to rung by epochs; a step cap would end a " +
            "lower rung where a straight run stops, and its continuation would not (maxSteps 0)",
        );
      }
      let rungs: number[];
      try {
        rungs = tuneRungs(base.epochs, budget, eta, given);
      } catch (e) {
        throw new ConfigError(plan.file, "search.rungs", (e as Error).message);
      }
      // Keys the row's variant fixes are not tuned (e.g. the paper-literal KL weight of
      // `m2vae (paper)`): the variant would override whatever was drawn.
      const axes = rowTuneAxes(m);
      const rowDefaults = defaultPoint(axes, m.config, base);
      const own = defaults ? [rowDefaults] : [];
      // A preset sets some axes and leaves the rest at the row's defaults. One that sets an axis
      // the variant pins is another configuration than its name says: the row goes without it.
      const placed: string[] = [];
      for (const p of usePresets ? m.presets ?? [] : []) {
        if (!Object.keys(p.point).every((a) => axes.some((x) => x.name === a))) continue;
        if (addDistinct(own, { ...rowDefaults, ...p.point })) placed.push(p.name);
      }
      if (own.length > budget) {
        throw new ConfigError(
          plan.file,
          "search.budget",
          `${budget} leaves no room for row "${m.label}"'s presets (${placed.join(", ")}) ` +
            `beside its defaults: raise it to ${own.length} or set search.presets: false`,
        );
      }
      // The draws (distinct among themselves) fill the rest, skipping any equal to the above.
      const all = [...own];
      const draws = expandSearch({
        method: "random",
        axes,
        budget,
        seed: (seed ^ hashLabel(m.label)) | 0,
      });
      for (const p of draws) addDistinct(all, p);
      const points = all.slice(0, budget);
      if (points.length < budget) {
        throw new ConfigError(
          m.tuneFile,
          "tune",
          `only ${points.length} distinct configurations, fewer than search.budget ${budget} ` +
            `(give an axis a range)`,
        );
      }
      const configs = points.map((point) => {
        const { config, settings } = applyPoint(axes, m.tuneFile, m, point, base);
        return {
          point,
          rungTrials: rungs.map((e) =>
            makeTrial(ds, m, point, config, { ...settings, epochs: e }, tuneSeed)
          ),
          finals: plan.seeds.map((s) => makeTrial(ds, m, point, config, settings, s)),
        };
      });
      out.push({
        dataset: ds.name,
        label: m.label,
        rungs,
        eta,
        metric: base.selectMetric,
        presets: placed,
        configs,
      });
    }
  }
  return out;
}

/**
 * Appends `p` to `points` unless an equal point is there (axes in the same order); whether it
 * was appended.
 */
function addDistinct(points: SearchPoint[], p: SearchPoint): boolean {
  const id = JSON.stringify(p);
  if (points.some((q) => JSON.stringify(q) === id)) return false;
  points.push(p);
  return true;
}

/**
 * The point of a tune space at a row's own values: every axis set to what the model config (or,
 * for `settings.*` axes, the settings) already holds, so applying it changes nothing and its
 * trials have the keys of the untuned runs.
 *
 * @example Usage
 * ```ts
 * const axes = [{ name: "beta", keys: ["beta"], scope: "*" }];
 * defaultPoint(axes, { beta: 0.5 }, {}); // { beta: [0.5] }
 * ```
 */
export function defaultPoint(
  axes: readonly SearchAxis[],
  config: Readonly<Record<string, unknown>>,
  settings: Readonly<Record<string, unknown>>,
): SearchPoint {
  const point: SearchPoint = {};
  for (const a of axes) {
    const from = a.scope === "settings" ? settings : config;
    point[a.name] = a.keys.map((k) => from[k]);
  }
  return point;
}

/** The trials a tune experiment starts with: untuned rows' seeds and every first rung. */
export function tuneStart(plan: ExperimentPlan): TrialSpec[] {
  const tuned = planTuning(plan);
  const out: TrialSpec[] = [];
  for (const ds of plan.datasets) {
    for (const m of plan.models) {
      const row = tuned.find((r) => r.dataset === ds.name && r.label === m.label);
      if (row) {
        out.push(...row.configs.map((c) => c.rungTrials[0]));
      } else {
        out.push(...seedTrials(plan, ds, m, [], plan.file, {}, settingsFor(plan, ds, m)));
      }
    }
  }
  return out;
}

/** The store's view of tuned rows: entries and every trial spec they may release. */
export function tuneEntries(rows: TuneRow[]): { entries: TuneEntry[]; specs: TrialSpec[] } {
  const entries: TuneEntry[] = [], specs: TrialSpec[] = [];
  for (const r of rows) {
    r.configs.forEach((c, config) => {
      const base = { dataset: r.dataset, label: r.label, config, metric: r.metric };
      // The point as this experiment plans it, which the trial's link carries when released.
      const at = (t: TrialSpec) => ({ point: JSON.stringify(t.point), pointLabel: t.pointLabel });
      c.rungTrials.forEach((t, rung) => {
        entries.push({ ...base, rung, seed: t.seed, trial: t.key, ...at(t) });
        specs.push(t);
      });
      for (const t of c.finals) {
        entries.push({ ...base, rung: -1, seed: t.seed, trial: t.key, ...at(t) });
        specs.push(t);
      }
    });
  }
  return { entries, specs };
}

/**
 * Picks a tuned experiment up where it stood once its plan is registered again: releases what
 * finished rungs allow, then re-queues the trials a dead process left running. In that order:
 * `register` links only the first rung and the untuned rows, so a trial that was in flight at a
 * later rung or among the finals is linked again only by the release, and a re-queue before it
 * would not see it (the rerun would find nothing pending and stop without running it).
 */
export async function resumeTuning(store: ResultStore, experiment: string): Promise<void> {
  await advanceTuning(store, experiment);
  await store.requeueStale(experiment);
}

/**
 * Releases whatever the stored results now allow, for every tuned row of `experiment`, and
 * deletes training states no rung will continue. Idempotent (any worker may call it after any
 * trial). Returns the number of trials newly released.
 */
export async function advanceTuning(store: ResultStore, experiment: string): Promise<number> {
  const all = await store.tuneEntries(experiment);
  if (all.length === 0) return 0;
  const { eta, topSeeds } = await tuneRule(store, experiment);
  let added = 0;
  const states = await store.tuneStates([...new Set(all.map((e) => e.trial))]);
  // A trial that failed in another experiment (a key both share) and is not linked here yet is
  // retried when this one releases it: until then it is unfinished here, not lost, or a rung
  // would be decided without it and a later pass decide it again once the retry is done.
  // Read only when some trial failed: advanceTuning runs after every trial of every worker.
  const anyFailed = [...states.values()].some((x) => x.status === "failed");
  const linked = new Set(
    anyFailed ? (await store.trials(experiment)).map((t) => t.spec.key) : [],
  );
  const state = (k: string): TuneTrialState | undefined => {
    const s = states.get(k);
    return s?.status === "failed" && !linked.has(k) ? { ...s, status: "pending" } : s;
  };
  for (const entries of tuneRows(all)) {
    const d = tuneDecision(entries, eta, state, topSeeds);
    added += await store.release(experiment, d.release);
    // A rung's saved state is needed only by the same configuration's next rung until that
    // one is done.
    for (const e of entries.filter((x) => x.rung >= 0)) {
      const next = entries.find((x) => x.config === e.config && x.rung === e.rung + 1);
      const decided = d.alive.length > e.rung + 1 || d.chosen !== undefined || d.failed;
      const promoted = d.alive[e.rung + 1]?.includes(e.config) ?? false;
      if (decided && (!promoted || (next && state(next.trial)?.status === "done"))) {
        const path = store.statePath(e.trial);
        if (!await Deno.stat(path).then(() => true, () => false)) continue;
        // The same key may be a rung of another tuned experiment whose next rung still needs it.
        const { waiting } = await store.continuation(e.trial);
        if (waiting.some((x) => x !== experiment)) continue;
        await Deno.remove(path).catch(() => {});
      }
    }
  }
  return added;
}

/** The halving rule of an experiment's stored plan (η 3 and one seed at the top when absent). */
export async function tuneRule(store: ResultStore, experiment: string): Promise<HalvingRule> {
  return planRule(await store.experimentPlan(experiment));
}
