/**
 * CVAR — Zhao, Ren, Du, Zhang, Zhang and Zhou, "Improving Item Cold-start Recommendation via
 * Model-agnostic Conditional Variational Autoencoder", SIGIR 2022.
 *
 * Followed: the official code (BestActionNow/CVAR, `model/warm.py` class CVAR and the `cvar()`
 * warm-up loop of `main.py`; research notes §3.8). A frozen, pretrained backbone supplies the
 * item ID embeddings e_i; CVAR learns
 *   (μ, log σ²) = Enc(e_i)            (linear heads on the ID embedding),
 *   (μ_p, log σ²_p) = Enc_p(x_i)      (heads on the item's side information),
 *   z = μ + s·σ·ε,  z_p = μ_p + s·σ_p·ε'  with s = 1e-4 (the code's tiny reparameterisation),
 *   ê = Dec(z),  ê_p = Dec(z_p)       (one linear decoder),
 * and minimises  L = L_main(ê_p) + ‖ê − e_i‖² + 1e-4·W₂(N(μ,σ), N(μ_p,σ_p)),
 * where W₂ = Σ_rows ‖μ − μ_p‖² + ‖σ − σ_p‖² (summed over the batch, as the code) and L_main is
 * the backbone's own loss with the generated embedding in place of e_i. A cold item's
 * embedding is Dec(μ_p(x_i)); its score for user u is the backbone's ⟨u, ê_p⟩.
 *
 * Readings taken (one comment each):
 * - Backbone: the original wraps CTR models (DeepFM, …) trained with BCE; here it is BPR-MF
 *   (the toolkit's `warmEmbeddings`, frozen), so L_main is BPR over (user, positive item,
 *   sampled negative item), both items represented by their generated ê_p — the backbone's own
 *   objective, as CVAR's main loss is the backbone's BCE on the generated embedding.
 * - Side information: the code embeds categorical item fields in its own "warmup" tables
 *   (sum-pooled) and concatenates continuous fields; here it is a learned CVAR-owned attribute
 *   embedding, mean-pooled (`attributeBag`), concatenated with every standardised modality.
 * - The code's decoder also takes the item's interaction count (min-max scaled); it is dropped,
 *   as a cold item's training count is always 0 (an input never seen in training). In the code
 *   the count is also a side feature of the prior, and on MovieLens it is counted over the whole
 *   data set, test included (docs/cvar_parity.md §2).
 * - The code's prior also reads a CVAR-owned item-ID row (`item_id` is one of its item
 *   features; BestActionNow/CVAR issue #4 confirms the paper's Eq. 7 has side information only).
 *   A cold item's row is never trained, so it is left out: the prior reads content only.
 * - Enc_p is a 2-layer MLP (hidden `hidden`, tanh) instead of the code's linear layer: the
 *   M2VAE paper's setup says pretrained-embedding baselines use "a 2-layer MLP"; `hidden: 0`
 *   gives the code's linear encoder. Enc stays linear, as in the code.
 * - Latent size = warm embedding size (the code: 16/16); initialisation Glorot (the code:
 *   U(−0.01, 0.01)), ours, so the BPR signal is not vanishingly small at the start.
 * - Recon and W₂ run over every item of the batch's rows (positives and negatives), as the
 *   code's CTR batches hold both labels; recon is averaged over those rows, W₂ summed.
 * - The code takes 10 Adam steps on each batch in one pass (`cvar_iters`); here one step per
 *   batch over the engine's epochs with validation-based early stopping.
 * - Cold inference uses z_p = μ_p (the code's 1e-4-scaled noise is negligible), so scores are
 *   deterministic.
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "./model.ts";
import { warmEmbeddings } from "./common/warm_embeddings.ts";
import {
  contentInput,
  contentInputDim,
  type ContentTensor,
  contentTensors,
  linear,
  type Optimizer,
  ParamSet,
  rngNoise,
  rowDot,
  rowSum,
  uniqueIndex,
} from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";
import type { Scorer } from "../eval/scorer.ts";

/** CVAR hyperparameters. */
export interface CvarConfig extends Record<string, unknown> {
  /** Size of the pretrained BPR-MF embeddings (the decoder's output size). */
  warmDim: number;
  /** BPR-MF pretraining epochs. */
  warmEpochs: number;
  /** Latent size of z (the code: equal to the embedding size). */
  latentDim: number;
  /** Hidden units of the side-information encoder; 0 = linear, as the code. */
  hidden: number;
  /** Size of CVAR's own attribute embedding. */
  attrDim: number;
  /** Scale s of the reparameterisation noise (1e-4 in the code). */
  noiseScale: number;
  /** Weight of the reconstruction term (1 in the code). */
  reconWeight: number;
  /** Weight of the Wasserstein regulariser (1e-4 in the code). */
  regWeight: number;
}

const DEFAULTS: CvarConfig = {
  warmDim: 64,
  warmEpochs: 30,
  latentDim: 64,
  hidden: 256,
  attrDim: 64,
  noiseScale: 1e-4,
  reconWeight: 1,
  regWeight: 1e-4,
};

class Cvar implements ColdStartModel {
  readonly name = "cvar";
  readonly params = new ParamSet();
  readonly needs = { negUsers: false, cp: 0, cn: 1 };
  #ctx: ModelContext;
  #cfg: CvarConfig;
  #noise: Rng;
  #content: ContentTensor[];
  /** Frozen pretrained user and item embeddings (constants, not parameters). */
  #users: tf.Tensor2D;
  #items: tf.Tensor2D;
  #w: Record<string, tf.Variable> = {};

