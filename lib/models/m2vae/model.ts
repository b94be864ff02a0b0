/**
 * M2VAE as a `ColdStartModel` (He et al., AAAI 2026, section Methodology "Optimization",
 * Eqs. 23–28): one training step computes
 *   L = MSE(e_i, e_new) + KL(q(z|e,a,c) ‖ p(z_f|a,c)) + Σ_v KL(q(z_v|v) ‖ N(0, I))
 *       + BPR + α·L_disentangle + β·L_co,
 * logging every term. Per-item work (views, heads, PoE, L_disentangle) runs once per distinct
 * anchor item of the batch; the user-dependent fusion, decoder, BPR and L_co run per row.
 *
 * Reading taken (loss scale): the paper's α and β were tuned on the author's code, where BPR,
 * the KL terms and L_co are sums over the batch rows and the reconstruction and L_disentangle
 * are batch means (ColdRec's port of model_hi_moe.py). `reduction: author` (the default) keeps
 * those relative weights; with every term a plain mean, α = 10 lets L_disentangle swamp BPR and
 * the model stays near chance on the synthetic set.
 *
 * Readings that decide whether the mechanisms act (each a named option, config.ts; the `paper`
 * variant restores the literal one; the diagnostics in diagnostics.ts measure the difference):
 * - Eq. 24's prior is the fused feature posterior itself (`prior: fused`; the paper names no
 *   separate network) and the joint of Eq. 17 averages the ID expert and the feature posterior
 *   (`joint: mean`): with the printed sum, KL(q ‖ q_f) has no gradient w.r.t. μ_f at all, so the
 *   ID expert's collaborative signal never reaches the content posterior that cold items use.
 *   `prior: learned` gives the prior its own network over the raw views instead (prior.ts).
 * - The Gaussian heads start at logσ² = −4 and the KLs weigh 0.01: at σ = 1 and weight 1 the
 *   per-view KLs, summed over d dimensions, hold every posterior at N(0, I), z is noise and the
 *   decoder learns to ignore it (0 active units, measured).
 * - Gate logits are the cosine of the self-gated user u_v and w_v over τ = 0.2 (`gateLogit:
 *   user`): the printed product of three small vectors keeps every gate at 1/V (`product`), and
 *   with the item in the cosine (`cosine`, u_v against z_v ⊙ z_com ⊙ w_v) one user's items are
 *   read through different views item by item. Chosen on validation: lastfm +0.009 NDCG@10
 *   over 3 paired seeds; planted set at d = 16, 40 epochs: gates follow the planted weights at
 *   r 0.77 against 0.46 under gateKl stop (docs/m2vae_mechanisms.md).
 * - One loss trains everything (`gateKl: train`, the paper's reading, kept): Eq. 24's KL then
 *   trains the gates and α too, and it is lowest when they pick a view whose posterior sits at
 *   the prior (measured: planted set at d = 16 after 15 epochs, attribute gate 0.84 and HR@5
 *   0.143 against 0.397 for equal gates; trained to convergence 0.503, and 0.584 for equal gates
 *   under `gateKl: stop`). `gateKl: stop` holds them constant in the KL (planted +0.019 HR@5 at
 *   d = 128, +0.055 at d = 16 converged; lastfm validation −0.009 NDCG@10, so not the default).
 * - Eq. 27's x_u⁻ comes from the negative user's own fused e_new(u⁻, i) (`negFusion: own`), as
 *   cold inference scores each user; the positive user's e_new(u, i)·e_u⁻ (`positive`) trains a
 *   score that inference never computes once the gates respond to the user. Measured (1 seed,
 *   15 epochs, planted synthetic): valid NDCG@10 0.6998 → 0.7156; on lastfm no difference
 *   beyond seed noise at 10 epochs.
 * - The ranking term contrasts the user's positive item with a negative item the user has not
 *   interacted with (`rankNegatives: items`, chosen on validation: lastfm +0.030 NDCG@10 over 5
 *   paired seeds, ahead on the planted set), where Eq. 27 contrasts the item's user with a
 *   negative user (`users`, the paper's, kept by the `paper` variant).
 * - Two CLCRec ingredients are options, measured on lastfm and left off (docs/results/lastfm.md): the item-side
 *   term over k negative items (`rankItemNegatives`) and a content–ID InfoNCE on μ_f
 *   (`contentAlign`). `sharedNegatives: K` sets the item-side term against K negative items
 *   shared by the batch, scored from the means in factorised form (shared_negatives.ts).
 * - Eq. 23 reconstructs e_i from the user's fused e_new(u, i) (`reconFusion: fused`, the paper).
 *   `even` asks it of the item's views mixed without the user (gates 1/V, α ½), since e_i
 *   belongs to the item alone; measured on the planted set with planted common shares (3 seeds,
 *   d = 16, 40 epochs), validation NDCG@10 0.665 → 0.527 (and 0.41 without the reconstruction):
 *   the reconstruction through the user's own fusion is the content path's main signal there.
 * - `gateBalance` (ours, off by default) adds MoE load balancing on the modality gates, which on
 *   every set measured lean on the attribute view (0.76–0.91). At weight 1 the views are used
 *   evenly, but it does not pay: lastfm (3 seeds) test HR@5 0.2776 between the learned gates'
 *   0.2742 and equal gates' 0.2816, validation level; on the planted sets below the learned gates.
 * Cold inference decodes z = μ_f(u, i).
 *
 * @module
 */
