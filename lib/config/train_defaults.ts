/**
 * Defaults of the engine settings that every experiment shares; `configs/base.yaml` may
 * override them and experiments may override that.
 *
 * @module
 */

/** Engine, split and evaluation settings of an experiment. */
export interface RunSettings extends Record<string, unknown> {
  /** `item2user` (the paper's Table 3 protocol) or `user2item` (CLCRec/ColdRec). */
  protocol: string;
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Validate every N steps; 0 = once per epoch. */
  evalEvery: number;
  /** Validation metric that selects the checkpoint. */
  selectMetric: string;
  /** Validations without improvement before stopping; 0 = never. */
  patience: number;
  /** Item split ratios warm/valid/test (ignored when a dataset ships a split). */
  splitTrain: number;
  splitValid: number;
  splitTest: number;
  /** Seed of the item split; fixed across model seeds so seeds vary only the model. */
  splitSeed: number;
  /** Scoring block sizes of the evaluators (memory bound; metrics do not depend on them). */
  userChunk: number;
  itemChunk: number;
  /** `wasm` (default) or `cpu`. */
  backend: string;
}

/** Built-in defaults (CCFCRec-lineage settings where the paper is silent). */
export const RUN_DEFAULTS: RunSettings = {
  protocol: "item2user",
  epochs: 20,
  batchSize: 1024,
  lr: 1e-3,
  weightDecay: 0,
  evalEvery: 0,
  selectMetric: "NDCG@10",
  patience: 5,
  splitTrain: 0.7,
  splitValid: 0.15,
  splitTest: 0.15,
  splitSeed: 0,
  userChunk: 4096,
  itemChunk: 256,
  backend: "wasm",
};
