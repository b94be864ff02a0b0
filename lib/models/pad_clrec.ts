/**
 * PAD-CLRec — Wenbo Wang, Bingquan Liu, Lili Shan, Chengjie Sun, Ben Chen, Jian Guan,
 * "Preference Aware Dual Contrastive Learning for Item Cold-Start Recommendation", AAAI 2024
 * (doi 10.1609/aaai.v38i8.28763).
 *
 * No public code exists (research notes §3.13). Sources read: the AAAI abstract (an AAAI-2024
 * paper-list file found with `find_string`), the liner.com review page "preference-aware-dual-
 * contrastive-learning-for-item-coldstart-recommendation" (caption of Figure 2 and the method
 * bullets) and the openreview abstract of the TKDE extension (PARec, "hierarchical item
 * alignment"). What they state, and what is followed:
 * - feature encoding gives three features: the user's collaborative feature u, the item's
 *   collaborative feature e_i (both free ID embeddings here) and the item's content feature
 *   f(x_i) (a content encoder);
 * - item-level alignment: a contrastive loss between f(x_i) and e_i of the same warm item;
 * - group-level alignment: the user preference p_u "is obtained by aggregating a group of
 *   collaborative feature of the warm items in the user's purchase records", and a "preference
 *   aware contrastive" loss aligns p_u with the content feature of "a randomly selected warm
 *   item", so that training imitates a cold item (its collaborative feature is not used);
 * - a joint objective trades off warm and cold recommendation from both levels.
 * Cold inference: score(u, v) = ⟨u, f(x_v)⟩, content only.
 *
 * Readings taken (the equations are not available to us):
 * - Base model: the item-level part and the recommendation term are CLCRec's (Wei et al.
 *   2021, `clcrec.ts`), the item-level alignment method PAD-CLRec extends, with its encoder
 *   f(x) = W2·LeakyReLU(W1·x + b1) + b2 over x = mean-pooled attribute embedding ⊕ every
 *   standardised modality, and its loss, so
 *   L = (1−λ)·L_ui + λ·L_item + β·L_group + reg·(‖u‖ + ‖e‖)/2, the norms' means over
 *   L_ui's rows and positions, the encoder's LeakyReLU slope 0.01 and ⌊N·numSample⌋
 *   content positions drawn with replacement, all as CLCRec's reference codes (clcrec.ts).
 *   L_ui: InfoNCE of ⟨u, v⟩/τ over the positive and `negatives` sampled items, where each
 *   item input v is f(x) with probability `numSample` and e otherwise (CLCRec's warm/cold
 *   trade-off in the recommendation term). L_item: InfoNCE of cos(e_i, f(x_·))/τ.
 * - Group: the "group" is `groupSize` items drawn (with replacement) from the row's user's
 *   training items other than the anchor item i (the sampler's co-occurring items), and the
 *   aggregation is their mean collaborative feature p_u = mean_j e_j. The "randomly selected
 *   warm item" is the row's anchor item (a uniformly drawn training interaction of u), whose
 *   own e_i is left out of p_u, as a cold item's would be. A user with a single training item
 *   has only that item in the group (then L_group degenerates to item-level alignment).
 * - L_group: InfoNCE of cos(p_u, f(x_·))/τ with f(x_i) as the positive and the row's sampled
 *   negative items' content as negatives — the co-occurrence InfoNCE of CCFCRec and M2VAE
 *   (`lib/nn/losses.ts` `coOccurrenceLoss`, with one positive; computed by its shared-logit
 *   form `coOccurrenceLosses`), as is L_item.
 * - One temperature τ for all three terms (the same contrastive function at both levels).
 * - Every term is a batch mean.
 *
 * @module
 */
import { type ColdStartModel, type ModelContext, type ModelSpec } from "./model.ts";
import type { Scorer } from "../eval/scorer.ts";
import {
  ContentEncoder,
  coOccurrenceLosses,
  type Optimizer,
  ParamSet,
  rowNorm,
  uniqueIndex,
} from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";
import { contentMask, userItemNce } from "./clcrec.ts";

/** PAD-CLRec hyperparameters (CLCRec's MovieLens settings for the shared parts; rest ours). */
export interface PadClrecConfig extends Record<string, unknown> {
  /** Embedding size (CLCRec's dim_E 64). */
  dim: number;
  /** Content encoder hidden units (CLCRec's 256). */
  hidden: number;
  /** Attribute token embedding size (ours). */
  attrDim: number;
  /** Temperature of the three contrastive terms (CLCRec's MovieLens 2.0). */
  tau: number;
  /** λ: item-level alignment against the user–item term (CLCRec's 0.5). */
  lambda: number;
  /** β: weight of the group-level (preference-aware) alignment (ours). */
  beta: number;
  /** Fraction of item inputs replaced by their content feature in L_ui (CLCRec's 0.5). */
  numSample: number;
  /** Negative items per row (CLCRec's num_neg 128). */
  negatives: number;
  /** Items aggregated into the user preference p_u (ours). */
  groupSize: number;
  /** Weight of the embedding-norm regulariser (CLCRec's MovieLens 0.1). */
  regWeight: number;
  /** The encoder's LeakyReLU slope (CLCRec's: 0.01, PyTorch's default, in both its codes). */
  slope: number;
  /** How L_ui's content-replaced positions are drawn (CLCRec's `mixing`; see clcrec.ts). */
  mixing: string;
}

