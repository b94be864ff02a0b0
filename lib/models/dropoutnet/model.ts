/**
 * DropoutNet — Volkovs, Yu and Poutanen, "DropoutNet: Addressing Cold Start in Recommender
 * Systems", NeurIPS 2017.
 *
 * Followed: the DeepCF net of the official code (layer6ai-labs/DropoutNet, tf2/model.py and
 * tf1/main_cold_citeu.py) as ported by ColdRec (YuanchenBei/ColdRec, model/DropoutNet.py;
 * research notes §3.4). Two towers: the user tower maps the pretrained preference u_pref, the
 * item tower maps [v_pref ⊕ content]; each is FC → BatchNorm → tanh per hidden layer
 * (200 → 100, ColdRec's "2-layer MLP") then a linear layer to `dim`. The score is the dot of
 * the towers' outputs and the loss is MSE to the pretrained score u·v (the paper's objective).
 * Input dropout: a fraction `dropout` of the training pairs get v_pref = 0. A cold item is
 * scored from [0 ⊕ content] — never from any ID row.
 *
 * Readings and departures (one per line):
 * - Pretrained preferences are our BPR-MF warm embeddings (`warmEmbeddings`, 64-d as M2VAE's
 *   "64-dimensional preference representation"), not the original's WRMF (rank 200).
 * - Inputs u_pref, v_pref are standardised column-wise on the warm (non-zero) rows and clipped
 *   at ±5 as the original's `prep_standardize`; the target is the raw (unscaled) u·v, as there.
 * - Training pairs: each (user, positive) row plus `negatives` sampled warm items, all with
 *   the target u·v (ColdRec's reading). The original instead regresses each user's top-2500
 *   items by u·v plus 2500 random items; we keep the engine's interaction-level batches.
 * - Dropout zeroes v_pref only, as ColdRec (item cold start). The original scripts also zero
 *   u_pref for as many rows (the paper's joint user/item cold start); with no user content
 *   here a zeroed user would have no input at all.
 * - Content is CLCRec's construction: the mean-pooled learned attribute embedding ⊕ every
 *   standardised dense modality, as one vector concatenated to v_pref.
 * - BatchNorm uses batch statistics in training (weighted over the batch's pair rows, since
 *   per-item work runs once per distinct (item, dropped) input) and running averages
 *   (momentum 0.01, ε 1e-3 as the ColdRec port) when scoring. The running averages live in the
 *   ParamSet as non-trainable variables, so the kept checkpoint includes them.
 * - Optimiser: the engine's Adam (as ColdRec) rather than the original momentum SGD with decay.
 *
 * @module
 */
