/**
 * CCFCRec — Zhou, Zhang, Yang, "Contrastive Collaborative Filtering for Cold-Start Item
 * Recommendation", WWW 2023 (the official repository's README says WWW2023; some citations say
 * SIGIR 2023).
 *
 * Original: zzhin/CCFCRec, `ML-20M/model.py` (model and training loop) and `Amazon VG/model.py`
 * (attribute attention); research notes §1.1, §3.2 and §4. Followed:
 * - content CF encoder q_v = W2·LeakyReLU(W1·[z_v ⊕ p_v] + b1) + b2, where z_v is an attention
 *   pooling of the item's attribute embeddings and p_v = x·P a bias-free image projection
 *   (`model.py` forward);
 * - free user and item ID embeddings u, e_v (no pretraining: `pretrain` defaults to False);
 * - loss λ·(L_coCL + L_selfCL) + (1−λ)·(BPR_u(e_v) + BPR_u(q_v)) (`model.py` train):
 *   L_coCL is an InfoNCE of cos(q_v, e_p)/τ for `cp` items p co-occurring with the row's user
 *   against `cn` negative items, L_selfCL the same with the item's own e_v as the positive,
 *   and both BPR terms compare the row's user with one negative user (who never had the item);
 * - cold inference: score(u, v) = ⟨u, q_v⟩, from content only.
 * Both contrastive terms are the shared sampled cosine InfoNCE (`lib/nn/losses.ts`
 * `coOccurrenceLoss`, cp = 1 for L_selfCL; both from one set of logits, `coOccurrenceLosses`),
 * and both BPR terms its `bprUsers`.
 *
 * Readings taken:
 * - Inputs: per-view encoders. The attribute view is CCFCRec's attention over the item's own
 *   attribute embeddings, score s_a = LeakyReLU(A_a·W1 + b1)·W2 and a softmax over the item's
 *   attributes (the masked softmax of `Amazon VG/model.py`; the ML-20M file takes its softmax
 *   over the batch dimension, `Softmax(dim=0)`, which we read as a bug). An item without
 *   attributes attends to a learned "none" row. Each dense modality m gets its own bias-free
 *   projection x_m·P_m (the original has one 4096-d image feature), and W1 takes
 *   [z_v ⊕ p_1 ⊕ … ⊕ p_M].
 * - Negatives: the original draws 40 negatives per co-occurring positive and a separate list of
 *   40 "self" negatives per row; here one set of `cn` negative items per row (items the user
 *   never had, hence never the anchor item) serves every positive of both terms.
 * - Reduction: the original sums every term over the batch (L_coCL averages over the
 *   positives of a row first); here every term is a batch mean, which keeps the relative
 *   weights (all terms were sums) and only rescales the loss, to which Adam is insensitive.
 * - Initialisation: xavier-normal ID tables in the original have std ≈ 0.004 for 138k users;
 *   here N(0, initStd²) rows (default 0.1, as the toolkit's other ID tables).
 * - The original hard-codes Adam weight decay 0.1 and lr 5e-6 (ML-20M): both are engine
 *   settings here (`settings.weightDecay`, `settings.lr`), not model config.
 * - LeakyReLU slope 0.01 (PyTorch's default, the original's `nn.LeakyReLU()`).
 *
 * @module
 */
import { type ColdStartModel, type ModelContext, type ModelSpec } from "./model.ts";
import type { Scorer } from "../eval/scorer.ts";
import {
  attentionPool,
  type AttributeAttention,
  attributeBag,
  bprUsers,
  type ContentTensor,
  contentTensors,
  coOccurrenceLosses,
  gatherContent,
  LEAKY_SLOPE,
  type Optimizer,
  ParamSet,
  uniqueIndex,
} from "../nn/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";

/** CCFCRec hyperparameters (defaults: the official ML-20M settings). */
export interface CcfcrecConfig extends Record<string, unknown> {
  /** Size of u, e_v, z_v, each p_m and q_v (128 on ML-20M). */
  dim: number;
  /** Temperature τ of both contrastive terms (0.1). */
  tau: number;
  /** λ weighting the contrastive terms against the BPR terms (0.5 ML-20M, 0.6 VG). */
  lambda: number;
  /** Co-occurring items per row, c_p (10 ML-20M, 5 VG). */
  cp: number;
  /** Negative items per row, c_n (40). */
  cn: number;
  /** Std of the normal initialisation of the ID tables (ours). */
  initStd: number;
}

const DEFAULTS: CcfcrecConfig = { dim: 128, tau: 0.1, lambda: 0.5, cp: 10, cn: 40, initStd: 0.1 };

class Ccfcrec implements ColdStartModel {
  readonly name = "ccfcrec";
  readonly params = new ParamSet();
  readonly needs;
  #cfg: CcfcrecConfig;
  #ctx: ModelContext;
  #content: ContentTensor[];
  #users;
  #items;
  #att: AttributeAttention;
  #proj: tf.Variable[];
  #g1w;
  #g1b;
  #g2w;
  #g2b;

