/**
 * Configuration: typed defaults, checked YAML layers and experiment files.
 *
 * @module
 */
export { checkConfig, ConfigError, didYouMean } from "./check.ts";
export { configsFolder, datasetConfigNames, TOOLKIT_CONFIGS } from "./configs_folder.ts";
export { loadDatasetConfig, missingPaths, PATH_KEYS } from "./dataset_entry.ts";
export {
  DEFAULT_SEEDS,
  type ExperimentPlan,
  loadExperiment,
  type PlannedDataset,
  type PlannedModel,
  type ResolveOptions,
} from "./experiment.ts";
export {
  checkSettings,
  resolveSettings,
  settingsFor,
  type SettingsLayer,
} from "./trial_settings.ts";
export { loadPlugins, pluginPaths } from "./plugins.ts";
export { parseTunePresets, type TunePreset } from "./presets.ts";
export {
  expandSearch,
  parseSearch,
  pointLabel,
  type SearchAxis,
  type SearchPoint,
  type SearchSpace,
} from "./search.ts";
export { SLURM_SCHEMA, type SlurmBlock } from "./slurm_schema.ts";
export { RUN_DEFAULTS, type RunSettings } from "./train_defaults.ts";
export { parseYamlText, readYamlFile } from "./yaml_file.ts";
