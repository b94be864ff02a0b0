/**
 * MVDGAE's view fusion, relation decoders and Bayesian task weighting.
 *
 * @module
 */
import { tf } from "../../tf/mod.ts";

/** The views of a set of nodes before fusion. */
export interface Encoded {
  /** `[K, d]` the always-present view (ID for users, content for items). */
  own: tf.Tensor2D;
  /** The interaction view `[K, d]` from the own rows (zero rows where it is missing). */
  view: (own: tf.Tensor2D) => tf.Tensor2D;
  /** 1 where the interaction view is present and kept, 0 where missing or dropped. */
  keep: Float32Array;
}

/** Mean over the present views: (own + s·view) / (1 + s), with s the keep indicator S(m). */
export function fuse(e: Encoded): tf.Tensor2D {
  return tf.tidy(() => {
    const s = tf.tensor2d(e.keep, [e.keep.length, 1]);
    return tf.div(tf.add(e.own, tf.mul(s, e.view(e.own))), tf.add(s, 1)) as tf.Tensor2D;
  });
}

/**
 * Binary cross-entropy of a bilinear relation decoder σ(a W bᵀ) on sampled pairs: `(a, pos)`
 * are related (rows weighted by `mask` when given), `(a, neg)` are not. Means over rows.
 */
export function bilinearBce(
  w: tf.Variable,
  a: tf.Tensor2D,
  pos: tf.Tensor2D,
  neg: tf.Tensor2D,
  mask: tf.Tensor1D | null,
): tf.Scalar {
  return tf.tidy(() => {
    const aw = tf.matMul(a, w as tf.Tensor2D);
    const lp = tf.softplus(tf.neg(tf.sum(tf.mul(aw, pos), 1))); // −log σ(s⁺)
    const ln = tf.softplus(tf.sum(tf.mul(aw, neg), 1)); // −log(1 − σ(s⁻))
    const p = mask === null
      ? tf.mean(lp)
      : tf.div(tf.sum(tf.mul(lp, mask)), tf.maximum(tf.sum(mask), 1));
    return tf.add(p, tf.mean(ln)) as tf.Scalar;
  });
}

/**
 * The "Bayesian task weight learner" of a reconstruction loss L with a learned s = log w²:
 * `paper` — MvDGAE's Eq. 8, L/w² + 2·log w² = e^{−s}·L + 2·s (at the optimum of s the term
 * passes 2·∇L/L to the encoder); `kendall` — Kendall et al.'s (CVPR 2018) homoscedastic form
 * ½·e^{−s}·L + ½·s, a quarter of that weight (this port's reading before the paper was read).
 */
export function taskWeighted(loss: tf.Scalar, s: tf.Scalar, form = "paper"): tf.Scalar {
  return tf.tidy(() => {
    const weighted = tf.mul(tf.exp(tf.neg(s)), loss);
    return (form === "kendall"
      ? tf.mul(0.5, tf.add(weighted, s))
      : tf.add(weighted, tf.mul(2, s))) as tf.Scalar;
  });
}
