/**
 * GoRec — Bai, Hou, Wu, Yang, Zhang, Hong and Wang, "GoRec: A Generative Cold-start
 * Recommendation Framework", ACM MM 2023.
 *
 * Followed: the official code (HaoyueBai98/GoRec `model/gorec_model.py`,
 * `session/gorec_session.py`, `main/gorec.py`; research notes §3.11). A CVAE over the frozen
 * pretrained warm item embeddings w, conditioned on the item's content c:
 *   Enc(w, c): h = tanh(BN(W_e [c, w])) → (μ, log σ²);  Enc_c(c) → (μ_c, log σ²_c) (linear),
 *   z = μ + σ·ε,  z_c = μ_c + σ_c·ε',  ŵ = Dec(z, dropout(c)) with
 *   Dec: h = tanh(BN(W_d [c, z])) then two linear layers (the code's decoder_layer = 2),
 *   L = MSE(ŵ, w) + uni·log mean_{i<j} exp(−2‖μ̂_i − μ̂_j‖²) + kl·KLDiv(z ‖ z_c),
 * with μ̂ the L2-normalised μ (the code's `uniformity`). Cold inference: w̄ = the mean pretrained
 * embedding of the item's K-means cluster, μ = Enc(w̄, c), ŵ = Dec(μ, c) (eval mode: BatchNorm
 * running statistics, no dropout); score(u, i) = ⟨u, ŵ_i⟩ with the pretrained user embedding.
 *
 * Readings taken (one comment each):
 * - Pretrained embeddings: the code loads a multimodal backbone ("vsgcl" by default); here the
 *   toolkit's BPR-MF `warmEmbeddings` (frozen constants), as for every pretrained baseline.
 * - Content: the code row-normalises one [image ⊕ text] vector; here c is a learned attribute
 *   embedding (mean-pooled, `attributeBag`) ⊕ every standardised modality, each view
 *   L2-normalised on its own so that the widest view does not drown the others.
 * - KL term: the code passes the raw samples z, z_c to `KLDivLoss` (a KL only for probability
 *   vectors; old PyTorch zeroes the terms with z_c ≤ 0); here, as the ColdRec port,
 *   KLDiv(log softmax z, softmax z_c) over latent dimensions, reduction "mean" (all elements).
 * - Clusters (`clusters.ts`): the code ships precomputed `cluster_label.npy` for every
 *   item, which a cold item can only get from its content. Here K-means (k-means++ seeded from
 *   `ctx.rng`, Lloyd to convergence) runs on the WARM items' fixed content (per-view unit rows:
 *   standardised modalities and the normalised attribute multi-hot); every item takes its
 *   nearest centroid, and w̄ of a cluster is the mean pretrained embedding of its warm members.
 * - Batches: the code iterates over warm items; the engine's batches are interactions, so each
 *   step trains on the distinct anchor items of its batch (each once).
 * - Defaults: uni 5 / kl 10 (the code's argparse defaults, its "baby" setting; Clothing 1/5000,
 *   Sports 15/5000), dropout 0.3, 50 clusters, latent and hidden size 64.
 *
 * The setting-by-setting comparison with the code and ColdRec's port, and what a cold item
 * contributes at inference, are in docs/gorec_parity.md.
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "../model.ts";
import { warmEmbeddings } from "../common/warm_embeddings.ts";
import { clusterMeans, contentClusters } from "./clusters.ts";
import {
  BatchNorm,
  type BatchNormOptions,
  type BatchNormStats,
  commitBatchNorm,
  contentInputDim,
  contentParts,
  type ContentTensor,
  contentTensors,
  l2normalize,
  linear,
  type Optimizer,
  ParamSet,
  reparameterise,
  rngNoise,
  rowDot,
  TORCH_BATCH_NORM,
  uniqueIndex,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import type { TrainBatch } from "../../train/sampler.ts";
import { tf } from "../../tf/mod.ts";
import { dotScorer } from "../common/read_scores.ts";
import type { Scorer } from "../../eval/scorer.ts";

/** GoRec hyperparameters. */
export interface GorecConfig extends Record<string, unknown> {
  /** Size of the pretrained BPR-MF embeddings (the decoder's output size). */
  warmDim: number;
  /** BPR-MF pretraining epochs. */
  warmEpochs: number;
  /** Latent size of z (the code's z_size = 64). */
  latentDim: number;
  /** Hidden units of the encoder and decoder trunks (the code's latent_dim = 64). */
  hidden: number;
  /** Size of GoRec's own attribute embedding. */
  attrDim: number;
  /** Weight of the uniformity term (uni_coeff). */
  uniCoeff: number;
  /** Weight of the KL term (kl_coeff). */
  klCoeff: number;
  /** Dropout on the decoder's content input during training. */
  dropout: number;
  /** K-means clusters of warm items (pre_cluster_num). */
  clusters: number;
  /** Linear layers after the decoder trunk (decoder_layer). */
  decoderLayers: number;
}

