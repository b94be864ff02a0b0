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

/** A part of M2VAE that cannot act on a dataset, the Table 4 variant that removes it, and why. */
export interface InertPart {
  /** The part, as the paper names it. */
  part: string;
  /** The Table 4 variant that switches it off (and so trains the full model, up to its draws). */
  variant: string;
  /** Why it cannot act. */
  reason: string;
}

/**
 * The parts of M2VAE under `cfg` that cannot act on a dataset with `views` unique content views
 * (the attribute view and one per dense modality; amazon-s3rec and citeulike-a have one).
 *
 * - The weighted-PoE fusion has no modality gates, self-gate or α at all.
 * - Without a common view there is no α to weigh it.
 * - With one view, the modality gates are a softmax over one logit, 1 for every user and item,
 *   so M-MoE and its self-gate never change the fused posterior; and the PoE common view of one
 *   expert is that expert (its log-variance up to the PoE's ε, 10⁻⁸ by default), so α blends
 *   the view with itself — unless the common view is generated from the raw views (`early
 *   generate`). The fused posterior then does not depend on the user (the user-awareness gap
 *   is 0).
 *
 * The variants named here train the full model's function; they differ from it only in the
 * initial values of the parameters created after the ones they leave out (the network draws
 * its parameters from one stream), as another initialisation would. Tested in variants_test.ts:
 * training from the same start with those parts' parameters redrawn moves no score on one view
 * and does on two.
 *
 * @example Usage
 * ```ts
 * import { M2VAE_DEFAULTS } from "./config.ts";
 * inertParts(1, M2VAE_DEFAULTS).map((p) => p.variant); // ["w/o M-MoE", "w/o SG", "w/o V-MoE"]
 * inertParts(4, M2VAE_DEFAULTS); // []
 * ```
 */
export function inertParts(
  views: number,
  cfg: Pick<M2vaeConfig, "fusion" | "commonView" | "earlyGenerate">,
): InertPart[] {
  if (cfg.fusion !== "moe") {
    const reason = "the weighted-PoE fusion has no gates";
    return [
      { part: "modality gates (M-MoE)", variant: "w/o M-MoE", reason },
      { part: "modality self-gate", variant: "w/o SG", reason },
      { part: "view gate α (V-MoE)", variant: "w/o V-MoE", reason },
    ];
  }
  const parts: InertPart[] = [];
  if (views === 1) {
    const gates = "a softmax over one view is 1 for every user and item";
    parts.push(
      { part: "modality gates (M-MoE)", variant: "w/o M-MoE", reason: gates },
      { part: "modality self-gate", variant: "w/o SG", reason: "it feeds only the modality gates" },
    );
  }
  if (!cfg.commonView) {
    parts.push({
      part: "view gate α (V-MoE)",
      variant: "w/o V-MoE",
      reason: "without a common view there is nothing for α to weigh",
    });
  } else if (views === 1 && !cfg.earlyGenerate) {
    parts.push({
      part: "view gate α (V-MoE)",
      variant: "w/o V-MoE",
      reason:
        "the common view, a product of one expert, is that expert, so α blends it with itself",
    });
  }
  return parts;
}

/**
 * Why the Table 4 `variant` of a row with config `cfg` trains the full model's function on a
 * dataset with `views` content views (see {@linkcode inertParts}), or undefined when it does
 * not (or is `full` itself). Whether the row runs the full row's configuration is the caller's
 * to check.
 *
 * @example Usage
 * ```ts
 * import { M2VAE_DEFAULTS } from "./config.ts";
 * sameAsFull("w/o M-MoE", 1, M2VAE_DEFAULTS); // "a softmax over one view is 1 for every user and item"
 * sameAsFull("w/o M-MoE", 4, M2VAE_DEFAULTS); // undefined
 * ```
 */
export function sameAsFull(
  variant: string,
  views: number,
  cfg: Pick<M2vaeConfig, "fusion" | "commonView" | "earlyGenerate">,
): string | undefined {
  // The three variants inertParts names leave these switches as they are, so the row's config
  // says whether the full model has the part.
  return inertParts(views, cfg).find((p) => p.variant === variant)?.reason;
}
