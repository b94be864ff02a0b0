/**
 * A trial — one (dataset, model, configuration, seed) — frozen with its resolved config and
 * settings, and the content hash that identifies it in the result store (the same trial in two
 * experiments, or in a rerun, has the same key and runs once).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { checkConfig } from "../config/check.ts";
import type { ExperimentPlan, PlannedModel } from "../config/experiment.ts";
import { checkSettings } from "../config/trial_settings.ts";
import { pointLabel, type SearchAxis } from "../config/search.ts";
import { neutralConfigOf } from "../models/catalog.ts";
import { canonicalJson, type SearchPoint, type TrialSpec } from "../store/trial_spec.ts";
import { COSMETIC_SETTINGS, NEUTRAL_SETTINGS, type RunSettings } from "../train/settings.ts";

export type { TrialSpec };

export { COSMETIC_SETTINGS, NEUTRAL_SETTINGS };

export { canonicalJson };

/** The store key of a trial. */
export function trialKey(parts: {
  dataset: string;
  written: Record<string, unknown>;
  model: string;
  config: Record<string, unknown>;
  settings: RunSettings;
  seed: number;
}): string {
  const settings = Object.fromEntries(
    Object.entries(parts.settings).filter(([k, v]) =>
      !COSMETIC_SETTINGS.includes(k) && !(k in NEUTRAL_SETTINGS && NEUTRAL_SETTINGS[k] === v)
    ),
  );
  // Model config keys added later stay out at their neutral value too (ModelInfo.neutralConfig).
  const neutral = neutralConfigOf(parts.model);
  const config = Object.fromEntries(
    Object.entries(parts.config).filter(([k, v]) => !(k in neutral && neutral[k] === v)),
  );
  const text = canonicalJson({ ...parts, config, settings });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * What a trial shares with every run of it under another epoch cap: the key of its dataset (as
 * loaded), model, config, seed and every setting but `epochs`. Two trials with one lineage train
 * identically epoch by epoch, so the one with the larger cap can continue the other's end
 * (`cap_continuation.ts`). `undefined` when the run cannot be continued by epochs: it validates
 * mid-epoch (`evalEvery` ≠ 0) or stops on a step cap (`maxSteps` ≠ 0).
 *
 * @example
 * ```ts ignore
 * lineageKey(trial) === lineageKey({ ...trial, settings: { ...trial.settings, epochs: 40 } });
 * ```
 */
export function lineageKey(t: TrialSpec): string | undefined {
  if (t.settings.evalEvery !== 0 || (t.settings.maxSteps ?? 0) !== 0) return undefined;
  return trialKey({
    dataset: t.dataset,
    written: { lineage: t.datasetSpec },
    model: t.model,
    config: { ...t.config },
    settings: { ...t.settings, epochs: 0 },
    seed: t.seed,
  });
}

/**
 * Applies a point's axes to one model's config and the settings, checking keys and types. The
 * axes are the experiment's search space or (tuning) the model's own `tune:` space from `file`.
 */
export function applyPoint(
  axes: readonly SearchAxis[],
  file: string,
  m: PlannedModel,
  point: SearchPoint,
  settings: RunSettings,
): { config: Record<string, unknown>; settings: RunSettings } {
  let config = m.config;
  for (const axis of axes) {
    const values = point[axis.name];
    if (values === undefined) continue;
    const patch = Object.fromEntries(axis.keys.map((k, i) => [k, values[i]]));
    // checkConfig appends the key: `search.space.<scope>.<key>` (or `tune.<key>`) names the
    // axis as written.
    const tuning = axis.path?.startsWith("tune.");
    const path = tuning
      ? (axis.scope === "settings" ? "tune.settings" : "tune")
      : axis.scope === "*"
      ? "search.space"
      : `search.space.${axis.scope}`;
    if (axis.scope === "settings") {
      settings = checkConfig(settings, patch, file, path);
    } else if (axis.scope === "*" || axis.scope === m.name) {
      const has = axis.keys.every((k) => k in config);
      if (axis.scope === m.name && !has) {
        checkConfig(config, patch, file, path); // throws naming the unknown key
      }
      if (has) config = checkConfig(config, patch, file, path);
    }
  }
  return { config, settings: checkSettings(settings, file) };
}

/** The frozen trial of one (dataset, model, point, seed) with its resolved config and settings. */
export function makeTrial(
  ds: ExperimentPlan["datasets"][number],
  m: PlannedModel,
  point: SearchPoint,
  config: Record<string, unknown>,
  settings: RunSettings,
  seed: number,
): TrialSpec {
  const key = trialKey({
    dataset: ds.name,
    written: ds.written,
    model: m.name,
    config,
    settings,
    seed,
  });
  return Object.freeze({
    key,
    dataset: ds.name,
    datasetSpec: ds.spec,
    model: m.name,
    label: m.label,
    variant: m.variant,
    family: m.family,
    point,
    pointLabel: pointLabel(point),
    config: Object.freeze({ ...config }),
    settings: Object.freeze({ ...settings }),
    seed,
  });
}

/**
 * The trials of row `m` on dataset `ds` at `point` of `axes` (read from `file`) over `settings`,
 * one per seed of the plan: a row that is not searched, or one at a chosen configuration.
 */
export function seedTrials(
  plan: ExperimentPlan,
  ds: ExperimentPlan["datasets"][number],
  m: PlannedModel,
  axes: readonly SearchAxis[],
  file: string,
  point: SearchPoint,
  settings: RunSettings,
): TrialSpec[] {
  const applied = applyPoint(axes, file, m, point, settings);
  return plan.seeds.map((s) => makeTrial(ds, m, point, applied.config, applied.settings, s));
}
