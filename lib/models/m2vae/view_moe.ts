/**
 * View-level Mixture-of-Experts (V-MoE), section Methodology "Multi-View Fusion", Eqs. 15–16:
 * a user-controlled scalar gate α = σ(MLP(u ⊙ v_com)) with a learned vector v_com, and
 * x_f = α·x_com + (1 − α)·x_unique for x ∈ {μ, logσ²}.
 *
 * Reading taken: the paper writes MLP(u_tᵀ v_com), a scalar that an MLP would only rescale; the
 * elementwise product u ⊙ v_com is read instead, so α depends on the user only (which the cold
 * scorer relies on). The MLP is d → gateHidden → 1 with a LeakyReLU hidden layer.
 *
 * @module
 */
import { type Gaussian, LEAKY_SLOPE, linear, type ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";

/** V-MoE parameters. */
export interface ViewMoe {
  vCom: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

/** Creates the V-MoE parameters. */
export function createViewMoe(p: ParamSet, d: number, hidden: number, rng: Rng): ViewMoe {
  return {
    vCom: p.dense("vmoe.vCom", [d], { normal: 1 }, rng),
    w1: p.dense("vmoe.w1", [d, hidden], "glorot", rng),
    b1: p.dense("vmoe.b1", [hidden], "zeros", rng),
    w2: p.dense("vmoe.w2", [hidden, 1], "glorot", rng),
    b2: p.dense("vmoe.b2", [1], "zeros", rng),
  };
}

/** Eq. 15: α for each user row, `[n, 1]`. */
export function viewGate(m: ViewMoe, u: tf.Tensor2D): tf.Tensor2D {
  const h = tf.leakyRelu(linear(tf.mul(u, m.vCom), m.w1, m.b1), LEAKY_SLOPE) as tf.Tensor2D;
  return tf.sigmoid(linear(h, m.w2, m.b2));
}

/** Eq. 16: w·com + (1 − w)·unique for μ and logσ², w (the view gate α) `[n, 1]` or a number. */
export function blendViews(
  weight: tf.Tensor2D | number,
  com: Gaussian,
  unique: Gaussian,
): Gaussian {
  const mix = (a: tf.Tensor2D, b: tf.Tensor2D) =>
    tf.add(tf.mul(a, weight), tf.mul(b, tf.sub(1, weight))) as tf.Tensor2D;
  return { mu: mix(com.mu, unique.mu), logVar: mix(com.logVar, unique.logVar) };
}
