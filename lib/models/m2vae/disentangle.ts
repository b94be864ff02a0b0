/**
 * Disentangled contrastive loss, section Methodology "Multi-View Generator", Eqs. 9–10: for
 * each unique view v, the positive pair (z_v, v_i) — the sampled latent of item i and its raw
 * view — against the negatives (z_v, z_com,j) for every item j of the batch; summed over views.
 *
 * Readings taken: sim is the cosine similarity, and Eq. 9's denominator is the usual InfoNCE
 * normaliser (the positive plus every negative, each exponentiated), as in the public port; the
 * "batch" is the batch's distinct items, so an item never appears as its own duplicate.
 * Without a common view (variant "w/o common") there is nothing to push away from, so the
 * negatives become the other items' latents of the same view, z_v,j (j ≠ i), which keeps the
 * informativeness half of the loss.
 *
 * @module
 */
import { tf } from "../../tf/mod.ts";
import { infoNceFirst, l2normalize, rowDot } from "../../nn/mod.ts";

/**
 * The value of Eq. 10 when every similarity is equal: each of the `views` terms is
 * ln(#candidates), with n + 1 candidates per row (the positive and n common-view negatives) or
 * n without a common view (the other n − 1 items' latents). Below it, the loss has learned.
 */
export function disentangleChance(views: number, n: number, hasCommon: boolean): number {
  return views * Math.log(hasCommon ? n + 1 : n);
}

/**
 * Eq. 10: Σ_v L_v,com. `zViews[v]` and `rawViews[v]` are `[n, d]` rows of the same n distinct
 * items; `zCom` is `[n, d]` or `null` (no common view).
 */
export function disentangleLoss(
  zViews: tf.Tensor2D[],
  rawViews: tf.Tensor2D[],
  zCom: tf.Tensor2D | null,
  tau: number,
): tf.Scalar {
  return tf.tidy(() => {
    const n = zViews[0].shape[0];
    const com = zCom === null ? null : l2normalize(zCom);
    const selfMask = zCom === null ? tf.mul(tf.eye(n), -1e9) : null;
    const terms = zViews.map((zv, v) => {
      const z = l2normalize(zv);
      const pos = tf.div(rowDot(z, l2normalize(rawViews[v])), tau);
      let neg = tf.div(tf.matMul(z, com ?? z, false, true), tau);
      if (selfMask !== null) neg = tf.add(neg, selfMask);
      return infoNceFirst(tf.concat([pos, neg], 1) as tf.Tensor2D);
    });
    return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
  });
}
