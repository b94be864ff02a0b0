/**
 * GAR — Chen, Wang, Huang, Huang, Xu, Lin, He and Li, "Generative Adversarial Framework for
 * Cold-Start Item Recommendation", SIGIR 2022.
 *
 * Followed: the official code (zfnWong/GAR, GAR/GAR.py and main.py; research notes §3.9). A
 * generator G maps item content to a warm-like embedding ẽ = G(x); a recommender D scores a
 * (user, item) pair as the dot of two towers over embeddings, t_u(u)·t_i(e). With frozen
 * pretrained u, e⁺ (a positive warm item) and e⁻ (a sampled negative warm item):
 *   L_D = BCE(D(u,e⁺) − (1−β)·D(u,ẽ) − β·D(u,e⁻), 1) + l2·Σ‖W_D‖²/2,
 *   L_G = (1−α)·BCE(D(u,ẽ) − D(u,e⁺), 1) + α·mean|ẽ − e⁺| + l2·Σ‖W_G‖²/2,
 * one D step then one G step per batch (main.py), α 0.05, β 0.1. Every MLP is the original's
 * `build_mlp` with two layers: [BN without scale, towers only] → FC → BN → tanh → dropout →
 * FC. D trains with BN batch statistics and dropout 0.5 while G runs in inference mode; G trains
 * (dropout 0.1) against D in inference mode, as the code's `is_training` flags do. A cold item
 * is scored as t_u(u)·t_i(G(x_i)) (`get_user_emb`, `get_item_emb`), never from an ID row.
 *
 * Readings and departures, one each:
 * - Pretrained embeddings: our BPR-MF warm embeddings (`warmEmbeddings`, 64-d); the original
 *   loads node2vec/BPR-MF vectors of 200-d, so G's output layer is `warmDim` wide here.
 * - Content: the original takes one fixed feature vector; G's input here is CLCRec's
 *   construction, a learned mean-pooled attribute embedding ⊕ every standardised modality.
 * - BatchNorm (mlp.ts, with the MLP): TF1 defaults (momentum 0.99, ε 1e-3, biased batch
 *   variance); moving averages are non-trainable ParamSet variables, so checkpoints keep them.
 *   They are zero-debiased (as Adam's moments): TF1 starts them at (0, 1) and needs ~300
 *   updates to forget that, which is a whole run here (39 steps per Last.fm epoch), during
 *   which G would train against an inference-mode D unlike the D being trained.
 * - G's first FC runs once per distinct item and is gathered to batch rows before its BN, so
 *   the BN statistics stay those of the batch rows as in the original.
 * - Negative items: the sampler's warm items the user never interacted with (one per row), as
 *   `utils.bpr_neg_samp`.
 * - Reported `loss` = L_D + L_G (main.py logs the sum). Being adversarial it need not fall; the
 *   falling-loss check watches `dLoss`: D is the recommender whose towers score cold items, and
 *   L_D ranks e⁺ above ẽ and e⁻. Not `sim`: α = 0.05 on a mean over B·d entries makes its
 *   gradient about d times weaker than the adversarial one, so ẽ follows the adversarial term
 *   almost alone and `sim` does not reliably fall (nor would it in the original).
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "../model.ts";
import { warmEmbeddings } from "../common/warm_embeddings.ts";
import {
  type BatchNormStats,
  bceOne,
  commitBatchNorm,
  contentInputDim,
  contentParts,
  type ContentTensor,
  contentTensors,
  type Optimizer,
  ParamSet,
  rowDot,
  uniqueIndex,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { Mlp, type Mode } from "./mlp.ts";
import type { TrainBatch } from "../../train/sampler.ts";
import { tf } from "../../tf/mod.ts";
import { dotScorer } from "../common/read_scores.ts";
import type { Scorer } from "../../eval/scorer.ts";

/** GAR hyperparameters (defaults: GAR/GAR.py and main.py). */
export interface GarConfig extends Record<string, unknown> {
  /** Size of the pretrained BPR-MF embeddings (G's output size). */
  warmDim: number;
  /** BPR-MF pretraining epochs. */
  warmEpochs: number;
  /** Attribute token embedding size of G's content view. */
  attrDim: number;
  /** G's hidden units (g_layer [200, ·]). */
  genHidden: number;
  /** Hidden and output units of D's towers (d_layer [200, 200]). */
  towerHidden: number;
  towerOut: number;
  /** Dropout rates of G (0.1) and D (0.5). */
  genDropout: number;
  towerDropout: number;
  /** Weight α of the L1 similarity term in L_G (0.05). */
  alpha: number;
  /** Weight β of the negative item against the generated one in L_D (0.1). */
  beta: number;
  /** L2 regulariser scale on every FC kernel (1e-3, as l2_regularizer: scale·Σw²/2). */
  l2: number;
}

const DEFAULTS: GarConfig = {
  warmDim: 64,
  warmEpochs: 30,
  attrDim: 64,
  genHidden: 200,
  towerHidden: 200,
  towerOut: 200,
  genDropout: 0.1,
  towerDropout: 0.5,
  alpha: 0.05,
  beta: 0.1,
  l2: 1e-3,
};

/** Trainable dense variables of `p` whose names start with `prefix`. */
function varsOf(p: ParamSet, prefix: string): tf.Variable[] {
  return [...p.denseVars].filter(([n, v]) => n.startsWith(prefix) && v.trainable).map(([, v]) => v);
}

