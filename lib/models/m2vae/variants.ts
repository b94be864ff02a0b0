/**
 * The nine named M2VAE variants of the paper's Table 4 (section Ablation Study) as config
 * patches: each switches one part of the computation off or replaces it.
 *
 * @module
 */
import { checkM2vaeConfig, type M2vaeConfig } from "./config.ts";

/** Table 4's variants by their names in the paper. */
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
