/**
 * The nine named M2VAE variants of the paper's Table 4 (section Ablation Study) as config
 * patches: each switches one part of the computation off or replaces it.
 *
 * @module
 */
import { checkM2vaeConfig, type M2vaeConfig } from "./config.ts";

/**
 * The paper-literal reading of every option whose toolkit default differs (see
 * configs/models/m2vae.yaml for why each default was chosen on validation): the fused
 * posterior as Eq. 24's prior with the summed joint, heads starting at σ = 1, unannealed and
 * unfloored KLs at weight 1 summed over views, the raw product gate logit at τ = 1, and the
 * ML-20M α at the author's per-batch scale.
 */
export const PAPER_READINGS: Readonly<Partial<M2vaeConfig>> = {
  prior: "fused",
  joint: "sum",
  logVarInit: 0,
  klWeight: 1,
  klJointScale: 1,
  klWarmup: 0,
  freeBits: 0,
  klViews: "sum",
  gateLogit: "product",
  gateKl: "train",
  tauGate: 1,
  alpha: 10,
  reduction: "author",
  idBprWeight: 0,
  idDropout: 0,
  negFusion: "positive",
  rankLoss: "bpr",
  attributePool: "attention",
  rankNegatives: "users",
  sharedNegatives: 0,
  tauRank: 1,
};

/** Table 4's variants by their names in the paper, and `paper` (the paper-literal readings). */
export const M2VAE_VARIANTS: Readonly<Record<string, Partial<M2vaeConfig>>> = {
  /** The full model. */
  "full": {},
  /** No PoE common view; the fusion runs over the unique views only. */
  "w/o common": { commonView: false },
  /** GoRec-style: the common view is generated from the concatenated raw views. */
  "early generate": { earlyGenerate: true },
  /** No modality self-gate: u_v = u. */
  "w/o SG": { selfGate: false },
  /** Unique views averaged with equal weights. */
  "w/o M-MoE": { modalityMoe: false },
  /** α fixed at ½. */
  "w/o V-MoE": { viewMoe: false },
  /** MVGAE-style weighted PoE over the common and unique views instead of the MoE fusion. */
  "weighted PoE": { fusion: "weightedPoe" },
  /** No disentangled contrastive loss (α = 0). */
  "w/o DCL": { alpha: 0 },
  /** No co-occurrence contrastive loss (β = 0). */
  "w/o Co-CL": { beta: 0 },
  /** The full model under the paper-literal readings (not a Table 4 row; see PAPER_READINGS). */
  "paper": PAPER_READINGS,
};

/** The patch of a named variant; an unknown name is a RangeError listing the variants. */
export function resolveVariant(name: string): Partial<M2vaeConfig> {
  const patch = M2VAE_VARIANTS[name];
  if (patch === undefined) {
    const known = Object.keys(M2VAE_VARIANTS).map((n) => `"${n}"`).join(", ");
    throw new RangeError(`Unknown M2VAE variant "${name}": variants are ${known}`);
  }
  return patch;
}

/**
 * The effective config: `cfg` with its `variant`'s patch applied on top (the patch wins over
 * the switches it sets), then checked.
 */
export function applyVariant(cfg: M2vaeConfig): M2vaeConfig {
  return checkM2vaeConfig({ ...cfg, ...resolveVariant(cfg.variant) });
}
