/**
 * CVAE — Li & She, "Collaborative Variational Autoencoder for Recommender Systems", KDD 2017.
 *
 * Followed: the paper's generative model and the official code (eelxpeng/CollaborativeVAE,
 * lib/cvae.py and test_cvae.py, read for this port; the research notes §3.13 had not read it):
 * - inference network x → σ(xW1+b1) → σ(·W2+b2) → (μ, logσ²) ∈ R^K, dims [200, 100], K = 50;
 * - generation network z → σ(zG2+c2) → σ(·W2ᵀ+b1) → x̂ = ·W1ᵀ + b_x (the code ties the last two
 *   layers to the inference weights), trained with the ELBO (reconstruction + KL(q ‖ N(0, I)));
 * - the item's collaborative vector v_j = z_j + ε_j, with ε_j ~ N(0, λ_v⁻¹ I), i.e. the penalty
 *   λ_v‖v_j − z_j‖²; user prior λ_u/2·‖u_i‖²; weight decay 2e-4 on the tied weights;
 * - cold items: v_j = E[z_j] = μ(x_j), score = u_i·μ(x_j).
 *
 * Readings taken:
 * - Trained end to end on the engine's (user, pos, neg) batches instead of the original's
 *   alternation of closed-form weighted-MF updates and VAE epochs. The warm item's CF vector is
 *   v = μ(x) + δ: the content latent's mean plus a learned ID offset δ (zero-initialised, as the
 *   code starts from V = θ = μ(x)). δ exists for warm items only and the scorer never reads it.
 *   The coupling λ_v‖v − z‖² is taken in expectation over z ~ q: λ_v(‖δ‖² + Σσ²). With v a free
 *   vector this is exactly the original objective (v = μ + δ is a change of variables), and the
 *   ranking term sees no sampling noise, as in the code where V never contains the sample z.
 * - Ranking term: BPR, mean softplus(u·v⁻ − u·v⁺), not the weighted Gaussian likelihood
 *   (a = 1, b = 0.01): that likelihood sums b·(u·v)² over every unobserved pair, which sampled
 *   batches cannot express without an arbitrary rescaling of the negatives.
 * - Content: the original's x is one normalised bag of words. Here the first layer is
 *   meanPool(A, tags) + Σ_m x_m W1_m, i.e. the original's x W1 on [normalised multi-hot
 *   attributes ⊕ standardised dense modalities] (A is the attribute block of W1). The tied
 *   output reconstructs the multi-hot attributes with a Bernoulli likelihood (sigmoid cross-
 *   entropy summed over the vocabulary, as the code's 'cross-entropy' loss) and each dense
 *   modality with a unit-variance Gaussian (½·squared error summed over dimensions).
 * - Scale: the original minimises a sum over the whole matrix, Σ_ij CF_ij + λ_u/2 Σ_i ‖u_i‖²
 *   + λ_r Σ_j VAE_j, where VAE_j = recon + KL + λ_v/λ_r·‖v_j − z_j‖² + 2e-4·L2 (the code's VAE
 *   loss). Each batch estimates that sum divided by #training interactions: BPR is a mean over
 *   rows, the user prior a mean over the batch's distinct users times #users/#interactions, and
 *   the VAE term a mean over its distinct items times #warm items/#interactions (1 / the mean
 *   item degree). Without this the ELBO, counted in every batch, swamps the ranking term.
 * - Pretraining (`pretrainSteps`, 0 by default): the code loads a VAE pretrained on the content
 *   before its joint phase (test_vae.py: layer-wise denoising, then the whole VAE). Here the first
 *   `pretrainSteps` optimiser steps train the content VAE's ELBO alone (reconstruction, KL and
 *   weight decay, no ranking, prior or offset term) on the batch's warm items — the whole-VAE
 *   stage, without the layer-wise denoising stages and without the cold items' content, which
 *   the code's pretraining also reads (transductive here, so left out).
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "./model.ts";
import {
  attributeBag,
  bprFromScores,
  type ContentTensor,
  contentTensors,
  gatherContent,
  meanPool,
  type Optimizer,
  ParamSet,
  reparameterise,
  rngNoise,
  rowDot,
  rowSum,
  standardKl,
  uniqueIndex,
} from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";
import type { Scorer } from "../eval/scorer.ts";

/** CVAE hyperparameters (defaults: eelxpeng/CollaborativeVAE test_cvae.py on citeulike-a). */
export interface CvaeConfig extends Record<string, unknown> {
  /** Latent size K (num_factors = n_z = 50). */
  dim: number;
  /** First hidden layer (200). */
  hidden1: number;
  /** Second hidden layer (100). */
  hidden2: number;
  /** User prior precision λ_u (0.1). */
  lambdaU: number;
  /** Item offset precision λ_v (10): penalty λ_v/λ_r·‖v − z‖² as in the code's v_loss. */
  lambdaV: number;
  /** Weight λ_r of the content ELBO (1). */
  lambdaR: number;
  /** L2 weight on the inference weights, counted for their tied generation use too (2e-4). */
  weightDecay: number;
  /** Optimiser steps that train the content VAE's ELBO alone before the joint objective (0). */
  pretrainSteps: number;
}