  constructor(cfg: CcfcrecConfig, ctx: ModelContext) {
    if (!(cfg.cp >= 1 && cfg.cn >= 1)) throw new RangeError("ccfcrec: cp and cn must be ≥ 1");
    const { dataset: ds, split, rng } = ctx, p = this.params, d = cfg.dim;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.needs = { negUsers: true, cp: cfg.cp, cn: cfg.cn };
    this.#content = contentTensors(ds, split.trainItems);
    const std = { normal: cfg.initStd };
    this.#users = p.embedding("user", split.numUsers, d, std, rng);
    this.#items = p.embedding("item", split.numItems, d, std, rng);
    this.#att = {
      table: p.dense("attribute", [ds.attributes.vocab.length + 1, d], "glorot", rng),
      w1: p.dense("attention.w1", [d, d], "glorot", rng),
      b1: p.dense("attention.b1", [d], "zeros", rng),
      w2: p.dense("attention.w2", [d, 1], "glorot", rng),
    };
    this.#proj = this.#content.map((c) =>
      p.dense(`projection.${c.name}`, [c.dim, d], "glorot", rng)
    );
    this.#g1w = p.dense("gen1.w", [d * (1 + this.#content.length), d], "glorot", rng);
    this.#g1b = p.dense("gen1.b", [d], "zeros", rng);
    this.#g2w = p.dense("gen2.w", [d, d], "glorot", rng);
    this.#g2b = p.dense("gen2.b", [d], "zeros", rng);
  }

  /** q_v for `items` (content only): `[items.length, dim]`. */
  encode(items: Int32Array): tf.Tensor2D {
    const bag = attributeBag(this.#ctx.dataset.attributes, items);
    return tf.tidy(() => {
      // Table rows and scores once per distinct token, then gathered to the positions.
      const z = attentionPool(this.#att, bag, true);
      const views = gatherContent(this.#content, items).map((x, m) =>
        tf.matMul(x, this.#proj[m] as tf.Tensor as tf.Tensor2D)
      );
      const h = tf.leakyRelu(
        tf.add(tf.matMul(tf.concat([z, ...views], 1), this.#g1w), this.#g1b),
        LEAKY_SLOPE,
      );
      return tf.add(tf.matMul(h, this.#g2w), this.#g2b) as tf.Tensor2D;
    });
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { tau, lambda } = this.#cfg, b = batch.users.length, { cp, cn } = batch;
    const ids = new Int32Array(b * (1 + cp + cn));
    ids.set(batch.items);
    ids.set(batch.posItems, b);
    ids.set(batch.negItems, b * (1 + cp));
    const cand = uniqueIndex(ids, this.#ctx.split.numItems);
    const self = cand.index.subarray(0, b), pos = cand.index.subarray(b, b * (1 + cp));
    const neg = cand.index.subarray(b * (1 + cp));
    const anchors = uniqueIndex(batch.items, this.#ctx.split.numItems);
    return opt.step(
      [
        { table: this.#users, ids: batch.users },
        { table: this.#users, ids: batch.negUsers },
        { table: this.#items, ids: cand.unique },
      ],
      ([u, uNeg, e]) => {
        // q_v once per distinct anchor item, then gathered to the batch rows.
        const q = tf.gather(this.encode(anchors.unique), tf.tensor1d(anchors.index, "int32"));
        const eSelf = tf.gather(e, tf.tensor1d(self, "int32")) as tf.Tensor2D;
        // Both contrastive terms share q, the candidates and the negatives: one set of logits.
        const [co, selfTerm] = coOccurrenceLosses(
          q as tf.Tensor2D,
          e,
          [{ idx: pos, k: cp }, { idx: self, k: 1 }],
          neg,
          cn,
          tau,
        );
        const terms = {
          co,
          self: selfTerm,
          bprId: bprUsers(eSelf, u, uNeg),
          bprContent: bprUsers(q as tf.Tensor2D, u, uNeg),
        };
        const loss = tf.add(
          tf.mul(lambda, tf.add(terms.co, terms.self)),
          tf.mul(1 - lambda, tf.add(terms.bprId, terms.bprContent)),
        ) as tf.Scalar;
        return { loss, terms };
      },
    );
  }

  scorer(): Scorer {
    return dotScorer((ids) => this.#users.rowsTensor(ids), (ids) => this.encode(ids));
  }

  dispose(): void {
    this.params.dispose();
    for (const c of this.#content) c.values.dispose();
  }
}

/** Registry entry of CCFCRec. */
export const ccfcrecSpec: ModelSpec<CcfcrecConfig> = {
  name: "ccfcrec",
  label: "CCFCRec",
  family: "contrastive",
  reference: "Zhou, Zhang, Yang, WWW 2023; model and loss as in zzhin/CCFCRec ML-20M/model.py",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Ccfcrec(cfg, ctx),
};
