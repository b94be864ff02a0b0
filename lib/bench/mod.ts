/**
 * Benchmarks whose figures `deno task bench` prints, one module per concept: the wasm runtime's
 * kernels (`runtime.ts`), a model's training throughput and epoch time (`training.ts`), the
 * per-model figures against the PyTorch reference (`model_training.ts`, numbers in
 * `reference.ts`), a real dataset loaded and split as its trials use it (`real_set.ts`), one
 * validation's time on it (`validation.ts`), the process's peak memory (`memory.ts`), a table
 * run through the real command line with its projection to more seeds (`table_run.ts`), and
 * what a second worker process is worth (`jobs_ratio.ts`).
 *
 * @example Usage
 * ```ts
 * import { modelTrainingFigures, projectSeeds, runTableBench } from "./mod.ts";
 * const figures = modelTrainingFigures(ds, resolveModel("clcrec"), { steps: 10 });
 * const run = await runTableBench({ cli, table: "experiments/table3.yaml", jobs: 2 });
 * projectSeeds(run, 5); // seconds of the same table with 5 seeds
 * ```
 *
 * @module
 */
export { type BenchFigure, medianMs, runtimeBenchmarks } from "./runtime.ts";
export { scaleDataset, type ScaleOptions } from "./scale_dataset.ts";
export {
  measureTraining,
  type TrainingMeasurement,
  type TrainingOptions,
  trainingThroughput,
} from "./training.ts";
export {
  COLDREC_DEFAULTS,
  epochSeconds,
  PYTORCH_REFERENCE,
  PYTORCH_REFERENCE_SOURCE,
  type PytorchReference,
  pytorchReference,
  REFERENCE_EPOCH_INTERACTIONS,
  referenceRatio,
  referenceShape,
  TARGET_RATIO,
} from "./reference.ts";
export {
  modelTrainingFigures,
  type ModelTrainingOptions,
  trainingFiguresOf,
  widthOverride,
} from "./model_training.ts";
export { loadRealSet, type RealSet, type RealSetEntry } from "./real_set.ts";
export { validationFigure, type ValidationTiming, validationTiming } from "./validation.ts";
export { peakRssGiB } from "./memory.ts";
export { timeCommand, type TimedCommand } from "./cli_run.ts";
export {
  checkTableFile,
  formatSeconds,
  parseJobs,
  projectionNote,
  projectSeeds,
  type RowTime,
  rowTimes,
  runTableBench,
  type SeedProjection,
  seedProjection,
  type TableBenchOptions,
  type TableBenchResult,
  tableRunArgs,
  tableRunFigures,
  tableRunPlan,
} from "./table_run.ts";
export {
  jobsRatioCeiling,
  jobsRatioFigures,
  type JobsRatioOptions,
  type JobsRatioResult,
  runJobsRatio,
  sweepExperiment,
  SweepFailed,
  type SweepOptions,
  trialsPerHour,
} from "./jobs_ratio.ts";