const DEFAULTS: GorecConfig = {
  warmDim: 64,
  warmEpochs: 30,
  latentDim: 64,
  hidden: 64,
  attrDim: 64,
  uniCoeff: 5,
  klCoeff: 10,
  dropout: 0.3,
  clusters: 50,
  decoderLayers: 2,
};

/** PyTorch's BatchNorm1d, under the parameter names `<trunk>.bn.{gamma,beta,mean,var}`. */
const BN: BatchNormOptions = { ...TORCH_BATCH_NORM, names: { mean: "mean", variance: "var" } };

class Gorec implements ColdStartModel {
  readonly name = "gorec";
  readonly params = new ParamSet();
  readonly needs = { negUsers: false, cp: 0, cn: 0 };
  #ctx: ModelContext;
  #cfg: GorecConfig;
  #rng: { noise: Rng; dropout: Rng };
  /** Standardised modalities, rows L2-normalised (constants). */
  #content: ContentTensor[];
  /** Frozen pretrained embeddings and the cluster means w̄ [clusters, warmDim] (constants). */
  #users: tf.Tensor2D;
  #items: tf.Tensor2D;
  #clusterMean: tf.Tensor2D;
  #clusterOf: Int32Array;
  #w: Record<string, tf.Variable> = {};
  #bn: Record<string, BatchNorm> = {};

