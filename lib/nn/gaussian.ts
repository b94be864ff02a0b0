/**
 * Diagonal Gaussians as mean and log-variance, the Gaussian head (μ, log σ²) = (xW_μ + b_μ,
 * xW_σ + b_σ) with a bounded log-variance, and the reparameterised sample (M2VAE's Eqs. 2, 3, 5
 * and 8, section Methodology "Multi-View Generator").
 *
 * Reading taken: the paper's σ is a log-variance (Eq. 6 uses exp(σ) as a variance), so a sample
 * is z = μ + exp(½·logσ²)·ε (Eq. 8).
 *
 * @example A head and a sample
 * ```ts
 * import { applyHead, createHead, ParamSet, reparameterise, rngNoise } from "./lib/nn/mod.ts";
 * const p = new ParamSet(), rng = new Rng(1);
 * const head = createHead(p, "view", 32, 16, rng);
 * const g = applyHead(head, tf.randomNormal([8, 32])); // { mu: [8, 16], logVar: [8, 16] }
 * const z = reparameterise(g, rngNoise(rng)); // [8, 16]; reparameterise(g, null) is g.mu
 * ```
 *
 * @module
 */
import type { ParamSet } from "./params.ts";
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import { linear, type NoiseSource, rows } from "./ops.ts";

/** A diagonal Gaussian as mean and log-variance, both `[n, d]`. */
export interface Gaussian {
  mu: tf.Tensor2D;
  logVar: tf.Tensor2D;
}

/** The parameters of a Gaussian head: μ = xW_μ + b_μ, logσ² = xW_σ + b_σ. */
export interface GaussianHead {
  wMu: tf.Variable;
  bMu: tf.Variable;
  wLv: tf.Variable;
  bLv: tf.Variable;
}

/**
 * Creates a Gaussian head `inDim → outDim` named `<name>.{wMu,bMu,wLv,bLv}`; the log-variance
 * bias starts at `logVarInit` (0: σ ≈ 1 at the start).
 */
export function createHead(
  p: ParamSet,
  name: string,
  inDim: number,
  outDim: number,
  rng: Rng,
  logVarInit = 0,
): GaussianHead {
  const h = {
    wMu: p.dense(`${name}.wMu`, [inDim, outDim], "glorot", rng),
    bMu: p.dense(`${name}.bMu`, [outDim], "zeros", rng),
    wLv: p.dense(`${name}.wLv`, [inDim, outDim], "glorot", rng),
    bLv: p.dense(`${name}.bLv`, [outDim], "zeros", rng),
  };
  if (logVarInit !== 0) tf.tidy(() => h.bLv.assign(tf.fill([outDim], logVarInit)));
  return h;
}

/**
 * Bound on |logσ²| of every head. Not in the paper: a guard (σ² ∈ [e⁻¹⁰, e¹⁰]) so that one large
 * step cannot overflow exp(logσ²) in a sample, the PoE precisions or the KL terms; inside the
 * bound the head is unchanged, outside it gets no gradient.
 */
export const LOG_VAR_LIMIT = 10;

/** The Gaussian of `x` under head `h` (M2VAE's Eqs. 2, 3, 5). */
export function applyHead(h: GaussianHead, x: tf.Tensor2D): Gaussian {
  return {
    mu: linear(x, h.wMu, h.bMu),
    logVar: tf.clipByValue(linear(x, h.wLv, h.bLv), -LOG_VAR_LIMIT, LOG_VAR_LIMIT),
  };
}

/** z = μ + exp(½·logσ²)·ε with ε from `noise` (Eq. 8); `noise === null` gives z = μ. */
export function reparameterise(g: Gaussian, noise: NoiseSource | null): tf.Tensor2D {
  if (noise === null) return g.mu;
  const [n, d] = g.mu.shape;
  return tf.add(g.mu, tf.mul(tf.exp(tf.mul(g.logVar, 0.5)), noise(n, d)));
}

/** Rows `idx` of both parameters of a Gaussian (the per-row view of a per-item posterior). */
export function gaussianRows(g: Gaussian, idx: tf.Tensor1D): Gaussian {
  return { mu: rows(g.mu, idx), logVar: rows(g.logVar, idx) };
}
