/**
 * MTPR — Du, Wang, He, Li, Tang and Chua, "How to Learn Item Representation for Cold-Start
 * Multimedia Recommendation?" (multi-task pairwise ranking with counterfactual item
 * representations), ACM MM 2020.
 *
 * Followed: the official code (duxy-me/MTPR, mtpr.py; ported by ColdRec model/MTPR.py;
 * research notes §3.6). A user is p_u ∈ R^{2d} mapped by W_u; an item's normal representation
 * is [q_i ⊕ W·x_i] mapped by W_i, its counterfactual (cold) one is [0 ⊕ W·x_i] mapped by W_i.
 * The loss sums four BPR terms, each Σ softplus(s⁻ − s⁺) over the batch: normal vs normal,
 * counterfactual vs counterfactual, normal positive vs counterfactual negative and
 * counterfactual positive vs normal negative; plus the code's L2 terms
 *   reg_emb·(‖p_u‖² + ‖q_i‖² + ‖q_j‖²) + reg_ctx·(‖W‖² + ‖W_u‖²) + reg_proj·‖W_i‖².
 * A cold item is scored by its counterfactual representation only: (W·x_i)·W_i[d:2d], so its
 * ID row q_i is never read.
 *
 * Readings and departures (one per line):
 * - Title: the brief's "Learning to Recommend Cold-Start Items ... counterfactual ... multi-task
 *   pairwise ranking" is this paper (MM 2020, the MTPR of duxy-me/MTPR); the M2VAE paper lists it
 *   only as "MTPR" among the general generative baselines.
 * - Optimiser: the original trains the ID tables P, Q with Adagrad (lr 0.01; ColdRec 0.05) and
 *   W, W_u, W_i with Adam (lr 0.01). The engine has one Adam: P and Q get its lazy row-sparse
 *   Adam at lr × embeddingLrScale (1e-2 with the base settings, the original's Adagrad lr), and
 *   the dense maps get the engine lr. Adagrad's ever-shrinking step is not reproduced.
 * - Loss scale: the original sums over the batch; we divide the whole objective (BPR sums and
 *   L2 terms alike) by the batch size, which keeps the original balance of every term and only
 *   rescales the gradient (Adam is invariant to that) so the logged loss is per pair.
 * - Content x_i: CLCRec's construction, the mean-pooled learned attribute embedding ⊕ every
 *   standardised dense modality, as one vector (the original: one 64-d PCA'd image feature).
 *   The attribute table is part of the content map, so it shares reg_ctx with W.
 * - One sampled warm negative per positive (the sampler's negatives exclude the user's items;
 *   the original also excludes cold items, which never appear in the sampler).
 * - Dimension d = 64 (ColdRec's emb_size; the original uses 32 on Amazon); every weight
 *   starts N(0, 0.01²) as in mtpr.py (ColdRec uses Xavier).
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "./model.ts";
import {
  contentInput,
  contentInputDim,
  type ContentTensor,
  contentTensors,
  type Optimizer,
  ParamSet,
  rowDot,
  uniqueIndex,
} from "../nn/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";
import type { Scorer } from "../eval/scorer.ts";

/** MTPR hyperparameters (defaults: duxy-me/MTPR main.py, dimension as noted). */
export interface MtprConfig extends Record<string, unknown> {
  /** Latent size d (users are 2d before W_u). */
  dim: number;
  /** Attribute token embedding size (our content view). */
  attrDim: number;
  /** L2 weight of the ID rows a step touches (p_emb reg, 0). */
  regEmb: number;
  /** L2 weight of the content map W (and our attribute table) and of W_u (p_ctx reg, 0.01). */
  regCtx: number;
  /** L2 weight of the item projection W_i (p_proj reg, 0.01). */
  regProj: number;
  /** Standard deviation of the normal initialisation of every weight (mtpr.py: 0.01). */
  initStd: number;
}

const DEFAULTS: MtprConfig = {
  dim: 64,
  attrDim: 64,
  regEmb: 0,
  regCtx: 0.01,
  regProj: 0.01,
  initStd: 0.01,
};

/** Σ softplus(neg − pos): the summed BPR loss −Σ log σ(pos − neg). */
function bpr(pos: tf.Tensor, neg: tf.Tensor): tf.Scalar {
  return tf.sum(tf.softplus(tf.sub(neg, pos)));
}

function sumSquares(x: tf.Tensor): tf.Scalar {
  return tf.sum(tf.square(x));
}

class Mtpr implements ColdStartModel {
  readonly name = "mtpr";
  readonly params = new ParamSet();
  readonly needs = { negUsers: false, cp: 0, cn: 1 };
  #cfg: MtprConfig;
  #ctx: ModelContext;
  #content: ContentTensor[];
  #users;
  #items;
  #attr;
  #w: tf.Tensor2D;
  #wu: tf.Tensor2D;
  #wi: tf.Tensor2D;

