/**
 * Running experiments: the experiment pipeline ({@linkcode runExperiment}: plan, check,
 * register, run, report), trial planning (with content-hash keys), single-trial execution, the
 * scheduler (in process or N worker processes over the result store) and atomic file writes.
 *
 * @module
 */
export { codeVersion } from "./code_version.ts";
export {
  type CheckedExperiment,
  checkExperiment,
  DEFAULT_LAYOUTS,
  DEFAULT_STORE,
  type ExperimentOutcome,
  runExperiment,
  type RunExperimentOptions,
} from "./experiment.ts";
export { describePlan } from "./describe_plan.ts";
export { jobsOption, toolkitCommand } from "./worker_processes.ts";
export { UsageError } from "./errors.ts";
export { checkWritableDir, checkWritableFile } from "./paths.ts";
export { canonicalJson, checkTrialModel, planTrials, trialKey, type TrialSpec } from "./plan.ts";
export { datasetFingerprint, type ExecuteContext, executeTrial, trialDataset } from "./execute.ts";
export {
  runsInProcess,
  runTrials,
  type ScheduleOptions,
  workerCount,
  workLoop,
} from "./scheduler.ts";
export { splitFor } from "./split_for.ts";
export { loadedLine, loadWithProgress } from "./load_progress.ts";
export { TOOLKIT_VERSION } from "./version.ts";
export { writeAtomic, writeResultFiles } from "./write_results.ts";
export {
  advanceTuning,
  planTuning,
  tuneEntries,
  type TuneRow,
  tuneRungs,
  tuneStart,
} from "./tune.ts";
export {
  renderTuneProgress,
  type RowProgress,
  type RungProgress,
  tuneProgress,
} from "./tune_progress.ts";
export { type TrialContinuation } from "./execute.ts";
export {
  type Checkpoint,
  CHECKPOINT_FORMAT,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";
export { restoreTrialModel } from "./restore.ts";
export { Heartbeat } from "./heartbeat.ts";
export {
  SLURM_KEYS,
  type SlurmOptions,
  type SlurmResources,
  slurmResources,
  slurmScript,
  slurmSettings,
  submitSlurm,
  writeSlurmScript,
} from "./slurm.ts";
export { type WorkLoopOptions } from "./scheduler.ts";
