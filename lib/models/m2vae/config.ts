/**
 * M2VAE hyperparameters (He et al., AAAI 2026, section Methodology, Eqs. 2–28, and section
 * Hyperparameter Settings) with the switches of the ablation variants of Table 4.
 *
 * @module
 */

import { checkModelConfig } from "../config_schema.ts";

/** Every hyperparameter of M2VAE. Strings are enums; `checkM2vaeConfig` validates them. */
export interface M2vaeConfig extends Record<string, unknown> {
  /** Named variant (see `M2VAE_VARIANTS`) whose patch is applied over this config. */
  variant: string;
  /** Latent and embedding size d (paper: 128). Also the size of every view a_i, c_i. */
  dim: number;
  /** Hidden units of the decoder MLP F (Eq. 19). */
  decoderHidden: number;
  /** Hidden units of the attention-pooling scorer (Eq. 4). */
  attnHidden: number;
  /** Hidden units of the view-MoE MLP (Eq. 15). */
  gateHidden: number;
  /** Std of the normal initialisation of the user and item ID tables. */
  initStd: number;
  /**
   * ID tables' start: `random` (normal, `initStd`; the paper) or `bprmf`, the toolkit's BPR-MF
   * pretraining at width `dim` on the training interactions (ours; the warm start GoRec, CVAR
   * and the other pretrained baselines get). Cold items' rows stay untrained either way.
   */
  idInit: string;
  /** Temperature τ of the disentangled contrastive loss (Eq. 9). */
  tauDcl: number;
  /** Temperature τ of the co-occurrence contrastive loss (Eqs. 20–22). */
  tauCo: number;
  /** Temperature τ of the modality gates (Eq. 13). */
  tauGate: number;
  /** Weight α of L_disentangle (Eq. 28). */
  alpha: number;
  /** Weight β of L_co (Eq. 28). */
  beta: number;
  /** Weight of the KL terms (Eqs. 24–25); 1 in the paper. */
  klWeight: number;
  /**
   * Multiplier of Eq. 24's KL (the joint posterior against its prior) on top of `klWeight`
   * (1 in the paper): the KL that carries the ID expert's collaborative signal into the content
   * posterior can then pull harder than the per-view KLs to N(0, I), which only regularise.
   */
  klJointScale: number;
  /** Weight of the reconstruction term (Eq. 26); 1 in the paper. */
  reconWeight: number;
  /** Co-occurring positive warm items per row, c_p. */
  cp: number;
  /** Negative warm items per row, c_n. */
  cn: number;
  /**
   * How the terms are reduced over batch rows: `author` weighs them per row as the author's
   * code does (BPR, KL and L_co summed over rows, reconstruction and L_disentangle averaged),
   * the scale at which the paper's α and β were tuned; `mean` averages every term.
   */
  reduction: string;
  /** ε of the PoE precision (Eq. 6). */
  poeEps: number;
  /** Joint posterior (Eq. 17): `sum` as in the paper, or `mean` as the public PyTorch port. */
  joint: string;
  /** Cold inference: `exact` (user-conditioned μ_f(u, i)) or `shared` (common view only). */
  inference: string;
  /** false = variant "w/o common": no PoE common view, fusion over the unique views only. */
  commonView: boolean;
  /** true = variant "early generate": the common view from the concatenated raw views. */
  earlyGenerate: boolean;
  /** false = variant "w/o SG": u_v = u (Eq. 11 without the self-gate). */
  selfGate: boolean;
  /** false = variant "w/o M-MoE": unique views averaged with equal weights (Eq. 14). */
  modalityMoe: boolean;
  /** false = variant "w/o V-MoE": α fixed at ½ (Eq. 16). */
  viewMoe: boolean;
  /** `moe` (Eqs. 11–16) or `weightedPoe` (variant "weighted PoE", MVGAE-style). */
  fusion: string;
  /**
   * Eq. 24's prior p(z | a, c). `fused`: the fused feature posterior itself (the paper's
   * words); with `joint: sum` that KL has no gradient w.r.t. μ_f, so no collaborative signal
   * reaches the content posterior through it. `learned`: a conditional prior network over the
   * raw attribute and modality views (the authors' code), so the KL moves both sides.
   */
  prior: string;
  /** Initial bias of every Gaussian head's log σ² (0: σ = 1 at the start, the paper's default). */
  logVarInit: number;
  /** Steps over which the KL weight rises linearly from 0 to `klWeight` (0: no warm-up). */
  klWarmup: number;
  /** Free bits: each posterior's KL per dimension is floored at this many nats (0: none). */
  freeBits: number;
  /** The per-view KLs of Eq. 25: `sum` (paper) or `mean` over the views (authors' code). */
  klViews: string;
  /**
   * The gate logit of Eq. 12: `product`, (u_v ⊙ z_v ⊙ z_com)·w_v as printed, or `cosine`, the
   * cosine of the user side u_v and the item side z_v ⊙ z_com ⊙ w_v divided by `tauGate`, or
   * `user` (ours), the cosine of u_v and w_v alone over `tauGate`: each user weighs the views
   * the same way for every item. With the item in the logit, one user's items are read through
   * different views item by item, so the user's ranking compares items on different scales.
   * `user` is the default, chosen on validation (docs/m2vae_mechanisms.md: lastfm 3 paired seeds, planted set).
   */
  gateLogit: string;
  /**
   * Whether Eq. 24's KL trains the fusion weights (the modality gates and α): `train` (the
   * paper: one loss, every gradient) or `stop` (ours: the KL sees the fused posterior with the
   * weights held constant, so they learn from the ranking, reconstruction and contrastive terms
   * only). A view whose posterior stays at the prior costs no KL, so under `train` the gates can
   * lower the loss by moving onto the least informative view.
   */
  gateKl: string;
  /** Weight of an extra BPR term on the raw ID embedding e_i (the authors' code; 0 = off). */
  idBprWeight: number;
  /**
   * Probability that a training row decodes a sample of the content posterior q(z_f | u, a, c)
   * alone instead of the joint with the ID expert (Eq. 17) — what cold inference decodes (ours,
   * DropoutNet's input dropout applied to the ID expert; 0 = the paper, always the joint).
   */
  idDropout: number;
  /**
   * Eq. 27's negative user u⁻ is scored with `own`: its own fused posterior
   * e_new(u⁻, i)·e_u⁻, as cold inference scores every user; or `positive`: the positive user's
   * e_new(u, i)·e_u⁻. With gates and α that respond to the user, `positive` lets the fusion
   * encode the user itself into e_new — a shortcut that lowers the training BPR while cold
   * ranking, which scores each user with its own e_new, gets worse.
   */
  negFusion: string;
  /**
   * The ranking term in Eq. 27's place: `bpr` — BPR against one sampled negative user per row
   * (the paper) — or `inbatch` — a softmax over the batch (ours, CLCRec's InfoNCE form): each
   * row's item e_new(u, i) against every user of the batch (plus the sampled negative user,
   * scored as `negFusion` says), and each row's user against every row's e_new, at temperature
   * `tauRank`; a row repeating the positive user or item is masked rather than pushed away.
   */
  rankLoss: string;
  /**
   * Temperature of the item-side softmax (`sharedNegatives`, `rankItemNegatives` > 1) and of
   * `rankLoss: inbatch`, on the raw dot products e_new·e_u (ours).
   */
  tauRank: number;
  /**
   * Eq. 19's decoder reads [z; a_i; c_i…] (`true`, the paper) or z alone (`false`, ours): with
   * the raw views beside z, the decoder can rank from them directly and leave z — and with it
   * the common view, the gates and α — without a say in the ranking (gap.noLatent measures it).
   */
  decoderRaws: boolean;
  /**
   * How the attribute view a_i pools an item's attribute embeddings: `attention` (the paper's
   * attention pooling, Eq. 3) or `mean` (ours: the plain mean of the same table, the attribute
   * view of CLCRec and VMoSE here; the attention scorer is then unused).
   */
  attributePool: string;
  /**
   * Std of the normal initialisation of the attribute (tag) table A of Eq. 3 (ours; the paper
   * gives none, PyTorch's nn.Embedding draws N(0, 1)). The pooled a_i is a weighted mean of an
   * item's rows, so at 0.1 it enters its Gaussian head about thirty times smaller than the
   * projected modality views, and the attribute posterior's mean barely varies across items.
   */
  attrInitStd: number;
  /**
   * Whom the ranking term contrasts: `users` — Eq. 27, the item's positive user against a
   * sampled negative user (the paper) —, `items` — the user's positive item against a sampled
   * negative item the user has not interacted with, e_u·e_new(u, i⁺) vs e_u·e_new(u, i⁻), as
   * CLCRec, VMoSE and BPR-MF train (ours) —, or `both` (the two BPR terms summed; with
   * `rankLoss: inbatch` the in-batch term stands in for the user-side one). The negative item is
   * encoded, fused for u and joined with its ID expert like the positive, so neither side sees
   * more of the item than the other.
   */
  rankNegatives: string;
  /**
   * Negative items per row of the item-side ranking term (`rankNegatives: items | both`; ours):
   * 1 is a BPR against one negative item; k > 1 a sampled softmax over the positive and the
   * row's first k negative items (of the `cn` L_co draws), at temperature `tauRank`, as CLCRec
   * contrasts each user against many sampled items. Each negative is encoded, fused for the
   * row's user and decoded like the positive, so the step costs about k + 1 decodings per row.
   */
  rankItemNegatives: number;
  /**
   * Weight of a content–collaborative contrast (ours, CLCRec's and CCFCRec's content/ID
   * InfoNCE moved into M2VAE's latent space; 0 = off, the paper): each row's fused content
   * posterior mean μ_f(u, i) must pick its own item's ID-expert mean μ_e(i) out of those of the
   * batch's distinct items, by cosine at temperature `tauCo`. Eq. 24's KL pulls μ_f toward the
   * joint only by its squared distance, weighted by `klWeight`; this term asks μ_f to tell items
   * apart the way the ID expert does, so cold items' posteriors carry collaborative signal.
   */
  contentAlign: number;
  /**
   * Negative items shared by the batch in the item-side ranking term (ours; 0 = off): each row's
   * positive against K pool items in a sampled softmax at `tauRank`, every pair scored from the
   * posterior means through its own user-aware fusion in the factorised form of exact scoring
   * (shared_negatives.ts), so K = 128 costs about one hidden layer per pair where the per-row
   * path (`rankItemNegatives`) decodes each pair fully. Replaces the per-row negatives when on;
   * like them, used only where there is an item-side term (`rankNegatives: items | both`).
   */
  sharedNegatives: number;
  /**
   * The fusion weights read from the planted truth instead of learned (ours; a ceiling for
   * analysis on planted synthetic data, never a method): `gates` sets each user's modality gates
   * to its planted view weights (normalised), `alpha` sets V-MoE's α to its planted share of the
   * common factor (`commonSpread`), `both` does both; `off` learns them (Eqs. 11–15). It answers
   * whether fusion weights that knew the truth would rank better than the learned ones.
   */
  plantedFusion: string;
  /**
   * Which e_new Eq. 23's reconstruction asks to match the item's ID embedding e_i: `fused` (the
   * paper), the decoding of the user's fused posterior e_new(u, i); or `even` (ours), the decoding
   * of the item's views mixed without the user (gates 1/V, α ½), the ranking still reading the
   * user's fusion. e_i belongs to the item alone, so under `fused` the one target asks e_new to be
   * the same for every user, which pulls the views together exactly where the gates would weigh
   * them apart; `even` asks it of a representation that belongs to the item alone. Same as `fused`
   * for the weighted-PoE variant, which has no user-dependent fusion.
   */
  reconFusion: string;
  /**
   * Weight of a load-balancing penalty on the modality gates (ours; 0 = off, the paper): the
   * squared coefficient of variation of each view's mean gate over the batch rows (Shazeer et al.
   * 2017's importance loss, `gateBalance` in lib/nn/losses.ts), added to the batch-mean ranking
   * terms' scale. Measured on lastfm, the learned gates put 0.82 of the weight on the attribute
   * view, whose posterior stays near the prior, and lose to equal gates on every seed; the
   * penalty keeps the views equally used on average and leaves each user free to lean its own way.
   * Measured at 1 (docs/m2vae_mechanisms.md "Balanced gates"): the lean goes, the ranking does not gain (lastfm level
   * with the learned gates, below equal gates; lower on both planted sets), so it stays off.
   */
  gateBalance: number;
  /**
   * Weight of a ranking term per unique view (ours, VMoSE's and MVGAE's per-expert terms; 0 =
   * off, the paper): each view's latent sample z_v, decoded with its own raw view only (Eq. 19's
   * F with the other views' inputs at zero; z_v alone under `decoderRaws: false`), must rank the
   * row's user above Eq. 27's negative user; the views' BPRs are averaged. No term of the paper
   * asks a view's posterior to carry what ranks, and the attribute view's collapses onto the
   * prior while the gates lean on it; this one does. Measured at 1 on lastfm (3 seeds, docs/m2vae_mechanisms.md
   * "What VMoSE's lead is not made of"): validation +0.011 NDCG@10 (2 of 3 seeds), test level;
   * it trains through the raw-view path (the attribute posterior stays collapsed), so it is off.
   */
  viewRankWeight: number;
}

