/**
 * The MVGAE objective, per Gaussian (the fused one and each expert's): a max-negative ranking
 * reconstruction of the batch's user–item edges plus β·KL to N(0, I) (jing-1/MVGAE `Model.py`
 * `recon_loss`, `kl_loss`; enoche/MMRec `src/models/mvgae.py`).
 *
 * @module
 */
import { tf } from "../../tf/mod.ts";
import { type Gaussian, rowDot } from "../../nn/mod.ts";

/** Upper clamp of the log-variance (`MAX_LOGVAR`). */
export const MAX_LOGVAR = 10;

/** Rows of the batch inside a forward pass's output. */
export interface BatchRows {
  /** `[B]` user rows. */
  users: tf.Tensor1D;
  /** `[B]` positive item rows. */
  positives: tf.Tensor1D;
  /** `[B·K]` negative item rows, K per batch row. */
  negatives: tf.Tensor1D;
  /** `[B·K]` the batch row of each negative. */
  negativeOf: tf.Tensor1D;
}

/**
 * z = μ + ε·scale·exp(½·min(logσ², 10)) (`reparametrize`; `noise` null: z = μ), squashed by a
 * sigmoid when `sigmoid` (the code's "amazon" branch).
 */
export function latent(
  mu: tf.Tensor2D,
  logVar: tf.Tensor2D,
  noise: tf.Tensor2D | null,
  scale: number,
  sigmoid: boolean,
): tf.Tensor2D {
  return tf.tidy(() => {
    const z = noise === null ? mu : tf.add(
      mu,
      tf.mul(noise, tf.mul(scale, tf.exp(tf.mul(tf.minimum(logVar, MAX_LOGVAR), 0.5)))),
    );
    return (sigmoid ? tf.sigmoid(z) : z) as tf.Tensor2D;
  });
}

/**
 * −Σ_r log₂ σ(z_u·z_p − max_k z_u·z_{n_k}) over the batch rows r and their K negatives
 * (`recon_loss` with `dot_product_decode_neg` of the original: raw dot products of the
 * latents, the hardest of each row's own negatives).
 */
export function reconLoss(z: tf.Tensor2D, rows: BatchRows): tf.Scalar {
  return tf.tidy(() => {
    const zu = tf.gather(z, rows.users) as tf.Tensor2D, b = rows.users.size;
    const pos = rowDot(zu, tf.gather(z, rows.positives) as tf.Tensor2D);
    const zn = tf.gather(z, rows.negatives) as tf.Tensor2D;
    const scores = rowDot(tf.gather(zu, rows.negativeOf) as tf.Tensor2D, zn);
    const neg = tf.max(tf.reshape(scores, [b, -1]), 1);
    const margin = tf.sub(pos, tf.reshape(neg, [-1, 1]));
    return tf.div(tf.sum(tf.softplus(tf.neg(margin))), Math.LN2) as tf.Scalar; // −log₂ σ(m)
  });
}

/** −½ · mean over rows of Σ_d (1 + logσ² − μ² − exp(logσ²)), logσ² clamped at 10. */
export function klLoss(g: Gaussian): tf.Scalar {
  return tf.tidy(() => {
    const lv = tf.minimum(g.logVar, MAX_LOGVAR);
    const t = tf.sub(tf.sub(tf.add(lv, 1), tf.square(g.mu)), tf.exp(lv));
    return tf.mul(tf.sum(t), -0.5 / g.mu.shape[0]) as tf.Scalar;
  });
}