const DEFAULTS: CvaeConfig = {
  dim: 50,
  hidden1: 200,
  hidden2: 100,
  lambdaU: 0.1,
  lambdaV: 10,
  lambdaR: 1,
  weightDecay: 2e-4,
  pretrainSteps: 0,
};

class Cvae implements ColdStartModel {
  readonly name = "cvae";
  readonly params = new ParamSet();
  readonly needs = { negUsers: false, cp: 0, cn: 1 };
  #content: ContentTensor[];
  #ctx: ModelContext;
  #cfg: CvaeConfig;
  #noise: Rng;
  #vocab: number;
  #users;
  #offset;
  #w;

  constructor(cfg: CvaeConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#noise = rng.fork("reparameterisation");
    this.#content = contentTensors(ds, split.trainItems);
    this.#vocab = ds.attributes.vocab.length;
    const p = this.params, { dim, hidden1: h1, hidden2: h2 } = cfg;
    this.#users = p.embedding("user", split.numUsers, dim, { normal: 0.1 }, rng);
    this.#offset = p.embedding("item.offset", split.numItems, dim, "zeros", rng);
    this.#w = {
      attr: p.dense("inference.w1.attribute", [this.#vocab + 1, h1], "glorot", rng),
      dense: this.#content.map((c) =>
        p.dense(`inference.w1.${c.name}`, [c.dim, h1], "glorot", rng)
      ),
      b1: p.dense("inference.b1", [h1], "zeros", rng),
      w2: p.dense("inference.w2", [h1, h2], "glorot", rng),
      b2: p.dense("inference.b2", [h2], "zeros", rng),
      wMu: p.dense("inference.wMu", [h2, dim], "glorot", rng),
      bMu: p.dense("inference.bMu", [dim], "zeros", rng),
      wLv: p.dense("inference.wLogVar", [h2, dim], "glorot", rng),
      bLv: p.dense("inference.bLogVar", [dim], "zeros", rng),
      g2: p.dense("generation.w2", [dim, h2], "glorot", rng),
      c2: p.dense("generation.b2", [h2], "zeros", rng),
      bAttr: p.dense("generation.bAttribute", [this.#vocab], "zeros", rng),
      bDense: this.#content.map((c) => p.dense(`generation.b.${c.name}`, [c.dim], "zeros", rng)),
    };
  }

  /** Inference network: (μ, logσ²) of q(z | x) for `items`, plus their dense content. */
  infer(items: Int32Array): { mu: tf.Tensor2D; logVar: tf.Tensor2D; x: tf.Tensor2D[] } {
    const w = this.#w, bag = attributeBag(this.#ctx.dataset.attributes, items);
    return tf.tidy(() => {
      const x = gatherContent(this.#content, items);
      let a = tf.add(meanPool(w.attr as tf.Tensor2D, bag), w.b1);
      x.forEach((xm, m) => a = tf.add(a, tf.matMul(xm, w.dense[m] as tf.Tensor2D)));
      const h = tf.sigmoid(tf.add(tf.matMul(tf.sigmoid(a), w.w2 as tf.Tensor2D), w.b2));
      const mu = tf.add(tf.matMul(h, w.wMu as tf.Tensor2D), w.bMu) as tf.Tensor2D;
      const logVar = tf.add(tf.matMul(h, w.wLv as tf.Tensor2D), w.bLv) as tf.Tensor2D;
      return { mu, logVar, x: x as tf.Tensor2D[] };
    });
  }

  /** −log p(x | z) summed over features, averaged over rows (tied generation network). */
  #reconstruction(z: tf.Tensor2D, items: Int32Array, x: tf.Tensor2D[]): tf.Scalar {
    const w = this.#w, n = items.length, attrs = this.#ctx.dataset.attributes;
    const target = new Float32Array(n * this.#vocab);
    for (let r = 0; r < n; r++) {
      const lo = attrs.offsets[items[r]], hi = attrs.offsets[items[r] + 1];
      for (let j = lo; j < hi; j++) target[r * this.#vocab + attrs.tokens[j]] = 1;
    }
    const g = tf.sigmoid(tf.add(tf.matMul(z, w.g2 as tf.Tensor2D), w.c2)) as tf.Tensor2D;
    const h1 = tf.sigmoid(tf.add(tf.matMul(g, w.w2 as tf.Tensor2D, false, true), w.b1));
    const aBlock = tf.slice(w.attr, [0, 0], [this.#vocab, -1]) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(h1, aBlock, false, true), w.bAttr) as tf.Tensor2D;
    const bce = tf.sub(tf.softplus(logits), tf.mul(logits, tf.tensor2d(target, [n, this.#vocab])));
    const parts = [tf.mean(rowSum(bce as tf.Tensor2D))];
    x.forEach((xm, m) => {
      const out = tf.add(tf.matMul(h1, w.dense[m] as tf.Tensor2D, false, true), w.bDense[m]);
      parts.push(tf.mul(0.5, tf.mean(rowSum(tf.squaredDifference(xm, out) as tf.Tensor2D))));
    });
    return tf.addN(parts) as tf.Scalar;
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    if (opt.stepCount < this.#cfg.pretrainSteps) return this.#pretrainStep(batch, opt);
    const { lambdaU, lambdaV, lambdaR } = this.#cfg;
    const { split } = this.#ctx, b = batch.users.length;
    const both = new Int32Array(2 * b);
    both.set(batch.items);
    both.set(batch.negItems, b);
    const uniq = uniqueIndex(both, split.numItems), us = uniqueIndex(batch.users, split.numUsers);
    const noise = rngNoise(this.#noise);
    // Per-user and per-item terms count once per epoch, as in the original's sums: their batch
    // means are weighted by (#users or #warm items) / #training interactions.
    const perPair = 1 / split.train.users.length;
    const userScale = split.trainUsers.length * perPair;
    const itemScale = split.trainItems.length * perPair;
    return opt.step(
      [{ table: this.#users, ids: us.unique }, { table: this.#offset, ids: uniq.unique }],
      ([uDistinct, delta]) => {
        const q = this.infer(uniq.unique);
        const z = reparameterise(q, noise);
        const v = tf.add(q.mu, delta) as tf.Tensor2D;
        const u = tf.gather(uDistinct, tf.tensor1d(us.index, "int32")) as tf.Tensor2D;
        const pos = tf.gather(v, tf.tensor1d(uniq.index.subarray(0, b), "int32")) as tf.Tensor2D;
        const neg = tf.gather(v, tf.tensor1d(uniq.index.subarray(b), "int32")) as tf.Tensor2D;
        const bpr = bprFromScores(rowDot(u, pos), rowDot(u, neg));
        const userPrior = tf.mul(lambdaU / 2, tf.mean(rowDot(uDistinct, uDistinct))) as tf.Scalar;
        // E_q‖v − z‖² = ‖δ‖² + Σ σ², the expectation of the code's v_loss over the sample z.
        const gap = tf.add(rowDot(delta, delta), rowSum(tf.exp(q.logVar) as tf.Tensor2D));
        const offset = tf.mul(lambdaV / lambdaR, tf.mean(gap)) as tf.Scalar;
        const recon = this.#reconstruction(z as tf.Tensor2D, uniq.unique, q.x);
        const kl = standardKl(q);
        const decay = this.#decay();
        // The code's VAE-step loss, weighted by λ_r in the joint objective.
        const vae = tf.mul(lambdaR, tf.addN([recon, kl, offset, decay]));
        const loss = tf.addN([bpr, tf.mul(userScale, userPrior), tf.mul(itemScale, vae)]);
        return { loss: loss as tf.Scalar, terms: { bpr, recon, kl, offset, userPrior } };
      },
    );
  }

  /** The weight decay on the tied inference weights (the code's 2e-4 · reg_loss). */
  #decay(): tf.Scalar {
    const w = this.#w;
    const tied = [w.attr, ...w.dense, w.w2].map((t) => tf.sum(tf.square(t)));
    return tf.mul(this.#cfg.weightDecay, tf.addN(tied)) as tf.Scalar;
  }

  /** One step of the content VAE's ELBO alone on the batch's distinct warm items. */
  #pretrainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const items = uniqueIndex(batch.items, this.#ctx.split.numItems).unique;
    const noise = rngNoise(this.#noise);
    return opt.step([], () => {
      const q = this.infer(items);
      const recon = this.#reconstruction(reparameterise(q, noise) as tf.Tensor2D, items, q.x);
      const kl = standardKl(q);
      const loss = tf.addN([recon, kl, this.#decay()]) as tf.Scalar;
      return { loss, terms: { recon, kl } };
    });
  }

  scorer(): Scorer {
    return dotScorer((ids) => this.#users.rowsTensor(ids), (ids) => this.infer(ids).mu);
  }

  dispose(): void {
    this.params.dispose();
    for (const c of this.#content) c.values.dispose();
  }
}

/** Registry entry of CVAE. */
export const cvaeSpec: ModelSpec<CvaeConfig> = {
  name: "cvae",
  label: "CVAE",
  family: "VAE-based",
  reference: "Li & She, KDD 2017; eelxpeng/CollaborativeVAE lib/cvae.py, trained end to end (BPR)",
  defaults: DEFAULTS,
  neutralConfig: { pretrainSteps: 0 },
  create: (cfg, ctx) => new Cvae(cfg, ctx),
};
