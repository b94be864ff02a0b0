/**
 * The training engine: samplers, the train/validate/test loop and the progress bar.
 *
 * @module
 */
export * from "./interaction_index.ts";
export {
  type ColdStartModel,
  MODEL_FAMILIES,
  type ModelContext,
  type ModelFamily,
  type ModelInfo,
  type ModelSpec,
} from "./model.ts";
export {
  formatDuration,
  LOG_SECONDS,
  type Progress,
  progressBar,
  type ProgressOptions,
  type ProgressSink,
  stderrSink,
  stepEta,
  WARMUP_STEPS,
  writeStderr,
} from "./progress.ts";
export {
  epochBatches,
  sampleBatch,
  type SamplerNeeds,
  splitBatches,
  type TrainBatch,
} from "./sampler.ts";
export {
  type CurvePoint,
  evalOptionsOf,
  trainAndEvaluate,
  type TrainOptions,
  type TrainReport,
  type TrainState,
} from "./trainer.ts";
export {
  decodeTrainState,
  encodeTrainState,
  readTrainState,
  writeTrainState,
} from "./train_state.ts";
export { type StepOptions, trainSteps } from "./steps.ts";