class Gar implements ColdStartModel {
  readonly name = "gar";
  readonly params = new ParamSet();
  readonly needs = { negUsers: false, cp: 0, cn: 1 };
  #ctx: ModelContext;
  #cfg: GarConfig;
  #content: ContentTensor[];
  #users: tf.Tensor2D;
  #items: tf.Tensor2D;
  #attr: tf.Variable;
  #gen: Mlp;
  #userTower: Mlp;
  #itemTower: Mlp;
  #dropout: Rng;

  constructor(cfg: GarConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#ctx = ctx;
    this.#cfg = cfg;
    const d = cfg.warmDim, seed = ctx.seed ?? 0;
    const warm = warmEmbeddings(split, seed, { dim: d, epochs: cfg.warmEpochs }, ctx.cacheDir);
    this.#users = tf.tensor2d(warm.users, [split.numUsers, d]);
    this.#items = tf.tensor2d(warm.items, [split.numItems, d]);
    this.#content = contentTensors(ds, split.trainItems);
    const p = this.params, cDim = contentInputDim(cfg.attrDim, this.#content);
    this.#attr = p.dense("g.attr", [ds.attributes.vocab.length + 1, cfg.attrDim], {
      normal: 0.1,
    }, rng);
    this.#gen = new Mlp(p, "g.mlp", [cDim, cfg.genHidden, d], false, cfg.genDropout, rng);
    const tower = [d, cfg.towerHidden, cfg.towerOut];
    this.#userTower = new Mlp(p, "d.user", tower, true, cfg.towerDropout, rng);
    this.#itemTower = new Mlp(p, "d.item", tower, true, cfg.towerDropout, rng);
    this.#dropout = rng.fork("dropout");
  }

  /** ẽ = G(x) for the distinct `items`, gathered to the positions `at` (default: all). */
  generate(items: Int32Array, mode: Mode, at?: Int32Array): tf.Tensor2D {
    const x = contentParts(this.#ctx.dataset.attributes, this.#attr, this.#content, items);
    const h = this.#gen.head(x, null); // G has no BN₀: the first FC is row-independent
    return this.#gen.tail(at ? tf.gather(h, tf.tensor1d(at, "int32")) : h, mode);
  }

  /** D(u, e) per row, as [n, 1]. */
  #score(u: tf.Tensor2D, e: tf.Tensor2D, mode: Mode): tf.Tensor2D {
    return rowDot(this.#userTower.forward(u, mode), this.#itemTower.forward(e, mode));
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { alpha, beta, l2 } = this.#cfg;
    const uniq = uniqueIndex(batch.items, this.#ctx.split.numItems);
    const rows = (t: tf.Tensor2D, ids: Int32Array) =>
      tf.gather(t, tf.tensor1d(ids, "int32")) as tf.Tensor2D;
    const mode = { stats: [] as BatchNormStats[], rng: this.#dropout };
    const d = opt.step([], () => {
      const u = rows(this.#users, batch.users);
      const pos = rows(this.#items, batch.items), neg = rows(this.#items, batch.negItems);
      const fake = this.generate(uniq.unique, null, uniq.index);
      // As the original: one pass over the three pair kinds, so BN sees all 3B rows.
      const s = this.#score(tf.concat([u, u, u]), tf.concat([pos, neg, fake]), mode);
      const [real, negS, fakeS] = tf.split(s, 3) as tf.Tensor2D[];
      const margin = tf.sub(tf.sub(real, tf.mul(1 - beta, fakeS)), tf.mul(beta, negS));
      const reg = tf.add(this.#userTower.l2(), this.#itemTower.l2());
      return { loss: tf.add(bceOne(margin), tf.mul(l2, reg)) as tf.Scalar };
    }, varsOf(this.params, "d."));
    commitBatchNorm(mode.stats);
    const g = opt.step([], () => {
      const u = rows(this.#users, batch.users), pos = rows(this.#items, batch.items);
      const fake = this.generate(uniq.unique, mode, uniq.index);
      const gAdv = bceOne(tf.sub(this.#score(u, fake, null), this.#score(u, pos, null)));
      const sim = tf.mean(tf.abs(tf.sub(fake, pos))) as tf.Scalar;
      const loss = tf.addN([
        tf.mul(1 - alpha, gAdv),
        tf.mul(alpha, sim),
        tf.mul(l2, this.#gen.l2()),
      ]);
      return { loss: loss as tf.Scalar, terms: { gAdv, sim } };
    }, varsOf(this.params, "g."));
    commitBatchNorm(mode.stats);
    return { dLoss: d.loss, gLoss: g.loss, gAdv: g.gAdv, sim: g.sim, loss: d.loss + g.loss };
  }

  scorer(): Scorer {
    return dotScorer(
      (users) =>
        this.#userTower.forward(
          tf.gather(this.#users, tf.tensor1d(users, "int32")) as tf.Tensor2D,
          null,
        ),
      (items) => this.#itemTower.forward(this.generate(items, null), null),
    );
  }

  dispose(): void {
    this.params.dispose();
    tf.dispose([this.#users, this.#items, ...this.#content.map((c) => c.values)]);
  }
}

/** Registry entry of GAR. */
export const garSpec: ModelSpec<GarConfig> = {
  name: "gar",
  label: "GAR",
  family: "GAN-based",
  reference: "Chen et al., SIGIR 2022; losses and MLPs as in zfnWong/GAR GAR/GAR.py, main.py",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Gar(cfg, ctx),
};
