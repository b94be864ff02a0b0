/**
 * Joint posterior, section Methodology "Multi-View Fusion", Eqs. 17–18: the ID expert z_e is
 * fused with the feature posterior z_f into q(z | e, a, c), then z = μ + σ ⊙ ε.
 *
 * `sum` follows the paper (μ = μ_e + μ_f, logσ² = logσ²_e + logσ²_f); `mean` averages both
 * instead (what the public PyTorch port does). σ in Eq. 18 is read as exp(½·logσ²).
 *
 * @module
 */
import { tf } from "../../tf/mod.ts";
import type { Gaussian } from "../../nn/mod.ts";

/** How the ID expert and the feature posterior are joined. */
export type JointMode = "sum" | "mean";

/** Eq. 17. */
export function jointPosterior(e: Gaussian, f: Gaussian, mode: JointMode): Gaussian {
  const join = (a: tf.Tensor2D, b: tf.Tensor2D) =>
    (mode === "sum" ? tf.add(a, b) : tf.mul(tf.add(a, b), 0.5)) as tf.Tensor2D;
  return { mu: join(e.mu, f.mu), logVar: join(e.logVar, f.logVar) };
}
