/**
 * The contract between the training engine and a cold-start model: {@linkcode ColdStartModel},
 * what it is built from and its registry entry. The types live with the engine that drives a
 * model (`lib/train/model.ts`); models import them from here.
 *
 * @module
 */
export type {
  ColdStartModel,
  ModelContext,
  ModelFamily,
  ModelInfo,
  ModelSpec,
  SamplerNeeds,
  TrainBatch,
} from "../train/model.ts";
export { MODEL_FAMILIES } from "../train/model.ts";
