/**
 * Configuration: typed defaults, checked YAML layers and experiment files.
 *
 * @module
 */
export { checkConfig, ConfigError, didYouMean } from "./check.ts";
export {
  configsFolder,
  datasetConfigNames,
  DEFAULT_SEEDS,
  type ExperimentPlan,
  loadDatasetConfig,
  loadExperiment,
  PATH_KEYS,
  type PlannedDataset,
  type PlannedModel,
  type ResolveOptions,
  TOOLKIT_CONFIGS,
} from "./experiment.ts";
export {
  checkSettings,
  resolveSettings,
  settingsFor,
  type SettingsLayer,
} from "./trial_settings.ts";
export { loadPlugins, pluginPaths } from "./plugins.ts";
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
