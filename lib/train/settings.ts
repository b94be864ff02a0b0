/**
 * The engine, split and evaluation settings of a trial, their one set of built-in defaults, and
 * the part the training engine reads. `configs/base.yaml` lists the same defaults, commented,
 * for experiments to copy (a test keeps it equal to {@linkcode RUN_DEFAULTS}); `lib/config`
 * layers base, dataset, model and experiment files over them in one place (`resolveSettings`).
 * They sit with the training engine, the lowest layer that reads them; the store keeps them with
 * each trial.
 *
 * @module
 */
import type { Protocol } from "../eval/protocol.ts";
import type { BackendName } from "../tf/runtime.ts";

/** Engine, split and evaluation settings of an experiment. */
export interface RunSettings extends Record<string, unknown> {
  /** `item2user` (the paper's Table 3 protocol) or `user2item` (CLCRec/ColdRec). */
  protocol: Protocol;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Adam weight decay: an L2 term in the gradient (PyTorch `Adam`) unless decoupled. */
  weightDecay: number;
  /** Decouple the weight decay from the gradient (AdamW) instead of adding it to it. */
  decoupledWeightDecay: boolean;
  /**
   * Learning-rate multiplier for row-sparse (lazy Adam) embedding tables. Default 10: dense
   * Adam (what the PyTorch originals run) keeps moving a row on momentum for ~1/(1−β₁) = 10
   * steps after each touch, lazy Adam only on the touching step; with 1, user rows of sparse
   * sets barely leave their initialisation (CLCRec on amazon-s3rec stayed at chance: valid
   * NDCG@10 0.0026 after one epoch, against 0.0379 with 10).
   */
  embeddingLrScale: number;
  /**
   * Embedding-table updates: `lazy` (default; only the looked-up rows, PyTorch `SparseAdam`) or
   * `dense` (every row of a used table moves on momentum each step, as PyTorch's `Adam` over an
   * `nn.Embedding` — what ColdRec and most baselines' original code run; pair it with
   * `embeddingLrScale: 1`).
   */
  tableUpdate: "lazy" | "dense";
  /** Validate every N steps; 0 = once per epoch. */
  evalEvery: number;
  /** Validation metric that selects the checkpoint. */
  selectMetric: string;
  /**
   * user2item only: the items each user ranks. `all-cold` (default): every cold item, validation
   * and test together, as ColdRec and the CLCRec anchors do; `part`: only the evaluated part's
   * cold items (fewer candidates, higher numbers: one lastfm checkpoint reads Recall@20 0.519 with
   * `part` and 0.33 with `all-cold`). item2user ignores it (each cold item ranks all users).
   */
  candidates: "all-cold" | "part";
  /** Validations without improvement before stopping; 0 = never. */
  patience: number;
  /** Stop after this many optimisation steps in all; 0 = no cap (the epochs decide). */
  maxSteps: number;
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
  backend: BackendName;
  /**
   * When stderr is a log rather than a terminal: at least N steps between two progress lines
   * (lines are also at least 5 s apart; the last step always gets one).
   */
  logEvery: number;
}

/** Settings that do not change results (scoring block sizes, logging): out of a trial's key. */
export const COSMETIC_SETTINGS = ["userChunk", "itemChunk", "logEvery"];

/**
 * Settings added after stores already held trials, with the value that reproduces the behaviour
 * from before: at that value they stay out of a trial's key, so adding them kept every stored key.
 */
export const NEUTRAL_SETTINGS: Readonly<Record<string, unknown>> = {
  tableUpdate: "lazy",
  decoupledWeightDecay: false,
  maxSteps: 0,
};

/** Built-in defaults (CCFCRec-lineage settings where the paper is silent). */
export const RUN_DEFAULTS: RunSettings = {
  protocol: "item2user",
  epochs: 20,
  batchSize: 1024,
  lr: 1e-3,
  weightDecay: 0,
  decoupledWeightDecay: false,
  embeddingLrScale: 10,
  tableUpdate: "lazy",
  evalEvery: 0,
  selectMetric: "NDCG@10",
  candidates: "all-cold",
  patience: 5,
  maxSteps: 0,
  splitTrain: 0.7,
  splitValid: 0.15,
  splitTest: 0.15,
  splitSeed: 0,
  userChunk: 4096,
  itemChunk: 256,
  backend: "wasm",
  logEvery: 1,
};

/** The settings the training engine must be given. */
export type TrainSettingKey =
  | "epochs"
  | "batchSize"
  | "lr"
  | "weightDecay"
  | "evalEvery"
  | "selectMetric"
  | "protocol"
  | "patience";

/**
 * The settings the training engine reads, by name and type from {@linkcode RunSettings}: a
 * trial passes its settings as they are; a caller of the library may leave out the optional
 * ones (`embeddingLrScale` 1, `tableUpdate` lazy, no step cap, the evaluators' block sizes,
 * `part` candidates).
 */
export type TrainSettings =
  & Pick<RunSettings, TrainSettingKey>
  & Partial<
    Pick<
      RunSettings,
      | "decoupledWeightDecay"
      | "embeddingLrScale"
      | "tableUpdate"
      | "maxSteps"
      | "candidates"
      | "userChunk"
      | "itemChunk"
      | "logEvery"
    >
  >;