const DEFAULTS: PadClrecConfig = {
  dim: 64,
  hidden: 256,
  attrDim: 64,
  tau: 2.0,
  lambda: 0.5,
  beta: 0.5,
  numSample: 0.5,
  negatives: 128,
  groupSize: 10,
  regWeight: 0.1,
  slope: 0.01,
  mixing: "randint",
};

class PadClrec implements ColdStartModel {
  readonly name = "pad-clrec";
  readonly params = new ParamSet();
  readonly needs;
  #cfg: PadClrecConfig;
  #ctx: ModelContext;
  #rng: Rng;
  #encoder: ContentEncoder;
  #users;
  #items;

  constructor(cfg: PadClrecConfig, ctx: ModelContext) {
    if (!(cfg.groupSize >= 1 && cfg.negatives >= 1)) {
      throw new RangeError("pad-clrec: groupSize and negatives must be ≥ 1");
    }
    const { dataset: ds, split, rng } = ctx, p = this.params, d = cfg.dim;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#rng = rng.fork("numSample");
    this.needs = { negUsers: false, cp: cfg.groupSize, cn: cfg.negatives };
    this.#users = p.embedding("user", split.numUsers, d, { normal: 0.1 }, rng);
    this.#items = p.embedding("item", split.numItems, d, { normal: 0.1 }, rng);
    const dims = { attrDim: cfg.attrDim, hidden: cfg.hidden, out: d };
    this.#encoder = new ContentEncoder(ds, split.trainItems, p, dims, rng, { slope: cfg.slope });
  }

  /** The content feature f(x) of `items`: `[items.length, dim]`. */
  encode(items: Int32Array): tf.Tensor2D {
    return this.#encoder.encode(items);
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { tau, lambda, beta, numSample, regWeight } = this.#cfg;
    const b = batch.users.length, { cp, cn } = batch, width = 1 + cn, n = this.#ctx.split.numItems;
    // Items whose content is encoded: anchors then negatives (one distinct set).
    const fIds = new Int32Array(b * width);
    fIds.set(batch.items);
    fIds.set(batch.negItems, b);
    const f = uniqueIndex(fIds, n), group = uniqueIndex(batch.posItems, n);
    const anchor = f.index.subarray(0, b), neg = f.index.subarray(b);
    // L_ui positions, row-major [b, 1 + cn]: the anchor, then the row's negatives.
    const at = new Int32Array(b * width);
    for (let r = 0; r < b; r++) {
      at[r * width] = anchor[r];
      at.set(neg.subarray(r * cn, (r + 1) * cn), r * width + 1);
    }
    const mask = contentMask(b * width, numSample, this.#rng, this.#cfg.mixing);
    // The regulariser's mean norm over L_ui's positions = a count-weighted mean over the
    // distinct items (CLCRec's: every position, not only the anchors).
    const counts = new Float32Array(f.unique.length);
    for (const k of at) counts[k] += 1 / at.length;
    return opt.step(
      [
        { table: this.#users, ids: batch.users },
        { table: this.#items, ids: f.unique },
        { table: this.#items, ids: group.unique },
      ],
      ([u, e, eGroup]) => {
        const fx = this.encode(f.unique);
        const eAnchor = tf.gather(e, tf.tensor1d(anchor, "int32")) as tf.Tensor2D;
        // p_u: the mean collaborative feature of the row's group.
        const g = tf.gather(eGroup, tf.tensor1d(group.index, "int32"));
        const pu = tf.mean(tf.reshape(g, [b, cp, -1]), 1) as tf.Tensor2D;
        const terms = {
          userItem: userItemNce(u, fx, e, at, mask, tau, width),
          itemLevel: coOccurrenceLosses(eAnchor, fx, [{ idx: anchor, k: 1 }], neg, cn, tau)[0],
          groupLevel: coOccurrenceLosses(pu, fx, [{ idx: anchor, k: 1 }], neg, cn, tau)[0],
          reg: tf.div(
            tf.add(
              tf.mean(rowNorm(u)),
              tf.sum(tf.mul(rowNorm(e), tf.tensor2d(counts, [counts.length, 1]))),
            ),
            2,
          ) as tf.Scalar,
        };
        const loss = tf.addN([
          tf.mul(1 - lambda, terms.userItem),
          tf.mul(lambda, terms.itemLevel),
          tf.mul(beta, terms.groupLevel),
          tf.mul(regWeight, terms.reg),
        ]) as tf.Scalar;
        return { loss, terms };
      },
    );
  }

  scorer(): Scorer {
    return dotScorer((ids) => this.#users.rowsTensor(ids), (ids) => this.encode(ids));
  }

  dispose(): void {
    this.params.dispose();
    this.#encoder.dispose();
  }
}

/** Registry entry of PAD-CLRec. */
export const padClrecSpec: ModelSpec<PadClrecConfig> = {
  name: "pad-clrec",
  label: "PAD-CLRec",
  family: "contrastive",
  reference: "Wang et al., AAAI 2024 (no public code); CLCRec base + preference-aware group loss",
  rebuiltFrom: "its paper's description, on our CLCRec",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new PadClrec(cfg, ctx),
};
