/**
 * Expands a resolved experiment into trials — datasets × models × search points × seeds — each
 * with its frozen, checked config and a content hash that identifies it in the result store
 * (the same trial in two experiments, or in a rerun, has the same key and runs once).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { checkConfig, ConfigError } from "../config/check.ts";
import type { ExperimentPlan, PlannedModel } from "../config/experiment.ts";
import { checkSettings, settingsFor } from "../config/trial_settings.ts";
import { expandSearch, pointLabel, type SearchPoint } from "../config/search.ts";
import type { RunSettings } from "../config/train_defaults.ts";
import type { DatasetSpec } from "../data/mod.ts";
import type { ModelFamily } from "../models/model.ts";
import { resolveModel } from "../models/registry.ts";

/** One trial: everything needed to run it, frozen. */
export interface TrialSpec {
  /** Content hash of dataset, model, config, settings and seed (16 hex digits). */
  readonly key: string;
  readonly dataset: string;
  readonly datasetSpec: DatasetSpec;
  readonly model: string;
  /** Row label in reports. */
  readonly label: string;
  readonly variant: string;
  readonly family: ModelFamily;
  /** The search point (axis name → values) and its label (`""` without search). */
  readonly point: SearchPoint;
  readonly pointLabel: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<RunSettings>;
  readonly seed: number;
}

/** Settings that do not change results (scoring block sizes, logging) stay out of the hash. */
const COSMETIC_SETTINGS = ["userChunk", "itemChunk", "logEvery"];

/** JSON with object keys sorted, so equal values hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${
      Object.keys(v).sort().map((k) =>
        `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`
      ).join(",")
    }}`;
  }
  return JSON.stringify(v);
}

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
    Object.entries(parts.settings).filter(([k]) => !COSMETIC_SETTINGS.includes(k)),
  );
  const text = canonicalJson({ ...parts, settings });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Applies a point's axes to one model's config and the settings, checking keys and types. */
function applyPoint(
  plan: ExperimentPlan,
  m: PlannedModel,
  point: SearchPoint,
  settings: RunSettings,
): { config: Record<string, unknown>; settings: RunSettings } {
  let config = m.config;
  for (const axis of plan.search.axes) {
    const values = point[axis.name];
    const patch = Object.fromEntries(axis.keys.map((k, i) => [k, values[i]]));
    // checkConfig appends the key: `search.space.<scope>.<key>` names the axis as written.
    const path = axis.scope === "*" ? "search.space" : `search.space.${axis.scope}`;
    if (axis.scope === "settings") {
      settings = checkConfig(settings, patch, plan.file, path);
    } else if (axis.scope === "*" || axis.scope === m.name) {
      const has = axis.keys.every((k) => k in config);
      if (axis.scope === m.name && !has) {
        checkConfig(config, patch, plan.file, path); // throws naming the unknown key
      }
      if (has) config = checkConfig(config, patch, plan.file, path);
    }
  }
  return { config, settings: checkSettings(settings, plan.file) };
}

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
 * touches runs once per seed, not once per point.
 */
export function planTrials(plan: ExperimentPlan): TrialSpec[] {
  checkAxes(plan);
  const points = expandSearch(plan.search);
  const out: TrialSpec[] = [];
  for (const ds of plan.datasets) {
    for (const m of plan.models) {
      const seen = new Set<string>();
      for (const point of points) {
        const { config, settings } = applyPoint(plan, m, point, settingsFor(plan, ds, m));
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
        for (const seed of plan.seeds) {
          const key = trialKey({
            dataset: ds.name,
            written: ds.written,
            model: m.name,
            config,
            settings,
            seed,
          });
          out.push(Object.freeze({
            key,
            dataset: ds.name,
            datasetSpec: ds.spec,
            model: m.name,
            label: m.label,
            variant: m.variant,
            family: m.family,
            point: own,
            pointLabel: pointLabel(own),
            config: Object.freeze({ ...config }),
            settings: Object.freeze({ ...settings }),
            seed,
          }));
        }
      }
    }
  }
  return out;
}

/** Checks a trial's model config against the registry once more (used by workers). */
export function checkTrialModel(t: TrialSpec): void {
  const spec = resolveModel(t.model);
  checkConfig(spec.defaults, t.config, `trial ${t.key}`, t.model);
}
