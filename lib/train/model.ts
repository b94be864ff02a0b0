/**
 * The contract between the training engine and a cold-start model, at the layer of the engine
 * that drives it (models import it from here, or through `lib/models/model.ts`).
 *
 * A model owns its parameters (a ParamSet: dense variables plus row-sparse embedding tables),
 * takes one optimisation step on a sampled batch, and hands the evaluators a Scorer that never
 * uses a learned ID embedding for a cold item. A registered model is a {@linkcode ModelSpec}:
 * its {@linkcode ModelInfo} (what experiments read without building it) and a builder.
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import type { Scorer } from "../eval/scorer.ts";
import type { Optimizer, ParamSet } from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import type { SamplerNeeds, TrainBatch } from "./sampler.ts";

export type { SamplerNeeds, TrainBatch };

/** What a model is built from. */
export interface ModelContext {
  dataset: Dataset;
  split: ColdSplit;
  /** The model's own seeded stream (initialisation, dropout, reparameterisation noise). */
  rng: Rng;
  /** The trial's seed (keys per-seed caches such as pretrained warm embeddings; default 0). */
  seed?: number;
  /** Folder for caches shared between trials (e.g. `.cache`); none = in-memory only. */
  cacheDir?: string;
}

/** A trainable (or fixed) cold-start recommender. */
export interface ColdStartModel {
  /** Registered model name. */
  readonly name: string;
  /** All parameters; the engine snapshots and restores them to keep the best checkpoint. */
  readonly params: ParamSet;
  /** What the batch sampler must provide; `null` for a model that does not train. */
  readonly needs: SamplerNeeds | null;
  /** One optimisation step; returns the total loss and each logged term. */
  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number>;
  /** Scores (user, cold item) blocks from the current parameters. */
  scorer(): Scorer;
  /**
   * Optional: named measurements of the model's internals (posterior health, gates, loss terms
   * against their chance level…) on the given cold items and a sample of training users, from
   * the current parameters and without sampling noise. The engine records them at every
   * validation beside the metrics, so a mechanism that does not act shows in the store.
   */
  diagnostics?(items: Int32Array, users: Int32Array): Record<string, number>;
  /**
   * Optional: scorers of other inference modes of the same parameters (e.g. M2VAE's
   * user-agnostic `shared` scoring). At every validation the engine records
   * `gap.<name>` = main − alternative on the selection metric.
   */
  alternativeScorers?(): Record<string, Scorer>;
  /** Releases every tensor the model holds. */
  dispose(): void;
}

/**
 * Paper families, in the order of the paper's Table 3, plus the reference rows that are not
 * models: sanity floors (Random, Popularity) and planted-data ceilings (the planted oracle).
 */
export const MODEL_FAMILIES = [
  "sanity",
  "oracle",
  "contrastive",
  "general generative",
  "GAN-based",
  "VAE-based",
  "ours",
] as const;

/** One of {@linkcode MODEL_FAMILIES}. */
export type ModelFamily = typeof MODEL_FAMILIES[number];

/** What experiments and reports know of a registered model without building it. */
export interface ModelInfo<C extends Record<string, unknown> = Record<string, unknown>> {
  /** Registry name, e.g. `clcrec`. */
  name: string;
  /** Label used in result tables, e.g. `CLCRec`. */
  label: string;
  family: ModelFamily;
  /** Paper and what was followed, one line. */
  reference: string;
  /**
   * Set when no public implementation exists to follow: what the model was rebuilt from (e.g.
   * "its paper's description"). Result tables name such rows, since nothing but the text
   * checks them.
   */
  rebuiltFrom?: string;
  /** Default hyperparameters. */
  defaults: C;
  /** Named variants (ablations) selectable through the config key `variant`, if any. */
  variants?: readonly string[];
  /**
   * The config keys a variant fixes (its patch overrides them at build time): a search or tuning
   * axis on them would change nothing, so the tuning protocol leaves them out for that row.
   */
  pinnedBy?: (variant: string) => readonly string[];
  /**
   * Config keys added after stores already held this model's trials, each with the value that
   * reproduces the behaviour from before: a trial whose config holds that value hashes as if the
   * key were absent, so adding the key kept every stored trial key (`trialKey` in
   * `lib/run/trial.ts`).
   */
  neutralConfig?: Readonly<Record<string, unknown>>;
}

/** A registered model: its defaults, a validator for its config and a builder. */
export interface ModelSpec<C extends Record<string, unknown> = Record<string, unknown>>
  extends ModelInfo<C> {
  /**
   * Checks a config beyond its keys and types (ranges, combinations, the variant's patch) without
   * building anything; throws a one-line RangeError naming the key. Runs on every planned trial
   * before the first one starts, so `cn: 0` fails then and not when its trial is reached. The
   * built-in models' rules are their schemas (`lib/models/config_schema.ts`, checked first); a
   * model from a plugin puts its own rules here.
   */
  check?(cfg: C): void;
  /** Builds the model. `cfg` has been checked against `defaults` (keys and types). */
  create(cfg: C, ctx: ModelContext): ColdStartModel;
}
