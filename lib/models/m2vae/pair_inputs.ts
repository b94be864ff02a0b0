/**
 * The inputs of M2VAE's per-pair exact scoring, shared by the TypeScript reference
 * (`pair_kernel.ts`) and the SIMD kernel (`kernel/mod.ts`).
 *
 * @module
 */

/** Inputs of `pairScores`; matrices are row-major Float32Arrays. */
export interface PairInputs {
  nu: number;
  ni: number;
  hidden: number;
  /** Item-only pre-activation C `[ni, hidden]`. */
  cond: Float32Array;
  /** Common view's μ_com W_z `[ni, hidden]`, or null without a common view. */
  mCom: Float32Array | null;
  /** Each unique view's μ_v W_z `[ni, hidden]`. */
  mViews: Float32Array[];
  /**
   * Per view, gate logits already divided by τ: `[nu, ni]`, or `[nu]` when `userGates` (one
   * logit per user, the same for every item); null = equal gates 1/V.
   */
  logits: Float32Array[] | null;
  /** Whether `logits` hold one value per user (`gateLogit: user`) rather than one per pair. */
  userGates?: boolean;
  /** View gate α (the common view's weight) per user `[nu]`; ignored without a common view. */
  commonWeight: Float32Array | null;
  /** ŵ_u = W₂ e_u `[nu, hidden]`. */
  wHat: Float32Array;
  /** b₂·e_u `[nu]`. */
  bias: Float32Array;
}
