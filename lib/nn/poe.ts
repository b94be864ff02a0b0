/**
 * Product-of-Experts of diagonal Gaussians (M2VAE's Eqs. 6–7, section Methodology "Multi-View
 * Generator"; MVGAE's fusion): the common view z_com ~ N(μ_com, σ²_com) of the experts, with
 * precisions T_m = 1 / (exp(logσ²_m) + ε),
 * μ_com = Σ μ_m T_m / Σ T_m and logσ²_com = log(1 / Σ T_m).
 *
 * With one expert (a dataset without dense modalities, where the attribute view is the only
 * feature view) the product is that expert: the same mean, log-variance log(exp(logσ²) + ε).
 *
 * The optional per-expert weights w_m (T_m = w_m / (exp(logσ²_m) + ε)) give the MVGAE-style
 * weighted PoE of M2VAE's variant "weighted PoE" (section Ablation Study).
 *
 * @example Two experts
 * ```ts
 * import { productOfExperts } from "./lib/nn/mod.ts";
 * const a = { mu: tf.tensor2d([[1]]), logVar: tf.tensor2d([[0]]) }; // σ² = 1
 * const b = { mu: tf.tensor2d([[4]]), logVar: tf.tensor2d([[Math.log(0.5)]]) }; // σ² = ½
 * const g = productOfExperts([a, b], 0); // μ = (1·1 + 4·2) / 3 = 3, σ² = 1/3
 * ```
 *
 * @module
 */
import { tf } from "../tf/mod.ts";
import type { Gaussian } from "./gaussian.ts";

/**
 * Eqs. 6–7 over `experts` (all the same shape). `weights`, when given, holds one scalar (or
 * broadcastable) positive weight per expert.
 *
 * @throws RangeError for no experts or a weight count that does not match.
 */
export function productOfExperts(
  experts: Gaussian[],
  eps: number,
  weights?: tf.Tensor[],
): Gaussian {
  if (experts.length === 0) throw new RangeError("productOfExperts: no experts");
  if (weights !== undefined && weights.length !== experts.length) {
    throw new RangeError(
      `productOfExperts: ${weights.length} weights for ${experts.length} experts`,
    );
  }
  return tf.tidy(() => {
    const precision = experts.map((g, m) => {
      const t = tf.reciprocal(tf.add(tf.exp(g.logVar), eps));
      return weights === undefined ? t : tf.mul(t, weights[m]);
    });
    const total = precision.length === 1 ? precision[0] : tf.addN(precision);
    const weighted = experts.map((g, m) => tf.mul(g.mu, precision[m]));
    const num = weighted.length === 1 ? weighted[0] : tf.addN(weighted);
    return {
      mu: tf.div(num, total) as tf.Tensor2D,
      logVar: tf.neg(tf.log(total)) as tf.Tensor2D,
    };
  });
}
