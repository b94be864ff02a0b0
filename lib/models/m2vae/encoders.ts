/**
 * Multi-view generator, section Methodology "Multi-View Generator", Eqs. 2–5 and 8: the ID view
 * e_i, the attribute view a_i = AttenPooling(l_i A) (Eq. 4), one linearly projected view c_i per
 * dense modality, and a Gaussian head (μ, log σ²) on each (Eqs. 2, 3, 5).
 *
 * Reading taken: the paper's σ is a log-variance (Eq. 6 uses exp(σ) as a variance), so a sample
 * is z = μ + exp(½·logσ²)·ε (Eq. 8).
 *
 * @module
 */
import type { AttributeBag } from "../common/attribute_bag.ts";
import type { ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";
import { LEAKY_SLOPE, linear, type NoiseSource } from "./ops.ts";

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
 * step cannot overflow exp(logσ²) in Eq. 8, the PoE precisions (Eq. 6) or the KL terms; inside
 * the bound the head is unchanged, outside it gets no gradient.
 */
export const LOG_VAR_LIMIT = 10;

/** Eqs. 2, 3, 5: the Gaussian of a view. */
export function applyHead(h: GaussianHead, x: tf.Tensor2D): Gaussian {
  return {
    mu: linear(x, h.wMu, h.bMu),
    logVar: tf.clipByValue(linear(x, h.wLv, h.bLv), -LOG_VAR_LIMIT, LOG_VAR_LIMIT),
  };
}

/** Eq. 8: z = μ + exp(½·logσ²)·ε with ε from `noise`; `noise === null` gives z = μ. */
export function reparameterise(g: Gaussian, noise: NoiseSource | null): tf.Tensor2D {
  if (noise === null) return g.mu;
  const [n, d] = g.mu.shape;
  return tf.add(g.mu, tf.mul(tf.exp(tf.mul(g.logVar, 0.5)), noise(n, d)));
}

/**
 * The attribute embedding A (one row per vocabulary token plus a learned "none" row at index
 * `vocab`) and the attention scorer s_t = w₂·LeakyReLU(A_t W₁ + b₁).
 */
export interface AttributeEncoder {
  table: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
}

/** Creates the attribute encoder for a vocabulary of `vocab` tokens. */
export function createAttributeEncoder(
  p: ParamSet,
  vocab: number,
  d: number,
  hidden: number,
  rng: Rng,
): AttributeEncoder {
  return {
    table: p.dense("attr.table", [vocab + 1, d], { normal: 0.1 }, rng),
    w1: p.dense("attr.w1", [d, hidden], "glorot", rng),
    b1: p.dense("attr.b1", [hidden], "zeros", rng),
    w2: p.dense("attr.w2", [hidden, 1], "glorot", rng),
  };
}

/**
 * Eq. 4: attention pooling over the embeddings of each item's present attributes, a masked
 * softmax done segment-wise: weights exp(s − max s) normalised by their per-item sum
 * (unsortedSegmentSum). The shift by the global maximum leaves each item's softmax unchanged;
 * the 1e-30 floor only matters if every weight of an item underflowed (then a_i = 0, not NaN).
 * An item without attributes has the single "none" token (weight 1), never an empty set.
 *
 * Reading taken: the paper does not define the attention scorer; this is CCFCRec's (which the
 * public M2VAE port keeps), a per-token score independent of the item.
 */
export function attentionPool(enc: AttributeEncoder, bag: AttributeBag): tf.Tensor2D {
  return tf.tidy(() => {
    const emb = tf.gather(enc.table, tf.tensor1d(bag.tokens, "int32")) as tf.Tensor2D;
    const h = tf.leakyRelu(linear(emb, enc.w1, enc.b1), LEAKY_SLOPE) as tf.Tensor2D;
    const s = linear(h, enc.w2); // [T, 1]
    const w = tf.exp(tf.sub(s, tf.max(s)));
    const seg = tf.tensor1d(bag.rows, "int32");
    const num = tf.unsortedSegmentSum(tf.mul(w, emb), seg, bag.size);
    const den = tf.unsortedSegmentSum(w, seg, bag.size);
    return tf.div(num, tf.add(den, 1e-30)) as tf.Tensor2D;
  });
}