import { M2VAE_VARIANTS, resolveVariant } from "./variants.ts";
import type { PlantedTruth } from "../../data/dataset.ts";
import { m2vaeDiagnostics } from "./diagnostics.ts";
import { blendViews } from "./view_moe.ts";
import { DIAGNOSTIC_ITEMS, evenlySpaced } from "../../train/trainer.ts";
import { type Adjacency, buildAdjacency } from "../../train/interaction_index.ts";
import type { ColdStartModel, ModelContext, ModelSpec } from "../model.ts";
import { warmEmbeddings } from "../common/warm_embeddings.ts";
import {
  bprFromScores,
  bprUsers,
  coOccurrenceLoss,
  gateBalance,
  type Gaussian,
  gaussianKl,
  gaussianRows,
  l2normalize,
  type Lookup,
  nceToColumns,
  type NoiseSource,
  type Optimizer,
  ParamSet,
  reconstruction,
  reparameterise,
  repeatEach,
  rngNoise,
  rowDot,
  rows,
  standardKl,
  stopGradient,
  uniqueIndex,
} from "../../nn/mod.ts";
import type { Scorer } from "../../eval/scorer.ts";
import type { TrainBatch } from "../../train/sampler.ts";
import { tf } from "../../tf/mod.ts";
import { M2VAE_DEFAULTS, type M2vaeConfig } from "./config.ts";
import { decode } from "./decoder.ts";
import { disentangleChance, disentangleLoss } from "./disentangle.ts";
import type { Rng } from "../../rng/mod.ts";
import { type JointMode, jointPosterior } from "./joint.ts";
import { M2vaeNetwork } from "./network.ts";
import { explainPair, type Explanation, latentMeans } from "./interpret.ts";
import { m2vaeScorer } from "./scorer.ts";
import { applyVariant } from "./variants.ts";
import { inBatchRank, itemSideRank, leadingNegatives } from "./ranking.ts";
import { negativePool, sharedNegativeRank } from "./shared_negatives.ts";

/** M2VAE with its interpretability hook. */
export class M2vae implements ColdStartModel {
  readonly name = "m2vae";
  readonly params = new ParamSet();
  readonly needs;
  /** The effective config (the variant's patch applied). */
  readonly config: M2vaeConfig;
  readonly net: M2vaeNetwork;
  readonly #noise: NoiseSource;
  readonly #numItems: number;
  readonly #truth: PlantedTruth | undefined;
  readonly #dropRng: Rng;
  /** Warm items on which the ID expert's health is measured. */
  readonly #warmSample: Int32Array;
  /** Each user's training items, for the shared negatives' mask (`sharedNegatives` > 0). */
  readonly #seen: Adjacency | null;

