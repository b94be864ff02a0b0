/**
 * Expands a resolved experiment into trials — datasets × models × search points × seeds — each
 * with its frozen, checked config and a content hash that identifies it in the result store
 * (the same trial in two experiments, or in a rerun, has the same key and runs once).
 *
 * @module
 */
import { checkConfig, ConfigError } from "../config/check.ts";
import type { ExperimentPlan } from "../config/experiment.ts";
import { settingsFor } from "../config/trial_settings.ts";
import { expandSearch, type SearchPoint } from "../config/search.ts";
import { modelInfo } from "../models/catalog.ts";
import { applyPoint, COSMETIC_SETTINGS, makeTrial, type TrialSpec } from "./trial.ts";
import { tuneStart } from "./tune.ts";

export { applyPoint, canonicalJson, makeTrial, trialKey, type TrialSpec } from "./trial.ts";

/** Checks that every axis applies to something (a typo otherwise silently does nothing). */
function checkAxes(plan: ExperimentPlan): void {
  for (const a of plan.search.axes) {
    const path = `search.space.${a.name}`;
    if (a.scope === "settings") {
      for (const k of a.keys) {
        if (!(k in plan.settings)) throw new ConfigError(plan.file, path, `unknown setting "${k}"`);
        if (COSMETIC_SETTINGS.includes(k)) {
          throw new ConfigError(
            plan.file,
            path,
            `"${k}" does not change results (block size or logging), so searching it would ` +
              `run the same trials again; set it under settings instead`,
          );
        }
      }
    } else if (a.scope !== "*") {
      if (!plan.models.some((m) => m.name === a.scope)) {
        throw new ConfigError(plan.file, path, `model "${a.scope}" is not in this experiment`);
      }
    } else if (!plan.models.some((m) => a.keys.every((k) => k in m.config))) {
      throw new ConfigError(
        plan.file,
        path,
        `no model of this experiment has ${a.keys.map((k) => `"${k}"`).join(" and ")}`,
      );
    }
  }
}

/**
 * Every trial of the plan, in run order (dataset, model, point, seed). A model that no axis
 * touches runs once per seed, not once per point. Under `search.method: tune` these are the
 * trials known before any result: every seed of the rows without a tune space, and the first
 * rung of every tuned row (`lib/run/tune.ts` plans and releases the rest).
 */
export function planTrials(plan: ExperimentPlan): TrialSpec[] {
  if (plan.search.method === "tune") return tuneStart(plan);
  checkAxes(plan);
  const points = expandSearch(plan.search);
  const out: TrialSpec[] = [];
  for (const ds of plan.datasets) {
    for (const m of plan.models) {
      const seen = new Set<string>();
      for (const point of points) {
        const { config, settings } = applyPoint(
          plan.search.axes,
          plan.file,
          m,
          point,
          settingsFor(plan, ds, m),
        );
        // Keep only the axes that reached this model, so its label names what varied.
        const own: SearchPoint = Object.fromEntries(
          plan.search.axes.filter((a) =>
            a.scope === "settings" || a.scope === m.name ||
            (a.scope === "*" && a.keys.every((k) => k in m.config))
          ).map((a) => [a.name, point[a.name]]),
        );
        const id = JSON.stringify(own);
        if (seen.has(id)) continue;
        seen.add(id);
        for (const seed of plan.seeds) out.push(makeTrial(ds, m, own, config, settings, seed));
      }
    }
  }
  return out;
}

/** Checks a trial's model config against the registry once more (used by workers). */
export function checkTrialModel(t: TrialSpec): void {
  const spec = modelInfo(t.model);
  checkConfig(spec.defaults, t.config, `trial ${t.key}`, t.model);
}
