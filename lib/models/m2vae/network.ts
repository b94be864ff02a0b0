/**
 * The M2VAE network (section Methodology, Eqs. 2–19): its parameters and the forward pass from
 * an item's views to the fused posterior q(z_f | u, a, c), shared by training, the naive
 * per-pair scorer and the interpretability hook. Components live in their own files.
 *
 * Views. The unique views are the attribute view and one view per dense modality, in that
 * order. A dataset with no dense modality (e.g. amazon-s3rec, ml-latest-small) has the
 * attribute view only: the PoE common view is then the attribute expert itself (poe.ts), the
 * modality gates are trivially 1, and the decoder is conditioned on a_i alone.
 *
 * @module
 */
import type { Dataset } from "../../data/dataset.ts";
import {
  applyHead,
  attentionPool,
  type AttributeAttention,
  attributeBag,
  type ContentTensor,
  contentTensors,
  createAttributeAttention,
  createHead,
  type EmbeddingTable,
  gatherContent,
  type Gaussian,
  type GaussianHead,
  meanPool,
  type NoiseSource,
  type ParamSet,
  productOfExperts,
  reparameterise,
  rowDot,
  rows,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import type { ColdSplit } from "../../split/types.ts";
import { tf } from "../../tf/mod.ts";
import type { M2vaeConfig } from "./config.ts";
import { createDecoder, type Decoder } from "./decoder.ts";
import {
  createModalityMoe,
  equalGates,
  gateFactors,
  type GateLogit,
  mixViews,
  modalityGates,
  type ModalityMoe,
} from "./modality_moe.ts";
import { applyPriorNet, createPriorNet, type PriorNet } from "./prior.ts";
import { blendViews, createViewMoe, viewGate, type ViewMoe } from "./view_moe.ts";

/** Per-item outputs of the multi-view generator (Eqs. 3–8), rows aligned with the items. */
export interface ItemEncoding {
  /** Raw views [a_i, c_i(modality 1), …], each `[n, d]`. */
  raws: tf.Tensor2D[];
  /** Gaussians of the unique views, same order. */
  views: Gaussian[];
  /** The common view (PoE, or the early-generate head); null in "w/o common". */
  common: Gaussian | null;
  /** Samples of the unique views (their means when not sampling). */
  zViews: tf.Tensor2D[];
  /** Sample of the common view (its mean when not sampling); null without one. */
  zCom: tf.Tensor2D | null;
}

/** The fused feature posterior and the gates that produced it. */
export interface Fusion {
  /** q(z_f | u, a, c) = N(μ_f, σ_f²). */
  posterior: Gaussian;
  /** Modality gates `[n, V]`; null for the weighted-PoE fusion. */
  gates: tf.Tensor2D | null;
  /**
   * View gate α of Eq. 15 `[n, 1]`, the weight of the common view (not the config's `alpha`,
   * the weight of L_disentangle); null for weighted PoE and without a common view.
   */
  commonWeight: tf.Tensor2D | null;
}

/** All parameters and the forward pass of M2VAE. */
export class M2vaeNetwork {
  readonly cfg: M2vaeConfig;
  /** Unique-view names: `attributes`, then each modality name. */
  readonly viewNames: string[];
  readonly users: EmbeddingTable;
  readonly items: EmbeddingTable;
  readonly attr: AttributeAttention;
  readonly proj: tf.Variable[];
  readonly idHead: GaussianHead;
  readonly viewHeads: GaussianHead[];
  readonly earlyHead: GaussianHead | null;
  readonly mmoe: ModalityMoe | null;
  readonly vmoe: ViewMoe | null;
  readonly poeLogWeights: tf.Variable | null;
  readonly dec: Decoder;
  /** The learned conditional prior of Eq. 24 (`prior: learned`), else null. */
  readonly prior: PriorNet | null;
  /**
   * `plantedFusion`: every user's planted view weights as gate logits (log w: their softmax is
   * the normalised weights) `[users, V]`, and its planted common share `[users, 1]`; null where
   * the fusion weight is learned.
   */
  readonly planted: { gateLogits: tf.Tensor2D | null; alpha: tf.Tensor2D | null };
  readonly #content: ContentTensor[];
  readonly #ds: Dataset;

  constructor(p: ParamSet, cfg: M2vaeConfig, ds: Dataset, split: ColdSplit, rng: Rng) {
    const d = cfg.dim;
    this.cfg = cfg;
    this.#ds = ds;
    this.#content = contentTensors(ds, split.trainItems);
    this.viewNames = ["attributes", ...ds.modalities.map((m) => m.name)];
    const views = this.viewNames;
    this.users = p.embedding("user", split.numUsers, d, { normal: cfg.initStd }, rng);
    this.items = p.embedding("item", split.numItems, d, { normal: cfg.initStd }, rng);
    this.attr = createAttributeAttention(
      p,
      "attr",
      ds.attributes.vocab.length,
      d,
      cfg.attnHidden,
      rng,
      cfg.attrInitStd,
    );
    this.proj = ds.modalities.map((m) => p.dense(`proj.${m.name}`, [m.dim, d], "glorot", rng));
    const lv0 = cfg.logVarInit;
    this.idHead = createHead(p, "head.id", d, d, rng, lv0);
    this.viewHeads = views.map((v) => createHead(p, `head.${v}`, d, d, rng, lv0));
    this.earlyHead = cfg.earlyGenerate
      ? createHead(p, "head.early", d * views.length, d, rng, lv0)
      : null;
    const moe = cfg.fusion === "moe";
    this.planted = plantedFusion(cfg, ds, views, split.numUsers);
    this.mmoe = moe && cfg.modalityMoe && this.planted.gateLogits === null
      ? createModalityMoe(p, views, d, cfg.selfGate, rng)
      : null;
    this.vmoe = moe && cfg.commonView && cfg.viewMoe && this.planted.alpha === null
      ? createViewMoe(p, d, cfg.gateHidden, rng)
      : null;
    this.poeLogWeights = moe
      ? null
      : p.dense("wpoe.logWeights", [views.length + (cfg.commonView ? 1 : 0)], "zeros", rng);
    this.dec = createDecoder(p, d, cfg.decoderRaws ? views : [], cfg.decoderHidden, rng);
    // Created last, so that every other parameter draws the same numbers with either prior.
    this.prior = cfg.prior === "learned"
      ? createPriorNet(p, d * views.length, cfg.decoderHidden, d, rng, lv0)
      : null;
  }

  /**
   * Eq. 24's prior p(z | a, c) for the raw views of some items: the learned conditional prior
   * (`prior: learned`), or null when the prior is the fused posterior itself (`prior: fused`).
   */
  conditionalPrior(raws: tf.Tensor2D[]): Gaussian | null {
    return this.prior === null ? null : applyPriorNet(this.prior, raws);
  }

  /** Eqs. 3–8 for `items`: raw views, their Gaussians, the common view, samples. */
  encodeItems(items: Int32Array, noise: NoiseSource | null): ItemEncoding {
    const bag = attributeBag(this.#ds.attributes, items);
    const a = this.cfg.attributePool === "mean"
      ? meanPool(this.attr.table as tf.Tensor2D, bag)
      : attentionPool(this.attr, bag);
    const cs = gatherContent(this.#content, items).map((x, m) =>
      tf.matMul(x, this.proj[m] as tf.Tensor2D) as tf.Tensor2D
    );
    const raws: tf.Tensor2D[] = [a, ...cs];
    const views = raws.map((x, v) => applyHead(this.viewHeads[v], x));
    let common: Gaussian | null = null;
    if (this.earlyHead !== null) {
      common = applyHead(this.earlyHead, tf.concat(raws, 1) as tf.Tensor2D);
    } else if (this.cfg.commonView) common = productOfExperts(views, this.cfg.poeEps);
    return {
      raws,
      views,
      common,
      zViews: views.map((g) => reparameterise(g, noise)),
      zCom: common === null ? null : reparameterise(common, noise),
    };
  }

  /** Eq. 2: the ID expert of the given ID-embedding rows. */
  idPosterior(e: tf.Tensor2D): Gaussian {
    return applyHead(this.idHead, e);
  }

  /**
   * The user-independent feature posterior, when there is one: the weighted PoE over the
   * common and unique views (variant "weighted PoE"); null for the MoE fusion.
   */
  itemPosterior(enc: ItemEncoding): Gaussian | null {
    if (this.poeLogWeights === null) return null;
    const experts = enc.common === null ? enc.views : [enc.common, ...enc.views];
    const w = tf.exp(this.poeLogWeights);
    const weights = experts.map((_, k) => tf.slice(w, [k], [1]));
    return productOfExperts(experts, this.cfg.poeEps, weights);
  }

  /** The user-agnostic posterior of `inference: shared`: the common view (or the unique mean). */
  sharedPosterior(enc: ItemEncoding): Gaussian {
    if (enc.common !== null) return enc.common;
    const g = equalGates(enc.views[0].mu.shape[0], enc.views.length);
    return {
      mu: mixViews(g, enc.views.map((x) => x.mu)),
      logVar: mixViews(g, enc.views.map((x) => x.logVar)),
    };
  }

  /**
   * Eqs. 11–16: the fused posterior for user rows `u` `[n, d]` (the embeddings of `users`) and
   * the items of `enc` at `idx` (`null`: row k of `enc` belongs to row k of `u`).
   */
  fuse(u: tf.Tensor2D, enc: ItemEncoding, idx: tf.Tensor1D | null, users: Int32Array): Fusion {
    const at = (x: tf.Tensor2D) => idx === null ? x : rows(x, idx);
    const item = this.itemPosterior(enc);
    if (item !== null) {
      return {
        posterior: { mu: at(item.mu), logVar: at(item.logVar) },
        gates: null,
        commonWeight: null,
      };
    }
    const n = u.shape[0], nv = enc.views.length;
    let gates: tf.Tensor2D;
    if (this.mmoe !== null) {
      const m = this.mmoe;
      const logit = this.cfg.gateLogit as GateLogit;
      const zCom = enc.zCom === null ? null : at(enc.zCom);
      const logits = enc.zViews.map((zv, v) => {
        const f = gateFactors(m, v, u, at(zv), zCom, logit);
        return rowDot(f.user, f.item);
      });
      gates = modalityGates(tf.concat(logits, 1) as tf.Tensor2D, this.cfg.tauGate);
    } else {
      const planted = this.plantedGateLogits(users);
      gates = planted === null ? equalGates(n, nv) : tf.softmax(planted) as tf.Tensor2D;
    }
    const commonWeight = enc.common === null ? null : this.commonWeight(u, users);
    return { posterior: this.mixPosterior(enc, idx, gates, commonWeight), gates, commonWeight };
  }

  /** α `[n, 1]` of Eq. 15 for user rows `u` of `users`: V-MoE's, the planted share, or ½. */
  commonWeight(u: tf.Tensor2D, users: Int32Array): tf.Tensor2D {
    if (this.vmoe !== null) return viewGate(this.vmoe, u);
    const p = this.planted.alpha;
    return p === null ? tf.fill([users.length, 1], 0.5) : rows(p, tf.tensor1d(users, "int32"));
  }

  /** `plantedFusion: gates | both`: the users' planted gate logits `[n, V]`; null otherwise. */
  plantedGateLogits(users: Int32Array): tf.Tensor2D | null {
    const p = this.planted.gateLogits;
    return p === null ? null : rows(p, tf.tensor1d(users, "int32"));
  }

  /**
   * Eqs. 14 and 16 for given fusion weights: the unique views mixed by `gates` `[n, V]` and
   * blended with the common view by `commonWeight` `[n, 1]` (none without a common view); rows
   * of `enc` at `idx` (all rows when null). `fuse` calls it with the weights it computes; the
   * training step calls it again with those weights held constant for a KL that must not train
   * them (`gateKl: stop`).
   */
  mixPosterior(
    enc: ItemEncoding,
    idx: tf.Tensor1D | null,
    gates: tf.Tensor2D,
    commonWeight: tf.Tensor2D | null,
  ): Gaussian {
    const at = (x: tf.Tensor2D) => idx === null ? x : rows(x, idx);
    const unique = {
      mu: mixViews(gates, enc.views.map((g) => at(g.mu))),
      logVar: mixViews(gates, enc.views.map((g) => at(g.logVar))),
    };
    if (enc.common === null || commonWeight === null) return unique;
    const com = { mu: at(enc.common.mu), logVar: at(enc.common.logVar) };
    return blendViews(commonWeight, com, unique);
  }

  /**
   * The items' views mixed without any user: gates 1/V and, with a common view, α ½ (the
   * fusion of `w/o M-MoE` + `w/o V-MoE`); one row per item of `enc`.
   */
  evenPosterior(enc: ItemEncoding): Gaussian {
    const n = enc.views[0].mu.shape[0];
    const alpha = enc.common === null ? null : tf.fill([n, 1], 0.5) as tf.Tensor2D;
    return this.mixPosterior(enc, null, equalGates(n, enc.views.length), alpha);
  }

  /** Releases the constant content tensors (parameters belong to the ParamSet). */
  dispose(): void {
    for (const c of this.#content) c.values.dispose();
    this.planted.gateLogits?.dispose();
    this.planted.alpha?.dispose();
  }
}

/**
 * The constant fusion weights of `plantedFusion` from the dataset's planted truth; throws a
 * one-line RangeError when the dataset has none (or no planted common shares for `alpha`).
 */
function plantedFusion(
  cfg: M2vaeConfig,
  ds: Dataset,
  views: string[],
  numUsers: number,
): { gateLogits: tf.Tensor2D | null; alpha: tf.Tensor2D | null } {
  const mode = cfg.plantedFusion;
  if (mode === "off") return { gateLogits: null, alpha: null };
  const truth = ds.truth;
  const need = (what: string) =>
    new RangeError(
      `m2vae config "plantedFusion": ${mode} needs a planted synthetic dataset (${what})`,
    );
  if (truth === undefined) throw need("its truth");
  let gateLogits: tf.Tensor2D | null = null, alpha: tf.Tensor2D | null = null;
  if (mode === "gates" || mode === "both") {
    if (truth.views.join() !== views.join()) throw need(`views ${views.join(", ")}`);
    const w = truth.userViewWeights;
    gateLogits = tf.tensor2d(w.map((x) => Math.log(Math.max(x, 1e-12))), [numUsers, views.length]);
  }
  if (mode === "alpha" || mode === "both") {
    const a = truth.userCommonWeights;
    if (a === undefined) throw need("planted common shares, commonSpread > 0");
    alpha = tf.tensor2d(a, [numUsers, 1]);
  }
  return { gateLogits, alpha };
}