import { type ColdStartModel, type ModelContext, type ModelSpec } from "../model.ts";
import { warmEmbeddings } from "../common/warm_embeddings.ts";
import {
  type BatchNormStats,
  commitBatchNorm,
  contentInputDim,
  contentParts,
  type ContentTensor,
  contentTensors,
  type Optimizer,
  ParamSet,
  rowDot,
  standardise,
  uniqueIndex,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import type { TrainBatch } from "../../train/sampler.ts";
import { tf } from "../../tf/mod.ts";
import { dotScorer } from "../common/read_scores.ts";
import type { Scorer } from "../../eval/scorer.ts";
import { Tower } from "./tower.ts";

/** DropoutNet hyperparameters. */
export interface DropoutnetConfig extends Record<string, unknown> {
  /** Output rank of both towers (ColdRec: the embedding size, 64). */
  dim: number;
  /** Units of the first and second tanh layer (ColdRec: 200, 100). */
  hidden1: number;
  hidden2: number;
  /** Attribute token embedding size (our content view). */
  attrDim: number;
  /** Fraction of training pairs whose item preference input is zeroed (0.5). */
  dropout: number;
  /** Negative warm items per positive pair (ColdRec: 1). */
  negatives: number;
  /** Pretrained BPR-MF embedding size and epochs (see `warmEmbeddings`). */
  warmDim: number;
  warmEpochs: number;
}

const DEFAULTS: DropoutnetConfig = {
  dim: 64,
  hidden1: 200,
  hidden2: 100,
  attrDim: 64,
  dropout: 0.5,
  negatives: 1,
  warmDim: 64,
  warmEpochs: 30,
};

const CLIP = 5;

/** Standardises rows of `x` with the statistics of `rowsFit`, clipped at ±5 (prep_standardize). */
function prepStandardise(x: Float32Array, dim: number, rowsFit: Int32Array): Float32Array {
  const out = standardise({ name: "pref", dim, data: x }, x.length / dim, rowsFit);
  for (let k = 0; k < out.length; k++) out[k] = Math.max(-CLIP, Math.min(CLIP, out[k]));
  return out;
}

class Dropoutnet implements ColdStartModel {
  readonly name = "dropoutnet";
  readonly params = new ParamSet();
  readonly needs;
  #cfg: DropoutnetConfig;
  #ctx: ModelContext;
  #dropRng: Rng;
  #content: ContentTensor[];
  #raw: { users: Float32Array; items: Float32Array; dim: number };
  /** Standardised preferences; `#itemPref` has one extra all-zero row (index numItems). */
  #userPref: tf.Tensor2D;
  #itemPref: tf.Tensor2D;
  #attr;
  #user: Tower;
  #item: Tower;

  constructor(cfg: DropoutnetConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#dropRng = rng.fork("dropout");
    this.needs = { negUsers: false, cp: 0, cn: cfg.negatives };
    const w = warmEmbeddings(
      split,
      ctx.seed ?? 0,
      { dim: cfg.warmDim, epochs: cfg.warmEpochs },
      ctx.cacheDir,
    );
    this.#raw = w;
    const d = w.dim;
    this.#userPref = tf.tensor2d(prepStandardise(w.users, d, split.trainUsers), [
      split.numUsers,
      d,
    ]);
    const items = new Float32Array((split.numItems + 1) * d);
    items.set(prepStandardise(w.items, d, split.trainItems));
    this.#itemPref = tf.tensor2d(items, [split.numItems + 1, d]);
    this.#content = contentTensors(ds, split.trainItems);
    const p = this.params;
    this.#attr = p.dense("attribute", [ds.attributes.vocab.length + 1, cfg.attrDim], {
      normal: 0.1,
    }, rng);
    const inItem = d + contentInputDim(cfg.attrDim, this.#content);
    this.#user = new Tower(p, "user", [d, cfg.hidden1, cfg.hidden2], cfg.dim, rng);
    this.#item = new Tower(p, "item", [inItem, cfg.hidden1, cfg.hidden2], cfg.dim, rng);
  }

  /**
   * Item-tower input [v_pref (row `prefRows`, numItems = zero) ⊕ attributes ⊕ modalities], in
   * its parts (the tower's first layer multiplies them part by part).
   */
  #itemInput(items: Int32Array, prefRows: Int32Array): tf.Tensor2D[] {
    return [
      tf.gather(this.#itemPref, tf.tensor1d(prefRows, "int32")),
      ...contentParts(this.#ctx.dataset.attributes, this.#attr, this.#content, items),
    ];
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { users, items: pos, negItems, cn } = batch;
    const b = users.length, width = 1 + cn, n = b * width, numItems = this.#ctx.split.numItems;
    // Pair k = (users[row], item): column 0 is the positive, then the negatives.
    const rowOf = new Int32Array(n), keys = new Int32Array(n), target = new Float32Array(n);
    const dropped = new Uint8Array(n);
    const order = this.#dropRng.shuffle(Int32Array.from({ length: n }, (_, k) => k));
    for (let k = 0; k < Math.floor(this.#cfg.dropout * n); k++) dropped[order[k]] = 1;
    const { users: U, items: V, dim: d } = this.#raw;
    for (let k = 0; k < n; k++) {
      const r = Math.floor(k / width), c = k % width;
      const item = c === 0 ? pos[r] : negItems[r * cn + c - 1];
      rowOf[k] = r;
      keys[k] = item * 2 + dropped[k];
      let s = 0;
      for (let j = 0; j < d; j++) s += U[users[r] * d + j] * V[item * d + j];
      target[k] = s;
    }
    // The item tower runs once per distinct (item, dropped) input; BN weighs each by its count.
    const uniq = uniqueIndex(keys, 2 * numItems);
    const uItems = uniq.unique.map((key) => key >> 1);
    const prefRows = uniq.unique.map((key) => (key & 1 ? numItems : key >> 1));
    const weights = new Float32Array(uniq.unique.length);
    for (const k of uniq.index) weights[k] += 1 / n;
    const stats: BatchNormStats[] = [];
    try {
      const out = opt.step([], () => {
        const uOut = this.#user.apply(
          tf.gather(this.#userPref, tf.tensor1d(users, "int32")),
          tf.fill([b, 1], 1 / b) as tf.Tensor2D,
          stats,
        );
        const vOut = this.#item.apply(
          this.#itemInput(uItems, prefRows),
          tf.tensor2d(weights, [weights.length, 1]),
          stats,
        );
        const pred = rowDot(
          tf.gather(uOut, tf.tensor1d(rowOf, "int32")),
          tf.gather(vOut, tf.tensor1d(uniq.index, "int32")),
        );
        const mse = tf.mean(tf.square(tf.sub(pred, tf.tensor2d(target, [n, 1])))) as tf.Scalar;
        return { loss: mse, terms: { mse } };
      });
      commitBatchNorm(stats);
      return out;
    } finally {
      tf.dispose(stats.flatMap((s) => [s.mean, s.variance]));
    }
  }

  scorer(): Scorer {
    return dotScorer(
      (users) => this.#user.apply(tf.gather(this.#userPref, tf.tensor1d(users, "int32"))),
      (items) => {
        const zero = new Int32Array(items.length).fill(this.#ctx.split.numItems);
        return this.#item.apply(this.#itemInput(items, zero));
      },
    );
  }

  dispose(): void {
    this.params.dispose();
    tf.dispose([this.#userPref, this.#itemPref, ...this.#content.map((c) => c.values)]);
  }
}

/** Registry entry of DropoutNet. */
export const dropoutnetSpec: ModelSpec<DropoutnetConfig> = {
  name: "dropoutnet",
  label: "DropoutNet",
  family: "general generative",
  reference:
    "Volkovs et al., NeurIPS 2017; DeepCF towers + pref dropout as layer6ai-labs/DropoutNet, ColdRec port",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Dropoutnet(cfg, ctx),
};
