/**
 * Configuration: typed defaults, checked YAML layers and experiment files.
 *
 * @module
 */
export { checkConfig, ConfigError, didYouMean } from "./check.ts";
export { type ExperimentPlan, loadExperiment, type ResolveOptions } from "./experiment.ts";
export { RUN_DEFAULTS, type RunSettings } from "./train_defaults.ts";
export { parseYamlText, readYamlFile } from "./yaml_file.ts";
