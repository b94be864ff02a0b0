/**
 * Analytic FLOP counts of M2VAE's training step and exact cold scoring, from the model's
 * dimensions, for the achieved-GFLOP/s figures of `bench.ts`. Only dense matrix products are
 * counted, at 2·m·k·n each (a multiply and an add per term); element-wise work (activations,
 * KLs, the PoE, gathers, softmaxes) is left out, so the figures are lower bounds. A training
 * step counts 3× its forward products (the backward pass computes two products of the same
 * size per forward one: the gradients of both operands), except the modality projections,
 * whose input is constant content: TF.js computes no gradient towards it, so they count 2×
 * (the forward product and the weights' gradient). The per-pair part of exact scoring is
 * not a matrix product: it counts (2k + 4) flops per decoder hidden unit per pair for k mixed
 * views (mixing 2k, the condition add, LeakyReLU and the dot with W₂e_u 4), the count
 * `kernel/bench.ts` uses (8 for k = 2).
 *
 * Forward products of one step, for b rows, n distinct anchor items with T attribute tokens,
 * V unique views (attributes + modalities), d = `dim`, h = `decoderHidden`:
 * attention pooling T·d·attnHidden + T·attnHidden; modality projections n·m_dim·d each; a
 * Gaussian head (μ and logσ²) per view and for the ID expert, 2·n·d·d each (the early-generate
 * head 2·n·Vd·d instead of the PoE); L_disentangle n·d·n per view; per fusion (the positive
 * user's, and the negative user's with `negFusion: own`): the self-gates b·d·d per view, the
 * V-MoE gate b·d·gateHidden + b·gateHidden, the decoder b·d·h (z) + b·d·h per raw view + b·h·d;
 * L_co b·(c_p + c_n)·d row dots (b·d·U against U distinct candidates where `pairMatmulFits`); the
 * learned prior n·Vd·h + 2·n·h·d; `rankLoss: inbatch` b·d·b.
 *
 * @example Usage
 * ```ts
 * import { m2vaeTrainFlops } from "./flops.ts";
 * const flops = m2vaeTrainFlops(M2VAE_DEFAULTS, [128, 1280], {
 *   batch: 1024, anchors: 600, tokens: 3000, candidates: 900,
 * });
 * const gflops = flops * stepsPerSecond / 1e9;
 * ```
 *
 * @module
 */
import { pairMatmulFits } from "../../nn/mod.ts";
import type { M2vaeConfig } from "./config.ts";
import { applyVariant } from "./variants.ts";

/** FLOPs of one dense product `[m, k] × [k, n]`. */
export function matMulFlops(m: number, k: number, n: number): number {
  return 2 * m * k * n;
}

/** The sizes of one training step's batch. */
export interface M2vaeStepSizes {
  /** Rows (interactions) of the batch. */
  batch: number;
  /** Distinct anchor items. */
  anchors: number;
  /** Attribute tokens of the distinct anchor items. */
  tokens: number;
  /** Distinct L_co candidate items (positives and negatives). */
  candidates: number;
}

/** Forward FLOPs of the item encoder (Eqs. 3–8) for n items with T tokens. */
function encodeFlops(c: M2vaeConfig, modalityDims: readonly number[], n: number, t: number) {
  const d = c.dim, views = 1 + modalityDims.length;
  let f = c.attributePool === "mean"
    ? 0
    : matMulFlops(t, d, c.attnHidden) + matMulFlops(t, c.attnHidden, 1);
  for (const m of modalityDims) f += matMulFlops(n, m, d);
  f += views * 2 * matMulFlops(n, d, d);
  if (c.earlyGenerate) f += 2 * matMulFlops(n, views * d, d);
  return f;
}

/**
 * Dense FLOPs of one training step (forward and backward: 3× the forward products, 2× for the
 * modality projections of constant content) of M2VAE
 * with config `cfg` (its variant applied here) on a dataset whose dense modalities have
 * `modalityDims` input sizes.
 */