  constructor(cfg: GorecConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#rng = { noise: rng.fork("noise"), dropout: rng.fork("dropout") };
    const d = cfg.warmDim;
    const warm = warmEmbeddings(
      split,
      ctx.seed ?? 0,
      { dim: d, epochs: cfg.warmEpochs },
      ctx.cacheDir,
    );
    this.#users = tf.tensor2d(warm.users, [split.numUsers, d]);
    this.#items = tf.tensor2d(warm.items, [split.numItems, d]);
    const { labels, k } = contentClusters(ds, split.trainItems, cfg.clusters, rng.fork("kmeans"));
    this.#clusterOf = labels;
    this.#clusterMean = tf.tensor2d(clusterMeans(warm.items, d, split.trainItems, labels, k), [
      k,
      d,
    ]);
    this.#content = contentTensors(ds, split.trainItems).map((c) => {
      const values = tf.tidy(() => l2normalize(c.values));
      c.values.dispose();
      return { ...c, values };
    });
    const p = this.params, init = rng.fork("init"), h = cfg.hidden, z = cfg.latentDim;
    const dense = (name: string, shape: number[], how: "glorot" | "zeros" | "ones" = "glorot") =>
      this.#w[name] = p.dense(name, shape, how, init);
    dense("attribute", [ds.attributes.vocab.length + 1, cfg.attrDim]);
    const cDim = contentInputDim(cfg.attrDim, this.#content);
    for (const [trunk, inDim] of [["encoder", cDim + d], ["decoder", cDim + z]] as const) {
      dense(`${trunk}.fc.w`, [inDim, h]); // no bias: BatchNorm follows
      this.#bn[trunk] = new BatchNorm(p, `${trunk}.bn`, h, init, BN);
    }
    for (const [head, inDim] of [["encoder", h], ["encoderC", cDim]] as const) {
      for (const out of ["mean", "logVar"]) {
        dense(`${head}.${out}.w`, [inDim, z]);
        dense(`${head}.${out}.b`, [z], "zeros");
      }
    }
    for (let l = 0; l < cfg.decoderLayers; l++) {
      dense(`decoder.l${l}.w`, [l === 0 ? h : d, d]);
      dense(`decoder.l${l}.b`, [d], "zeros");
    }
  }

  /** Content c of `items`: per-view unit rows (learned attribute view ⊕ each modality). */
  #side(items: Int32Array): tf.Tensor2D {
    const attrs = this.#ctx.dataset.attributes;
    const [attr, ...modalities] = contentParts(attrs, this.#w["attribute"], this.#content, items);
    return tf.concat([l2normalize(attr), ...modalities], 1);
  }

  /** tanh(BN(W [a, b])) of trunk `name`; `stats` given = training mode (batch statistics). */
  #trunk(name: string, a: tf.Tensor2D, b: tf.Tensor2D, stats?: BatchNormStats[]): tf.Tensor2D {
    const x = linear(tf.concat([a, b], 1), this.#w[`${name}.fc.w`]);
    return tf.tanh(this.#bn[name].apply(x, stats && { stats }));
  }

  #head(name: string, x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const w = this.#w;
    return [
      linear(x, w[`${name}.mean.w`], w[`${name}.mean.b`]),
      linear(x, w[`${name}.logVar.w`], w[`${name}.logVar.b`]),
    ];
  }

  #decode(z: tf.Tensor2D, c: tf.Tensor2D, stats?: BatchNormStats[]): tf.Tensor2D {
    let out = this.#trunk("decoder", c, z, stats);
    for (let l = 0; l < this.#cfg.decoderLayers; l++) {
      out = linear(out, this.#w[`decoder.l${l}.w`], this.#w[`decoder.l${l}.b`]);
    }
    return out;
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { uniCoeff, klCoeff, dropout, latentDim } = this.#cfg;
    const items = uniqueIndex(batch.items, this.#items.shape[0]).unique, n = items.length;
    const cDim = (this.#w["decoder.fc.w"].shape[0] as number) - latentDim;
    const keep = new Float32Array(n * cDim); // inverted dropout, as nn.Dropout
    for (let k = 0; k < keep.length; k++) {
      keep[k] = this.#rng.dropout.uniform() < dropout ? 0 : 1 / (1 - dropout);
    }
    const noise = rngNoise(this.#rng.noise);
    const mask = tf.tensor2d(keep, [n, cDim]), stats: BatchNormStats[] = [];
    try {
      const out = opt.step([], () => {
        const w = tf.gather(this.#items, tf.tensor1d(items, "int32")) as tf.Tensor2D;
        const c = this.#side(items);
        const [mu, logVar] = this.#head("encoder", this.#trunk("encoder", c, w, stats));
        const [muC, logVarC] = this.#head("encoderC", c);
        const zv = reparameterise({ mu, logVar }, noise);
        const zc = reparameterise({ mu: muC, logVar: logVarC }, noise);
        const rec = this.#decode(zv, tf.mul(c, mask) as tf.Tensor2D, stats);
        const mse = tf.mean(tf.square(tf.sub(rec, w))) as tf.Scalar;
        const uni = uniformity(mu);
        const q = tf.softmax(zc);
        const kl = tf.mean(tf.mul(q, tf.sub(tf.logSoftmax(zc), tf.logSoftmax(zv)))) as tf.Scalar;
        const loss = tf.addN([mse, tf.mul(uniCoeff, uni), tf.mul(klCoeff, kl)]) as tf.Scalar;
        return { loss, terms: { mse, uni, kl } };
      });
      commitBatchNorm(stats);
      return out;
    } finally {
      tf.dispose([mask, ...stats.flatMap((s) => [s.mean, s.variance])]);
    }
  }

  scorer(): Scorer {
    return dotScorer(
      (users) => tf.gather(this.#users, tf.tensor1d(users, "int32")) as tf.Tensor2D,
      (items) => {
        const clusterOf = Int32Array.from(items, (i) => this.#clusterOf[i]);
        const wBar = tf.gather(this.#clusterMean, tf.tensor1d(clusterOf, "int32")) as tf.Tensor2D;
        const c = this.#side(items);
        const [mu] = this.#head("encoder", this.#trunk("encoder", c, wBar));
        return this.#decode(mu, c);
      },
    );
  }

  dispose(): void {
    this.params.dispose();
    tf.dispose([
      this.#users,
      this.#items,
      this.#clusterMean,
      ...this.#content.map((c) => c.values),
    ]);
  }
}

/** log mean_{i≠j} exp(−2‖μ̂_i − μ̂_j‖²) over the rows of `mu` (0 for fewer than 2 rows). */
function uniformity(mu: tf.Tensor2D): tf.Scalar {
  const n = mu.shape[0];
  if (n < 2) return tf.scalar(0);
  const m = l2normalize(mu);
  // ‖a − b‖² = |a|² + |b|² − 2a·b for unit rows; the diagonal (i = j) is taken out exactly.
  const sq = rowDot(m, m);
  const d2 = tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(2, tf.matMul(m, m, false, true)));
  const off = tf.sub(tf.sum(tf.exp(tf.mul(-2, d2))), n);
  return tf.log(tf.div(off, n * (n - 1))) as tf.Scalar;
}

/** Registry entry of GoRec. */
export const gorecSpec: ModelSpec<GorecConfig> = {
  name: "gorec",
  label: "GoRec",
  family: "VAE-based",
  reference: "Bai et al., MM 2023; as HaoyueBai98/GoRec gorec_model.py, on BPR-MF embeddings",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Gorec(cfg, ctx),
};
