/**
 * Running experiments and writing their results.
 *
 * @module
 */
export { codeVersion } from "./code_version.ts";
export { runExperiment, type RunHooks, splitFor, type TrialRecord } from "./run_experiment.ts";
export { writeAtomic, writeResultFiles } from "./write_results.ts";
