/**
 * LARA — Sun, Liu, Wu, Wang, Zhang, Wang, Zhang, Qiao, "LARA: Attribute-to-feature Adversarial
 * Learning for New-item Recommendation", WSDM 2020.
 *
 * Followed: the paper's GAN (research notes §3.7; original TF code changfengsun/LARA, whose
 * public copy holds only a README, so the loss was read from the ColdRec port
 * YuanchenBei/ColdRec model/LARA.py "following changfengsun/LARA" and a PyTorch re-run of the
 * original hyperparameters). A generator G maps an item's content to a *virtual user*
 * through three tanh layers; a discriminator D scores (item content, user) pairs:
 *   L_D = BCE(D(x_i, u⁺), 1) + BCE(D(x_i, G(x_i)), 0) + BCE(D(x_i, u⁻), 0),
 *   L_G = BCE(D(x_i, G(x_i)), 1),
 * with u⁺ a user of the warm item i and u⁻ a training user who never interacted with i. Users
 * are frozen pretrained BPR-MF embeddings (`warmEmbeddings`). A cold item is recommended to the
 * users most similar to its generated user: score(u, i) = ⟨u, G(x_i)⟩.
 *
 * Readings and departures, one each:
 * - Content: the original gives each of 18 binary attributes its own 5-d embedding and
 *   concatenates them; with variable attribute sets we mean-pool a learned attribute table
 *   (one for G, one for D, as the original has separate tables) and concatenate every
 *   standardised modality, as CLCRec does here.
 * - G's input is content only (paper, original). The ColdRec port also feeds the item's
 *   pretrained embedding, which a cold item does not have (its row is 0): not followed.
 * - Users: the original's user vectors are attribute profiles; we use the pretrained BPR-MF
 *   users (as the ColdRec port does) so the generated user lives in the warm user space.
 * - Scale: those users are multiplied by one scalar that makes their RMS over training users 1,
 *   the scale of the standardised content beside them in D's input (the original's profiles
 *   and attribute features share one scale). At BPR-MF's own scale (RMS ≈ 0.36 on Last.fm) D
 *   barely saw the user and 5 epochs stayed near Random (our check: test NDCG@5 .084, vs .118
 *   rescaled). One scalar keeps the geometry of the user space; G's tanh range (±1) still
 *   covers about 2/3 of the rescaled coordinates, as it covered the original's [0, 1]
 *   profiles entirely.
 * - D's output: one logit (the paper's probability); the original code emits user-dim logits
 *   whose BCEs are averaged.
 * - Schedule: the original alternates a full epoch of D with a full epoch of G and the ColdRec
 *   port sums both losses into one step; we take one D step then one G step per batch.
 * - Reported `loss` = L_D + L_G (the ColdRec port's logged batch loss). Its adversarial parts
 *   form a min-max game, so the falling-loss check watches `dMatch` = BCE(real) + BCE(counter),
 *   D's supervised matching task that involves no generated user, at lr 1e-3 (the engine's;
 *   at the check's default 1e-2, D overshoots to the 1:2 label prior within the 30 steps).
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "./model.ts";
import { warmEmbeddings } from "./common/warm_embeddings.ts";
import {
  bceOne,
  bceZero,
  contentInput,
  contentInputDim,
  type ContentTensor,
  contentTensors,
  type Optimizer,
  ParamSet,
  uniqueIndex,
} from "../nn/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";
import type { Scorer } from "../eval/scorer.ts";

/** LARA hyperparameters. */
export interface LaraConfig extends Record<string, unknown> {
  /** Size of the pretrained BPR-MF embeddings (the generated user's size). */
  warmDim: number;
  /** BPR-MF pretraining epochs. */
  warmEpochs: number;
  /** Attribute token embedding size of G's and D's content views. */
  attrDim: number;
  /** Hidden units of G's and D's layers (100 in the original). */
  hidden: number;
}

const DEFAULTS: LaraConfig = { warmDim: 64, warmEpochs: 30, attrDim: 64, hidden: 100 };

type V = tf.Variable;

/** `users` times the one scalar that makes their RMS over `rows` 1 (a copy; all-zero stays). */
function unitRms(users: Float32Array, rows: Int32Array, dim: number): Float32Array {
  let sq = 0;
  for (const r of rows) for (let k = 0; k < dim; k++) sq += users[r * dim + k] ** 2;
  const rms = Math.sqrt(sq / Math.max(1, rows.length * dim));
  return users.map((v) => (rms > 0 ? v / rms : v));
}

class Lara implements ColdStartModel {
  readonly name = "lara";
  readonly params = new ParamSet();
  readonly needs = { negUsers: true, cp: 0, cn: 0 };
  #ctx: ModelContext;
  #content: ContentTensor[];
  #users: tf.Tensor2D;
  #g: Record<string, V>;
  #d: Record<string, V>;

