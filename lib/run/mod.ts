/**
 * Running experiments: trial planning (with content-hash keys), single-trial execution, the
 * scheduler (in process or N worker processes over the result store) and atomic file writes.
 *
 * @module
 */
export { codeVersion } from "./code_version.ts";
export { canonicalJson, checkTrialModel, planTrials, trialKey, type TrialSpec } from "./plan.ts";
export { datasetFingerprint, type ExecuteContext, executeTrial, trialDataset } from "./execute.ts";
export { runsInProcess, runTrials, type ScheduleOptions, workLoop } from "./scheduler.ts";
export { splitFor } from "./split_for.ts";
export { TOOLKIT_VERSION } from "./version.ts";
export { writeAtomic, writeResultFiles } from "./write_results.ts";
export {
  advanceTuning,
  planTuning,
  type TuneDecision,
  tuneDecision,
  tuneEntries,
  type TuneRow,
  tuneRungs,
  tuneStart,
} from "./tune.ts";
export { type TrialContinuation } from "./execute.ts";
export {
  type Checkpoint,
  CHECKPOINT_FORMAT,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";
export { restoreTrialModel } from "./restore.ts";
