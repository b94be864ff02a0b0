/**
 * The engine settings of one trial: range checks beyond their types, and the layering of a
 * (dataset, model) pair's settings — base < dataset file < model file < experiment < the
 * model's experiment entry.
 *
 * @module
 */
import { checkConfig, ConfigError } from "./check.ts";
import { checkSettingRules } from "./setting_rules.ts";
import type { ExperimentPlan, PlannedDataset, PlannedModel } from "./plan_types.ts";
import type { RunSettings } from "./train_defaults.ts";

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
  for (const k of ["evalEvery", "patience", "splitSeed"]) {
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
 * The settings of one (dataset, model) pair: base < dataset file < model file < experiment <
 * the model's experiment entry (`--set` edits the experiment before layering).
 */
export function settingsFor(
  plan: ExperimentPlan,
  ds: PlannedDataset,
  m: PlannedModel,
): RunSettings {
  if (m.settingLayers.length === 0) return ds.settings;
  let s = ds.below;
  for (const l of m.settingLayers.filter((x) => !x.above)) {
    s = checkConfig(s, l.values, l.file, l.path);
  }
  s = checkConfig(s, plan.experimentSettings, plan.file, "settings");
  for (const l of m.settingLayers.filter((x) => x.above)) {
    s = checkConfig(s, l.values, l.file, l.path);
  }
  return checkSettings(s, plan.file);
}
