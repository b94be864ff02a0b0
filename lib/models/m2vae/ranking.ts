/**
 * M2VAE's ranking terms beside Eq. 27's BPR: the in-batch softmax (`rankLoss: inbatch`) and the
 * negative items of the item-side term (`rankNegatives: items | both`).
 *
 * @module
 */
import { inBatchNce } from "../../nn/mod.ts";
import { tf } from "../../tf/mod.ts";
import type { TrainBatch } from "../../train/sampler.ts";

/**
 * `rankLoss: inbatch`: the mean of two in-batch softmaxes over the `[B, B]` scores
 * e_new(u_r, i_r)·e_{u_s} — each row's item against every user of the batch plus its sampled
 * negative user (`neg`, `[B, 1]`), and each row's user against every row's item. Reading taken:
 * a user s ≠ r is scored with row r's fused e_new (the `positive` reading of Eq. 27's x_u⁻: a
 * fusion per (item, user) pair would cost B² decoder passes); the sampled negative keeps the
 * `negFusion` reading.
 */
export function inBatchRank(
  eNew: tf.Tensor2D,
  u: tf.Tensor2D,
  neg: tf.Tensor2D,
  batch: TrainBatch,
  tau: number,
): tf.Scalar {
  const s = tf.matMul(eNew, u, false, true) as tf.Tensor2D;
  const toUsers = inBatchNce(s, batch.users, tau, neg);
  const toItems = inBatchNce(tf.transpose(s) as tf.Tensor2D, batch.items, tau);
  return tf.div(tf.add(toUsers, toItems), 2) as tf.Scalar;
}

/** Each row's first sampled negative item (`negItems` holds `cn` per row). */
export function firstNegatives(batch: TrainBatch): Int32Array {
  const b = batch.users.length, out = new Int32Array(b);
  for (let r = 0; r < b; r++) out[r] = batch.negItems[r * batch.cn];
  return out;
}