  constructor(cfg: MtprConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#content = contentTensors(ds, split.trainItems);
    const p = this.params, d = cfg.dim, init = { normal: cfg.initStd };
    this.#users = p.embedding("user", split.numUsers, 2 * d, init, rng);
    this.#items = p.embedding("item", split.numItems, d, init, rng);
    this.#attr = p.dense("attribute", [ds.attributes.vocab.length + 1, cfg.attrDim], init, rng);
    const inDim = contentInputDim(cfg.attrDim, this.#content);
    this.#w = p.dense("content.w", [inDim, d], init, rng) as unknown as tf.Tensor2D;
    this.#wu = p.dense("user.proj", [2 * d, d], init, rng) as unknown as tf.Tensor2D;
    this.#wi = p.dense("item.proj", [2 * d, d], init, rng) as unknown as tf.Tensor2D;
  }

  /** The ID half and the content half of W_i. */
  #wiHalves(): [tf.Tensor2D, tf.Tensor2D] {
    const d = this.#cfg.dim;
    return [tf.slice(this.#wi, [0, 0], [d, d]), tf.slice(this.#wi, [d, 0], [d, d])];
  }

  /** W·x for `items`: [items.length, d]. */
  #contentMap(items: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const x = contentInput(this.#ctx.dataset.attributes, this.#attr, this.#content, items);
      return tf.matMul(x, this.#w);
    });
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { regEmb, regCtx, regProj } = this.#cfg;
    const b = batch.users.length;
    const both = new Int32Array(2 * b);
    both.set(batch.items);
    both.set(batch.negItems, b);
    const uniq = uniqueIndex(both, this.#ctx.split.numItems);
    const counts = new Float32Array(uniq.unique.length);
    for (const k of uniq.index) counts[k] += 1;
    return opt.step(
      [{ table: this.#users, ids: batch.users }, { table: this.#items, ids: uniq.unique }],
      ([p, q]) => {
        // Per distinct item: counterfactual c = (W x) W_i[d:], normal f = q W_i[:d] + c.
        const [wiId, wiCtx] = this.#wiHalves();
        const c = tf.matMul(this.#contentMap(uniq.unique), wiCtx) as tf.Tensor2D;
        const f = tf.add(tf.matMul(q, wiId), c) as tf.Tensor2D;
        const u = tf.matMul(p, this.#wu) as tf.Tensor2D;
        const at = (x: tf.Tensor2D, lo: number) =>
          tf.gather(x, tf.tensor1d(uniq.index.subarray(lo, lo + b), "int32")) as tf.Tensor2D;
        const fPos = rowDot(u, at(f, 0)), fNeg = rowDot(u, at(f, b));
        const zPos = rowDot(u, at(c, 0)), zNeg = rowDot(u, at(c, b));
        const normal = bpr(fPos, fNeg), counterfactual = bpr(zPos, zNeg);
        const mixed = tf.add(bpr(fPos, zNeg), bpr(zPos, fNeg));
        // ‖q_i‖² + ‖q_j‖² over batch positions = count-weighted sum over the distinct rows.
        const qSq = tf.sum(tf.mul(rowDot(q, q), tf.tensor2d(counts, [counts.length, 1])));
        const reg = tf.addN([
          tf.mul(regEmb, tf.add(sumSquares(p), qSq)),
          tf.mul(
            regCtx,
            tf.addN([sumSquares(this.#w), sumSquares(this.#wu), sumSquares(this.#attr)]),
          ),
          tf.mul(regProj, sumSquares(this.#wi)),
        ]);
        const perPair = (x: tf.Tensor) => tf.div(x, b) as tf.Scalar;
        return {
          loss: perPair(tf.addN([normal, counterfactual, mixed, reg])),
          terms: {
            normal: perPair(normal),
            counterfactual: perPair(counterfactual),
            mixed: perPair(mixed),
            reg: perPair(reg),
          },
        };
      },
    );
  }

  scorer(): Scorer {
    return dotScorer(
      (users) => tf.matMul(this.#users.rowsTensor(users), this.#wu),
      (items) => tf.matMul(this.#contentMap(items), this.#wiHalves()[1]),
    );
  }

  dispose(): void {
    this.params.dispose();
    for (const c of this.#content) c.values.dispose();
  }
}

/** Registry entry of MTPR. */
export const mtprSpec: ModelSpec<MtprConfig> = {
  name: "mtpr",
  label: "MTPR",
  family: "general generative",
  reference: "Du et al., MM 2020; four-BPR counterfactual loss as duxy-me/MTPR mtpr.py",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Mtpr(cfg, ctx),
};