  constructor(cfg: M2vaeConfig, ctx: ModelContext) {
    this.config = applyVariant(cfg);
    this.net = new M2vaeNetwork(this.params, this.config, ctx.dataset, ctx.split, ctx.rng);
    if (this.config.idInit === "bprmf") {
      // Not in the paper: start both ID tables from the BPR-MF warm start the pretrained
      // baselines use (same split, seed and cache), to measure what a learned-from-scratch
      // user table costs M2VAE. Cold rows of the pretrained item table are exactly zero.
      const warm = warmEmbeddings(ctx.split, ctx.seed ?? 0, { dim: this.config.dim }, ctx.cacheDir);
      this.net.users.data.set(warm.users);
      this.net.items.data.set(warm.items);
    }
    this.needs = { negUsers: true, cp: this.config.cp, cn: this.config.cn };
    this.#noise = rngNoise(ctx.rng.fork("reparameterisation"));
    this.#dropRng = ctx.rng.fork("id-dropout");
    this.#numItems = ctx.split.numItems;
    this.#truth = ctx.dataset.truth;
    this.#warmSample = evenlySpaced(ctx.split.trainItems, DIAGNOSTIC_ITEMS);
    this.#seen = this.config.sharedNegatives > 0
      ? buildAdjacency(ctx.split.train.users, ctx.split.train.items, ctx.split.numUsers)
      : null;
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const cfg = this.config, net = this.net, noise = this.#noise;
    const b = batch.users.length;
    // The warm-up counts this run's steps from the optimizer (one step per batch), so a run
    // continued from a saved state carries on where it stopped.
    const klWeight = cfg.klWarmup > 0
      ? cfg.klWeight * Math.min(1, (opt.stepCount + 1) / cfg.klWarmup)
      : cfg.klWeight;
    const anchors = uniqueIndex(batch.items, this.#numItems);
    const lookups: Lookup[] = [
      { table: net.users, ids: batch.users },
      { table: net.users, ids: batch.negUsers },
      { table: net.items, ids: anchors.unique },
    ];
    const coIds = new Int32Array(batch.posItems.length + batch.negItems.length);
    coIds.set(batch.posItems);
    coIds.set(batch.negItems, batch.posItems.length);
    const co = cfg.beta > 0 ? uniqueIndex(coIds, this.#numItems) : null;
    // `rankNegatives: items | both`: each row's first k L_co negative items (ones the user has
    // not interacted with) are the negatives of the item-side term (`rankItemNegatives` = k).
    const shared = cfg.rankNegatives === "users" || cfg.sharedNegatives === 0
      ? null
      : negativePool(batch.negItems, cfg.sharedNegatives);
    const k = cfg.rankNegatives === "users" || shared !== null ? 0 : cfg.rankItemNegatives;
    const negItems = k === 0 ? null : uniqueIndex(leadingNegatives(batch, k), this.#numItems);
    const negAt = negItems === null
      ? -1
      : lookups.push({ table: net.items, ids: negItems.unique }) - 1;
    const coAt = co === null ? -1 : lookups.push({ table: net.items, ids: co.unique }) - 1;
    const poolAt = shared === null ? -1 : lookups.push({ table: net.items, ids: shared }) - 1;
    return opt.step(lookups, (looked) => {
      const [u, uNeg, eUnique] = looked;
      const cand = looked[coAt];
      const enc = net.encodeItems(anchors.unique, noise);
      const idx = tf.tensor1d(anchors.index, "int32");
      const fusion = net.fuse(u, enc, idx, batch.users);
      const idUnique = net.idPosterior(eUnique);
      const id = gaussianRows(idUnique, idx);
      const raws = enc.raws.map((x) => rows(x, idx));
      const { q, eNew } = this.#decodeJoint(id, fusion.posterior, raws);
      // `gateKl: stop`: Eq. 24's KL reads the fused posterior with the fusion weights constant.
      const stop = cfg.gateKl === "stop" && fusion.gates !== null;
      const klContent = stop
        ? net.mixPosterior(
          enc,
          idx,
          stopGradient(fusion.gates!),
          fusion.commonWeight === null ? null : stopGradient(fusion.commonWeight),
        )
        : fusion.posterior;
      const klQ = stop ? jointPosterior(id, klContent, cfg.joint as JointMode) : q;
      const learned = net.conditionalPrior(enc.raws);
      const prior = learned === null ? klContent : gaussianRows(learned, idx);
      // Eq. 27's x_u⁻: the negative user's score from its own fused posterior (`negFusion:
      // own`, as cold inference scores every user), or from the positive user's e_new.
      const userNegative = (): tf.Tensor2D =>
        rowDot(
          cfg.negFusion === "own"
            ? this.#decodeJoint(id, net.fuse(uNeg, enc, idx, batch.negUsers).posterior, raws).eNew
            : eNew,
          uNeg,
        );
      const viewKls = enc.views.map((g) => standardKl(g, cfg.freeBits));
      const klViews = tf.addN(viewKls) as tf.Scalar;
      // `reconFusion: even`: Eq. 23 reads the item's views mixed without the user — per item
      // work, so mixed once per distinct anchor item and gathered to the rows.
      const eRecon = cfg.reconFusion === "even" && fusion.gates !== null
        ? this.#decodeJoint(id, gaussianRows(net.evenPosterior(enc), idx), raws).eNew
        : eNew;
      const terms: Record<string, tf.Scalar> = {
        recon: reconstruction(rows(eUnique, idx), eRecon),
        klJoint: gaussianKl(klQ, prior, cfg.freeBits),
        klViews: cfg.klViews === "mean" ? tf.div(klViews, viewKls.length) : klViews,
      };
      // The ranking term: Eq. 27's BPR, or the in-batch softmax over users and items; and/or
      // BPR against a negative item for the same user (`rankNegatives`).
      const rankParts: tf.Scalar[] = [];
      if (cfg.rankNegatives !== "items") {
        const bprNeg = userNegative();
        if (cfg.rankLoss === "inbatch") {
          terms.rank = inBatchRank(eNew, u, bprNeg, batch, cfg.tauRank);
        } else terms.bpr = bprFromScores(rowDot(eNew, u), bprNeg);
        rankParts.push(terms.bpr ?? terms.rank);
      }
      if (negItems !== null) {
        const encN = net.encodeItems(negItems.unique, noise);
        const idxN = tf.tensor1d(negItems.index, "int32");
        // Row r's k negatives are rows r·k … r·k + k − 1, each fused for row r's user.
        const rowOf = repeatEach(b, k);
        const uN = k === 1 ? u : rows(u, tf.tensor1d(rowOf, "int32"));
        const { eNew: eN } = this.#decodeJoint(
          gaussianRows(net.idPosterior(looked[negAt]), idxN),
          net.fuse(uN, encN, idxN, k === 1 ? batch.users : rowOf.map((r) => batch.users[r]))
            .posterior,
          encN.raws.map((x) => rows(x, idxN)),
        );
        const name = k === 1 ? "bprItem" : "rankItem";
        terms[name] = itemSideRank(rowDot(eNew, u), rowDot(eN, uN), k, cfg.tauRank);
        if (k > 1) terms["chance.rankItem"] = tf.scalar(Math.log(1 + k));
        rankParts.push(terms[name]);
      }
      if (shared !== null) {
        // `sharedNegatives`: the row's positive against the batch's shared pool, from the means.
        terms.rankShared = sharedNegativeRank(net, {
          u,
          users: batch.users,
          seen: this.#seen,
          anchors: { enc, id: idUnique, index: anchors.index, unique: anchors.unique },
          pool: {
            items: shared,
            enc: net.encodeItems(shared, null),
            id: net.idPosterior(looked[poolAt]),
          },
        }, cfg.tauRank).loss;
        terms["chance.rankShared"] = tf.scalar(Math.log(1 + shared.length));
        rankParts.push(terms.rankShared);
      }
      // `author` reduction: the batch-mean terms get weight 1/B next to the batch-summed ones
      // (the whole loss divided by B, to which Adam is insensitive).
      const perBatch = cfg.reduction === "author" ? 1 / b : 1;
      const parts: tf.Scalar[] = [
        tf.mul(terms.recon, cfg.reconWeight * perBatch),
        tf.mul(terms.klJoint, klWeight * cfg.klJointScale),
        tf.mul(terms.klViews, klWeight),
        ...rankParts,
      ];
      if (cfg.gateBalance > 0 && fusion.gates !== null && fusion.gates.shape[1] > 1) {
        // The modality gates' load balance over the batch rows (Shazeer et al. 2017).
        terms.gateBalance = gateBalance(fusion.gates);
        parts.push(tf.mul(terms.gateBalance, cfg.gateBalance));
      }
      if (cfg.idBprWeight > 0) {
        terms.bprId = bprUsers(rows(eUnique, idx), u, uNeg);
        parts.push(tf.mul(terms.bprId, cfg.idBprWeight));
      }
      if (cfg.viewRankWeight > 0 && enc.views.length > 0) {
        // Each unique view alone ranks the row's user over Eq. 27's negative user: its latent
        // sample decoded with its own raw view only (per distinct item, gathered to the rows).
        const dec = net.dec;
        const perView = enc.zViews.map((zV, v) => {
          const alone = dec.wCond.length === 0 ? dec : { ...dec, wCond: [dec.wCond[v]] };
          return bprUsers(rows(decode(alone, zV, [enc.raws[v]]), idx), u, uNeg);
        });
        terms.viewRank = tf.div(tf.addN(perView), perView.length);
        parts.push(tf.mul(terms.viewRank, cfg.viewRankWeight));
      }
      if (cfg.alpha > 0) {
        terms.disentangle = disentangleLoss(enc.zViews, enc.raws, enc.zCom, cfg.tauDcl);
        parts.push(tf.mul(terms.disentangle, cfg.alpha * perBatch));
        // Its chance level for this batch's distinct items (logged beside it, never trained).
        terms["chance.disentangle"] = tf.scalar(
          disentangleChance(enc.views.length, anchors.unique.length, enc.zCom !== null),
        );
      }
      if (cfg.contentAlign > 0) {
        // Row r's fused content mean against the ID-expert means of the batch's distinct items;
        // its target is its own item's column (chance: ln of the distinct items).
        const muE = l2normalize(idUnique.mu);
        const muF = l2normalize(fusion.posterior.mu);
        const s = tf.matMul(muF, muE, false, true) as tf.Tensor2D;
        terms.align = nceToColumns(s, anchors.index, cfg.tauCo);
        terms["chance.align"] = tf.scalar(Math.log(anchors.unique.length));
        parts.push(tf.mul(terms.align, cfg.contentAlign));
      }
      if (co !== null) {
        const split = b * cfg.cp;
        terms.co = coOccurrenceLoss(
          eNew,
          cand,
          co.index.subarray(0, split),
          co.index.subarray(split),
          cfg.cp,
          cfg.cn,
          cfg.tauCo,
        );
        parts.push(tf.mul(terms.co, cfg.beta));
      }
      return { loss: tf.addN(parts) as tf.Scalar, terms };
    });
  }

  /**
   * Eqs. 17, 8 and 19 for rows whose ID expert is `id` and fused feature posterior `content`:
   * the joint q, a sample of it (or of `content` alone, `idDropout`), and its decoding e_new.
   */
  #decodeJoint(
    id: Gaussian,
    content: Gaussian,
    raws: tf.Tensor2D[],
  ): { q: Gaussian; eNew: tf.Tensor2D } {
    const q = jointPosterior(id, content, this.config.joint as JointMode);
    const z = reparameterise(this.#dropId(q, content), this.#noise);
    return { q, eNew: decode(this.net.dec, z, raws) };
  }

  /**
   * `idDropout`: each row keeps the joint q with probability 1 − p, else takes the content
   * posterior alone (what cold inference decodes). The KL terms still use the joint.
   */
  #dropId(q: Gaussian, content: Gaussian): Gaussian {
    const p = this.config.idDropout;
    if (p <= 0) return q;
    const n = q.mu.shape[0], keep = new Float32Array(n);
    for (let r = 0; r < n; r++) keep[r] = this.#dropRng.uniform() < p ? 0 : 1;
    return blendViews(tf.tensor2d(keep, [n, 1]), q, content);
  }

  scorer(): Scorer {
    return m2vaeScorer(this.net, this.config.inference === "shared" ? "shared" : "exact");
  }

  /** Posterior health, gates, α and L_disentangle against chance (see diagnostics.ts). */
  diagnostics(items: Int32Array, users: Int32Array): Record<string, number> {
    return m2vaeDiagnostics(this.net, items, users, this.#warmSample, this.#truth);
  }

  /**
   * Probes of the same parameters, so the engine records main − probe at every validation:
   * `shared` (common view only; the user-awareness gap, none when scoring does not depend on the
   * user anyway) and `noLatent` (z = 0: what the latent path adds over the decoder's raw-view
   * path; near 0 means the VAE part of the model is not used at inference).
   */
  alternativeScorers(): Record<string, Scorer> {
    const out: Record<string, Scorer> = { noLatent: m2vaeScorer(this.net, "noLatent") };
    if (this.config.inference !== "shared" && this.net.poeLogWeights === null) {
      out.shared = m2vaeScorer(this.net, "shared");
    }
    return out;
  }

  /**
   * The modality gates and α for one (user, item) pair (interpret.ts).
   *
   * @throws RangeError for the "weighted PoE" variant, which has no gates.
   */
  explain(user: number, item: number): Explanation {
    return explainPair(this.net, user, item);
  }

  /** The latent means of the views of `items` (interpret.ts). */
  latentMeans(items: Int32Array): Record<string, Float32Array> {
    return latentMeans(this.net, items);
  }

  dispose(): void {
    this.params.dispose();
    this.net.dispose();
  }
}

/** Builds M2VAE (the variant named in `cfg.variant` applied). */
export function createM2vae(cfg: M2vaeConfig, ctx: ModelContext): M2vae {
  return new M2vae(cfg, ctx);
}

/** Registry entry of M2VAE. */
export const m2vaeSpec: ModelSpec<M2vaeConfig> = {
  name: "m2vae",
  label: "M2VAE",
  family: "ours",
  reference: "He et al., AAAI 2026, Eqs. 2–28; readings noted in lib/models/m2vae/",
  defaults: M2VAE_DEFAULTS,
  variants: Object.keys(M2VAE_VARIANTS),
  pinnedBy: (variant) => Object.keys(resolveVariant(variant)),
  neutralConfig: {
    decoderRaws: true,
    rankLoss: "bpr",
    tauRank: 1,
    attributePool: "attention",
    rankNegatives: "users",
    attrInitStd: 0.1,
    rankItemNegatives: 1,
    contentAlign: 0,
    sharedNegatives: 0,
    gateKl: "train",
    plantedFusion: "off",
    reconFusion: "fused",
    gateBalance: 0,
    viewRankWeight: 0,
  },
  check: (cfg) => {
    const c = applyVariant(cfg);
    if (c.rankLoss === "inbatch" && c.rankNegatives === "items") {
      throw new RangeError(
        'm2vae config "rankLoss": inbatch stands in for the user-side term, which rankNegatives: items leaves out (set rankNegatives: users or both)',
      );
    }
  },
  create: (cfg, ctx) => new M2vae(cfg, ctx),
};