/** Defaults for our setting; provenance in configs/models/m2vae.yaml. */
export const M2VAE_DEFAULTS: M2vaeConfig = {
  variant: "full",
  dim: 128,
  decoderHidden: 128,
  attnHidden: 64,
  gateHidden: 64,
  initStd: 0.1,
  idInit: "random",
  tauDcl: 0.1,
  tauCo: 0.1,
  tauGate: 0.2,
  alpha: 10,
  beta: 0.5,
  klWeight: 0.01,
  klJointScale: 1,
  reconWeight: 1,
  cp: 10,
  cn: 40,
  reduction: "author",
  poeEps: 1e-8,
  joint: "mean",
  inference: "exact",
  commonView: true,
  earlyGenerate: false,
  selfGate: true,
  modalityMoe: true,
  viewMoe: true,
  fusion: "moe",
  prior: "fused",
  logVarInit: -4,
  klWarmup: 0,
  freeBits: 0,
  klViews: "sum",
  gateLogit: "user",
  gateKl: "train",
  idBprWeight: 1,
  idDropout: 0,
  negFusion: "own",
  rankLoss: "bpr",
  tauRank: 8,
  decoderRaws: true,
  attributePool: "attention",
  attrInitStd: 0.1,
  rankNegatives: "items",
  rankItemNegatives: 1,
  contentAlign: 0,
  sharedNegatives: 128,
  plantedFusion: "off",
  reconFusion: "fused",
  gateBalance: 0,
  viewRankWeight: 0,
};

/**
 * Checks values and combinations against M2VAE's config schema (`lib/models/config_schema.ts`,
 * where the rules live); throws a one-line RangeError naming the key.
 */
export function checkM2vaeConfig(cfg: M2vaeConfig): M2vaeConfig {
  checkModelConfig("m2vae", cfg);
  return cfg;
}
