/**
 * The engine settings of one trial, resolved in one place: the layers of an experiment — base <
 * dataset file < model file < experiment < the model's experiment entry — over the built-in
 * defaults, each checked where it was written against the settings schema (keys, types, bounds:
 * `settings_schema.ts`), then the resolved settings as a whole (the rules across keys).
 *
 * @module
 */
import { ConfigError } from "./check.ts";
import { settingsProblem } from "./settings_schema.ts";
import {
  type ExperimentPlan,
  type PlannedDataset,
  type PlannedModel,
  SETTING_LEVELS,
  type SettingsLayer,
} from "./plan_types.ts";
import { RUN_DEFAULTS, type RunSettings } from "./train_defaults.ts";

export type { SettingsLayer } from "./plan_types.ts";

/**
 * Complete settings checked against the settings schema (`SETTING_FIELDS`) and the rules across
 * keys (split ratios, metric against protocol); throws a ConfigError naming `file` and the key.
 */
export function checkSettings(s: RunSettings, file: string): RunSettings {
  const p = settingsProblem(s, true);
  if (p) throw new ConfigError(file, p.path ? `settings.${p.path}` : "settings", p.detail);
  return s;
}

/**
 * Lays `layers` over {@linkcode RUN_DEFAULTS} by level (base < dataset < model < experiment <
 * entry; in the given order within a level), each checked against the settings' keys, types and
 * bounds and named by its file and path, then checks the result as a whole (errors name `file`).
 * Every setting of a plan is resolved here.
 */
export function resolveSettings(layers: readonly SettingsLayer[], file: string): RunSettings {
  const rank = (l: SettingsLayer) => SETTING_LEVELS.indexOf(l.level);
  let s = { ...RUN_DEFAULTS };
  for (const l of [...layers].sort((a, b) => rank(a) - rank(b))) {
    if (l.values === undefined || l.values === null) continue;
    // Each layer's keys, types and bounds are checked where they were written.
    const p = settingsProblem(l.values);
    if (p) throw new ConfigError(l.file, p.path ? `${l.path}.${p.path}` : l.path, p.detail);
    s = { ...s, ...l.values as Partial<RunSettings> };
  }
  return checkSettings(s, file);
}

/**
 * The settings of a plan (`ds` and `m` absent), of one of its datasets, or of one (dataset,
 * model) pair: the plan's layers, the dataset's and the model's, resolved.
 */
export function settingsFor(
  plan: ExperimentPlan,
  ds?: PlannedDataset,
  m?: PlannedModel,
): RunSettings {
  const layers = [...plan.settingLayers, ...ds?.settingLayers ?? [], ...m?.settingLayers ?? []];
  return resolveSettings(layers, plan.file);
}
