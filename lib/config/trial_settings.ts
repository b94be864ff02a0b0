/**
 * The engine settings of one trial, resolved in one place: the layers of an experiment — base <
 * dataset file < model file < experiment < the model's experiment entry — over the built-in
 * defaults, each checked against their keys and types, then range checks beyond the types.
 *
 * @module
 */
import { checkConfig, ConfigError } from "./check.ts";
import { checkSettingRules } from "./setting_rules.ts";
import {
  type ExperimentPlan,
  type PlannedDataset,
  type PlannedModel,
  SETTING_LEVELS,
  type SettingsLayer,
} from "./plan_types.ts";
import { RUN_DEFAULTS, type RunSettings } from "./train_defaults.ts";

export type { SettingsLayer } from "./plan_types.ts";

/** Range checks of settings beyond their types; throws a ConfigError naming `file`. */
export function checkSettings(s: RunSettings, file: string): RunSettings {
  const bad = (key: string, what: string) => {
    throw new ConfigError(file, `settings.${key}`, `${what}, got ${JSON.stringify(s[key])}`);
  };
  if (!["item2user", "user2item"].includes(s.protocol)) {
    bad("protocol", `expected "item2user" or "user2item"`);
  }
  if (!["wasm", "cpu"].includes(s.backend)) bad("backend", `expected "wasm" or "cpu"`);
  if (!["lazy", "dense"].includes(s.tableUpdate)) bad("tableUpdate", `expected "lazy" or "dense"`);
  if (!["part", "all-cold"].includes(s.candidates)) {
    bad("candidates", `expected "part" or "all-cold"`);
  }
  for (const k of ["epochs", "batchSize", "userChunk", "itemChunk", "logEvery"]) {
    if (!Number.isInteger(s[k]) || (s[k] as number) < 1) bad(k, "expected a positive integer");
  }
  for (const k of ["evalEvery", "patience", "splitSeed", "maxSteps"]) {
    if (!Number.isInteger(s[k]) || (s[k] as number) < 0) bad(k, "expected an integer ≥ 0");
  }
  if (!(s.lr > 0)) bad("lr", "expected a positive number");
  if (!(s.embeddingLrScale > 0)) bad("embeddingLrScale", "expected a positive number");
  if (!(s.weightDecay >= 0)) bad("weightDecay", "expected a number ≥ 0");
  if (!/^[A-Za-z]+@[1-9]\d*$/.test(s.selectMetric)) bad("selectMetric", "expected e.g. NDCG@10");
  checkSettingRules(s, file);
  return s;
}

/**
 * Lays `layers` over {@linkcode RUN_DEFAULTS} by level (base < dataset < model < experiment <
 * entry; in the given order within a level), each checked against the defaults' keys and types
 * and named by its file and path, then checks the result's ranges (errors name `file`). Every
 * setting of a plan is resolved here.
 */
export function resolveSettings(layers: readonly SettingsLayer[], file: string): RunSettings {
  const rank = (l: SettingsLayer) => SETTING_LEVELS.indexOf(l.level);
  let s = { ...RUN_DEFAULTS };
  for (const l of [...layers].sort((a, b) => rank(a) - rank(b))) {
    s = checkConfig(s, l.values, l.file, l.path);
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