  constructor(cfg: LaraConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#ctx = ctx;
    const warm = warmEmbeddings(
      split,
      ctx.seed ?? 0,
      { dim: cfg.warmDim, epochs: cfg.warmEpochs },
      ctx.cacheDir,
    );
    this.#users = tf.tensor2d(unitRms(warm.users, split.trainUsers, cfg.warmDim), [
      split.numUsers,
      cfg.warmDim,
    ]);
    this.#content = contentTensors(ds, split.trainItems);
    const p = this.params, h = cfg.hidden, d = cfg.warmDim;
    const cDim = contentInputDim(cfg.attrDim, this.#content);
    const vocab = ds.attributes.vocab.length + 1;
    const layer = (name: string, shape: number[]) => p.dense(name, shape, "glorot", rng);
    const bias = (name: string, n: number) => p.dense(name, [n], "zeros", rng);
    this.#g = {
      attr: p.dense("g.attr", [vocab, cfg.attrDim], { normal: 0.1 }, rng),
      w1: layer("g.w1", [cDim, h]),
      b1: bias("g.b1", h),
      w2: layer("g.w2", [h, h]),
      b2: bias("g.b2", h),
      w3: layer("g.w3", [h, d]),
      b3: bias("g.b3", d),
    };
    this.#d = {
      attr: p.dense("d.attr", [vocab, cfg.attrDim], { normal: 0.1 }, rng),
      w1c: layer("d.w1.content", [cDim, h]),
      w1u: layer("d.w1.user", [d, h]),
      b1: bias("d.b1", h),
      w2: layer("d.w2", [h, h]),
      b2: bias("d.b2", h),
      w3: layer("d.w3", [h, 1]),
      b3: bias("d.b3", 1),
    };
  }

  /** Content view of `items` with attribute table `attr`: [items.length, cDim]. */
  #view(attr: V, items: Int32Array): tf.Tensor2D {
    return contentInput(this.#ctx.dataset.attributes, attr, this.#content, items);
  }

  /** The generated (virtual) users of `items`: [items.length, warmDim]. */
  generate(items: Int32Array): tf.Tensor2D {
    const g = this.#g;
    return tf.tidy(() => {
      const h1 = tf.tanh(tf.add(tf.matMul(this.#view(g.attr, items), g.w1), g.b1));
      const h2 = tf.tanh(tf.add(tf.matMul(h1, g.w2), g.b2));
      return tf.tanh(tf.add(tf.matMul(h2, g.w3), g.b3)) as tf.Tensor2D;
    });
  }

  /** D's logits [n, 1] for content part `xc` (= view·W1c, per row) and users `u`. */
  #discriminate(xc: tf.Tensor2D, u: tf.Tensor2D): tf.Tensor2D {
    const d = this.#d;
    const h1 = tf.tanh(tf.add(tf.add(xc, tf.matMul(u, d.w1u)), d.b1));
    const h2 = tf.tanh(tf.add(tf.matMul(h1, d.w2), d.b2));
    return tf.add(tf.matMul(h2, d.w3), d.b3) as tf.Tensor2D;
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const uniq = uniqueIndex(batch.items, this.#ctx.split.numItems);
    const gVars = Object.values(this.#g), dVars = Object.values(this.#d);
    // Per distinct item: G's virtual user and D's content part; then gathered to batch rows.
    const parts = () => {
      const at = tf.tensor1d(uniq.index, "int32");
      const fake = tf.gather(this.generate(uniq.unique), at) as tf.Tensor2D;
      const xc = tf.gather(tf.matMul(this.#view(this.#d.attr, uniq.unique), this.#d.w1c), at);
      return { fake, xc: xc as tf.Tensor2D };
    };
    const real = () => tf.gather(this.#users, tf.tensor1d(batch.users, "int32")) as tf.Tensor2D;
    const d = opt.step([], () => {
      const { fake, xc } = parts();
      const neg = tf.gather(this.#users, tf.tensor1d(batch.negUsers, "int32")) as tf.Tensor2D;
      const dReal = bceOne(this.#discriminate(xc, real()));
      const dFake = bceZero(this.#discriminate(xc, fake));
      const dCounter = bceZero(this.#discriminate(xc, neg));
      const dMatch = tf.add(dReal, dCounter) as tf.Scalar;
      return {
        loss: tf.add(dMatch, dFake) as tf.Scalar,
        terms: { dReal, dFake, dCounter, dMatch },
      };
    }, dVars);
    const g = opt.step([], () => {
      const { fake, xc } = parts();
      return { loss: bceOne(this.#discriminate(xc, fake)) };
    }, gVars);
    const { loss: dLoss, ...dTerms } = d;
    return { ...dTerms, dLoss, gLoss: g.loss, loss: dLoss + g.loss };
  }

  scorer(): Scorer {
    return dotScorer(
      (ids) => tf.gather(this.#users, tf.tensor1d(ids, "int32")) as tf.Tensor2D,
      (ids) => this.generate(ids),
    );
  }

  dispose(): void {
    this.params.dispose();
    this.#users.dispose();
    for (const c of this.#content) c.values.dispose();
  }
}

/** Registry entry of LARA. */
export const laraSpec: ModelSpec<LaraConfig> = {
  name: "lara",
  label: "LARA",
  family: "GAN-based",
  reference: "Sun et al., WSDM 2020; GAN losses as in ColdRec model/LARA.py (changfengsun/LARA)",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Lara(cfg, ctx),
};
