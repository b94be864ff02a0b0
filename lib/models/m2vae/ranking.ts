/**
 * M2VAE's ranking terms beside Eq. 27's BPR: the in-batch softmax (`rankLoss: inbatch`) and the
 * negative items of the item-side term (`rankNegatives: items | both`).
 *
 * @module
 */
import { bprFromScores, inBatchNce, infoNceFirst } from "../../nn/mod.ts";
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

/**
 * Each row's first `k` sampled negative items (`negItems` holds `cn` per row), row-major
 * `[B × k]`.
 */
export function leadingNegatives(batch: TrainBatch, k: number): Int32Array {
  if (k > batch.cn) throw new RangeError(`leadingNegatives: k = ${k} > cn = ${batch.cn}`);
  const b = batch.users.length, out = new Int32Array(b * k);
  for (let r = 0; r < b; r++) {
    out.set(batch.negItems.subarray(r * batch.cn, r * batch.cn + k), r * k);
  }
  return out;
}

/**
 * The item-side ranking term for `[B, 1]` positive scores and `[B·k, 1]` negative scores (row
 * r's k negatives consecutive): BPR for k = 1, else the sampled softmax over the positive and
 * its k negatives at temperature `tau` (−log of the positive's share; chance ln(1 + k)).
 */
export function itemSideRank(
  pos: tf.Tensor2D,
  neg: tf.Tensor2D,
  k: number,
  tau: number,
): tf.Scalar {
  if (k === 1) return bprFromScores(pos, neg);
  const logits = tf.concat([pos, tf.reshape(neg, [-1, k])], 1);
  return infoNceFirst(tau === 1 ? logits : tf.div(logits, tau));
}