  constructor(cfg: CvarConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#noise = rng.fork("noise");
    const warm = warmEmbeddings(split, ctx.seed ?? 0, {
      dim: cfg.warmDim,
      epochs: cfg.warmEpochs,
    }, ctx.cacheDir);
    this.#users = tf.tensor2d(warm.users, [split.numUsers, cfg.warmDim]);
    this.#items = tf.tensor2d(warm.items, [split.numItems, cfg.warmDim]);
    this.#content = contentTensors(ds, split.trainItems);
    const p = this.params, d = cfg.warmDim, k = cfg.latentDim, init = rng.fork("init");
    const dense = (name: string, shape: number[], bias = false) =>
      this.#w[name] = p.dense(name, shape, bias ? "zeros" : "glorot", init);
    dense("attribute", [ds.attributes.vocab.length + 1, cfg.attrDim]);
    const xDim = contentInputDim(cfg.attrDim, this.#content);
    if (cfg.hidden > 0) {
      dense("encoderP.w1", [xDim, cfg.hidden]);
      dense("encoderP.b1", [cfg.hidden], true);
    }
    const hDim = cfg.hidden > 0 ? cfg.hidden : xDim;
    for (const [head, inDim] of [["encoder", d], ["encoderP", hDim]] as const) {
      for (const out of ["mean", "logVar"]) {
        dense(`${head}.${out}.w`, [inDim, k]);
        dense(`${head}.${out}.b`, [k], true);
      }
    }
    dense("decoder.w", [k, d]);
    dense("decoder.b", [d], true);
  }

  /** Side information x of `items`: pooled attribute embedding ⊕ standardised modalities. */
  #side(items: Int32Array): tf.Tensor2D {
    return contentInput(this.#ctx.dataset.attributes, this.#w["attribute"], this.#content, items);
  }

  /** (mean, log-variance) of head `encoder` (input e_i) or `encoderP` (input x_i). */
  #encode(head: "encoder" | "encoderP", input: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const w = this.#w;
    const h = head === "encoderP" && this.#cfg.hidden > 0
      ? tf.tanh(linear(input, w["encoderP.w1"], w["encoderP.b1"])) as tf.Tensor2D
      : input;
    return [
      linear(h, w[`${head}.mean.w`], w[`${head}.mean.b`]),
      linear(h, w[`${head}.logVar.w`], w[`${head}.logVar.b`]),
    ];
  }

  #decode(z: tf.Tensor2D): tf.Tensor2D {
    return linear(z, this.#w["decoder.w"], this.#w["decoder.b"]);
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { noiseScale, reconWeight, regWeight, latentDim } = this.#cfg;
    const b = batch.users.length;
    const uniq = uniqueIndex(
      Int32Array.from([...batch.items, ...batch.negItems]),
      this.#items.shape[0],
    );
    const n = uniq.unique.length;
    const counts = new Float32Array(n); // how many of the 2b rows hold each distinct item
    for (const k of uniq.index) counts[k] += 1;
    const noise = rngNoise(this.#noise);
    const eps = noise(n, latentDim), epsP = noise(n, latentDim);
    try {
      return opt.step([], () => {
        // Per-item work once per distinct item; rows then gather (no [b, n, d] broadcasts).
        const e = tf.gather(this.#items, tf.tensor1d(uniq.unique, "int32")) as tf.Tensor2D;
        const [mu, logVar] = this.#encode("encoder", e);
        const [muP, logVarP] = this.#encode("encoderP", this.#side(uniq.unique));
        const sd = tf.exp(tf.mul(logVar, 0.5)), sdP = tf.exp(tf.mul(logVarP, 0.5));
        const z = tf.add(mu, tf.mul(tf.mul(sd, eps), noiseScale)) as tf.Tensor2D;
        const zP = tf.add(muP, tf.mul(tf.mul(sdP, epsP), noiseScale)) as tf.Tensor2D;
        const diff = tf.sub(this.#decode(z), e) as tf.Tensor2D;
        const w = tf.tensor2d(counts, [n, 1]);
        const recon = tf.div(tf.sum(tf.mul(w, rowDot(diff, diff))), 2 * b) as tf.Scalar;
        const dMu = tf.sub(mu, muP) as tf.Tensor2D, dSd = tf.sub(sd, sdP) as tf.Tensor2D;
        const reg = tf.sum(tf.mul(w, tf.add(rowDot(dMu, dMu), rowDot(dSd, dSd)))) as tf.Scalar;
        const gen = this.#decode(zP);
        const at = (lo: number) =>
          tf.gather(gen, tf.tensor1d(uniq.index.subarray(lo, lo + b), "int32")) as tf.Tensor2D;
        const u = tf.gather(this.#users, tf.tensor1d(batch.users, "int32")) as tf.Tensor2D;
        const main = tf.mean(tf.softplus(rowSum(tf.mul(u, tf.sub(at(b), at(0))) as tf.Tensor2D)));
        const loss = tf.addN([main, tf.mul(reconWeight, recon), tf.mul(regWeight, reg)]);
        return { loss: loss as tf.Scalar, terms: { main: main as tf.Scalar, recon, reg } };
      });
    } finally {
      tf.dispose([eps, epsP]);
    }
  }

  scorer(): Scorer {
    return dotScorer(
      (users) => tf.gather(this.#users, tf.tensor1d(users, "int32")) as tf.Tensor2D,
      (items) => this.#decode(this.#encode("encoderP", this.#side(items))[0]),
    );
  }

  dispose(): void {
    this.params.dispose();
    tf.dispose([this.#users, this.#items, ...this.#content.map((c) => c.values)]);
  }
}

/** Registry entry of CVAR. */
export const cvarSpec: ModelSpec<CvarConfig> = {
  name: "cvar",
  label: "CVAR",
  family: "GAN-based",
  reference: "Zhao et al., SIGIR 2022; as BestActionNow/CVAR model/warm.py, on a BPR-MF backbone",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Cvar(cfg, ctx),
};