export function m2vaeTrainFlops(
  cfg: M2vaeConfig,
  modalityDims: readonly number[],
  s: M2vaeStepSizes,
): number {
  const c = applyVariant(cfg);
  const d = c.dim, h = c.decoderHidden, views = 1 + modalityDims.length, b = s.batch;
  let f = encodeFlops(c, modalityDims, s.anchors, s.tokens);
  f += 2 * matMulFlops(s.anchors, d, d); // the ID expert's head
  if (c.prior === "learned") {
    f += matMulFlops(s.anchors, views * d, h) + 2 * matMulFlops(s.anchors, h, d);
  }
  if (c.alpha > 0) f += views * matMulFlops(s.anchors, d, s.anchors);
  const moe = c.fusion === "moe";
  let fusion = matMulFlops(b, d, h) + (c.decoderRaws ? views : 0) * matMulFlops(b, d, h) +
    matMulFlops(b, h, d);
  if (moe && c.modalityMoe && c.selfGate) fusion += views * matMulFlops(b, d, d);
  if (moe && c.commonView && c.viewMoe) {
    fusion += matMulFlops(b, d, c.gateHidden) + matMulFlops(b, c.gateHidden, 1);
  }
  const userSide = c.rankNegatives === "items" ? 0 : c.negFusion === "own" ? 1 : 0;
  f += (1 + userSide) * fusion;
  const pool = c.rankNegatives === "users" ? 0 : c.sharedNegatives;
  const negatives = c.rankNegatives === "users" || pool > 0 ? 0 : b * c.rankItemNegatives;
  if (pool > 0) {
    // Shared negatives (shared_negatives.ts): the pool encoded with its ID expert; per item of
    // the pool and of the batch, its latent matrices (ID, common, each view) and raw-view part
    // through the decoder's first layer; per row the self-gates, α and the folded output layer;
    // per (row, pool item) the gate logits and the dot over the hidden units.
    const latents = views + (c.commonView ? 2 : 1), raws = c.decoderRaws ? views : 0;
    f += encodeFlops(c, modalityDims, pool, s.tokens * pool / Math.max(1, s.anchors)) +
      2 * matMulFlops(pool, d, d) + (latents + raws) * matMulFlops(pool + s.anchors, d, h);
    if (moe && c.modalityMoe && c.selfGate) f += views * matMulFlops(b, d, d);
    if (moe && c.commonView && c.viewMoe) {
      f += matMulFlops(b, d, c.gateHidden) + matMulFlops(b, c.gateHidden, 1);
    }
    f += matMulFlops(b, d, h) + (moe && c.modalityMoe ? views * matMulFlops(b, d, pool) : 0) +
      matMulFlops(b * (pool + 1), h, 1);
  }
  if (negatives > 0) {
    // The negative items: encoded, their ID expert, fused and decoded for the row's user.
    f += encodeFlops(c, modalityDims, negatives, s.tokens * negatives / Math.max(1, s.anchors)) +
      c.rankItemNegatives * (2 * matMulFlops(b, d, d) + fusion);
  }
  if (c.rankLoss === "inbatch") f += matMulFlops(b, d, b);
  if (c.beta > 0) {
    f += pairMatmulFits(s.candidates) ? matMulFlops(b, d, s.candidates) : 2 * b * (c.cp + c.cn) * d;
  }
  // The backward pass of a product with constant input (the content) has one product, not two.
  const constantInput = modalityDims.reduce(
    (sum, m) => sum + matMulFlops(s.anchors, m, d) + matMulFlops(negatives + pool, m, d),
    0,
  );
  return 3 * f - constantInput;
}

/** The sizes of one exact-scoring block. */
export interface M2vaeBlockSizes {
  users: number;
  items: number;
  /** Attribute tokens of the block's items. */
  tokens: number;
}

/** The FLOPs of one exact-scoring block by side: what a scorer's memo computes once per block. */
export interface M2vaeScoreFlops {
  /** The items' side: encoders, the decoder's item-only products, μ W_z of the views. */
  items: number;
  /** The users' side: W₂ e_u, b₂·e_u, the view gate and the self-gates. */
  users: number;
  /** Per block: the gate logits and the per-pair part (or the user-independent product). */
  pairs: number;
}

/**
 * FLOPs of exact cold scoring of one users × items block (`factoredScores`), by side: the item
 * encoder, the factored per-user and per-item products, the gate logits (one
 * `[users, d] × [d, items]` product per view, or `[users, d] × [d, 1]` under `gateLogit: user`)
 * and the per-pair part; for a user-independent
 * posterior (weighted PoE) the item encoder, the decoder per item and one `[users, d] × [d, items]`
 * product.
 */
export function m2vaeScoreFlopsBySide(
  cfg: M2vaeConfig,
  modalityDims: readonly number[],
  s: M2vaeBlockSizes,
): M2vaeScoreFlops {
  const c = applyVariant(cfg);
  const d = c.dim, h = c.decoderHidden, views = 1 + modalityDims.length;
  const nu = s.users, ni = s.items;
  const raws = c.decoderRaws ? views : 0;
  let items = encodeFlops(c, modalityDims, ni, s.tokens) + raws * matMulFlops(ni, d, h);
  if (c.fusion !== "moe") {
    items += matMulFlops(ni, d, h) + matMulFlops(ni, h, d);
    return { items, users: 0, pairs: matMulFlops(nu, d, ni) };
  }
  const mixed = views + (c.commonView ? 1 : 0);
  let users = matMulFlops(nu, d, h) + matMulFlops(nu, d, 1); // W₂e_u and b₂·e_u
  items += mixed * matMulFlops(ni, d, h); // μ W_z of every mixed view
  if (c.commonView && c.viewMoe) {
    users += matMulFlops(nu, d, c.gateHidden) + matMulFlops(nu, c.gateHidden, 1);
  }
  let pairs = nu * ni * h * (2 * mixed + 4);
  if (c.modalityMoe) {
    users += views * (c.selfGate ? matMulFlops(nu, d, d) : 0);
    // `gateLogit: user`: one logit per user and view, not one per pair.
    if (c.gateLogit === "user") users += views * matMulFlops(nu, d, 1);
    else pairs += views * matMulFlops(nu, d, ni);
  }
  return { items, users, pairs };
}

/** FLOPs of exact cold scoring of one users × items block, every side computed. */
export function m2vaeScoreFlops(
  cfg: M2vaeConfig,
  modalityDims: readonly number[],
  s: M2vaeBlockSizes,
): number {
  const f = m2vaeScoreFlopsBySide(cfg, modalityDims, s);
  return f.items + f.users + f.pairs;
}
