/**
 * Many negative items for M2VAE's item-side ranking term at the cost of one hidden layer per
 * pair (`sharedNegatives: K`, ours): a sampled softmax of each row's positive item against K
 * negative items shared by the batch, every (user, item) pair scored through its own user-aware
 * fusion and the decoder, as cold inference scores it.
 *
 * CLCRec contrasts each user with 128 sampled items; on its own network one negative instead of
 * 128 costs it 0.12 validation NDCG@10 on lastfm (experiments/clcrec_toward_m2vae.yaml), more
 * than its whole lead over M2VAE. M2VAE's per-row path (`rankItemNegatives: k`) encodes, fuses
 * and decodes each negative through both dense layers, so k = 16 already costs 5× the step.
 * Here the posterior means are scored in the factorised form exact cold scoring uses
 * (pair_kernel.ts), written in TF so that it trains. With z the joint's mean, the decoder's first
 * layer is linear in z, and z is linear in the item's view means with per-pair coefficients
 * (the modality gates g_v(u, i), the view gate α(u) and the joint's weight j: ½ for `joint:
 * mean`, 1 for `sum`), so for user row r and item n
 *
 *   pre(r, n) = P_n + Σ_k c_k(r, n)·M_k,n,   P_n = C_n + j·μ_e(n) W_z,   M_k,n = j·μ_k(n) W_z,
 *   score(r, n) = LeakyReLU(pre(r, n))·(W₂ e_u) + b₂·e_u,
 *
 * with C_n the decoder's item-only part (Σ raw views W + b₁), μ_e the ID expert's mean and μ_k
 * the common and unique views' means. Per pair this costs the gate logits (one matMul per view
 * over the batch), V + 1 multiply-adds and a LeakyReLU over the hidden units, and a dot with the
 * user's folded output weights: no second dense layer per pair. The pool's `[B, K]` scores run
 * in a SIMD kernel with its own backward pass (kernel/mix_pairs.ts), which never holds the
 * `[B, K, hidden]` tensors that {@linkcode mixPairScoresReference}, their TF form (tested equal,
 * and the fallback), builds; the gate softmax is taken across the views' `[B, K]` logits
 * element by element, not by stacking them on a last axis, which the wasm backend copies one
 * element at a time.
 *
 * Readings taken: means, not samples (what cold inference decodes); the positive is scored the
 * same way, so the softmax compares like with like; the pool is the first K distinct items of
 * the batch's negative draws (warm items, each drawn as one its row's user has not interacted
 * with); for each row, the pool items its user has interacted with in training (its positive
 * among them) are masked out, so that every negative is a true one for that row, as the per-row
 * negatives are.
 *
 * @module
 */
import {
  type Gaussian,
  infoNceFirst,
  LEAKY_SLOPE,
  rowDot,
  rows,
  softmaxAcross,
} from "../../nn/mod.ts";
import { tf } from "../../tf/mod.ts";
import { type Adjacency, hasNeighbour } from "../../train/interaction_index.ts";
import { decoderCondition } from "./decoder.ts";
import { type GateLogit, itemGateFactor, userGateFactor } from "./modality_moe.ts";
import type { ItemEncoding, M2vaeNetwork } from "./network.ts";
import { mixPairScoresKernel, mixPairsKernelStatus } from "./kernel/mix_pairs.ts";

/** The first `k` distinct items of `draws`, in draw order (fewer when there are fewer). */
export function negativePool(draws: Int32Array, k: number): Int32Array {
  const seen = new Set<number>(), out: number[] = [];
  for (let i = 0; i < draws.length && out.length < k; i++) {
    if (!seen.has(draws[i])) (seen.add(draws[i]), out.push(draws[i]));
  }
  return Int32Array.from(out);
}

/** The item side of the factorised score for n items: P `[n, H]`, the M_k and the gate factors. */
interface ItemFactors {
  base: tf.Tensor2D;
  /** M_k `[n, H]`: the common view's first when there is one, then each unique view's. */
  mats: tf.Tensor2D[];
  /** Per unique view, the item factor of its gate logit `[n, d]` (none without M-MoE). */
  gateItems: tf.Tensor2D[] | null;
}

/** The user side for B rows: gate factors, α, and the folded output layer. */
interface UserFactors {
  gateUsers: tf.Tensor2D[] | null;
  /** `plantedFusion: gates | both`: per view, τ·log of the planted weights `[B, 1]`; else null. */
  planted: tf.Tensor2D[] | null;
  /** α `[B, 1]` of a common view (0.5 without V-MoE); null without a common view. */
  alpha: tf.Tensor2D | null;
  /** W₂ e_u `[B, H]` and b₂·e_u `[B, 1]`. */
  w: tf.Tensor2D;
  b: tf.Tensor2D;
}

function itemFactors(net: M2vaeNetwork, enc: ItemEncoding, idMu: tf.Tensor2D): ItemFactors {
  const dec = net.dec, j = net.cfg.joint === "sum" ? 1 : 0.5;
  const latent = (mu: tf.Tensor2D) => tf.mul(tf.matMul(mu, dec.wZ as tf.Tensor2D), j);
  let base = tf.add(decoderCondition(dec, enc.raws), latent(idMu)) as tf.Tensor2D;
  const item = net.itemPosterior(enc);
  if (item !== null) {
    // Weighted PoE: the feature posterior does not depend on the user.
    base = tf.add(base, latent(item.mu)) as tf.Tensor2D;
    return { base, mats: [], gateItems: null };
  }
  const means = enc.views.map((g) => g.mu);
  const com = enc.common?.mu ?? null;
  const mats = [...(com === null ? [] : [com]), ...means].map(latent) as tf.Tensor2D[];
  const logit = net.cfg.gateLogit as GateLogit;
  const gateItems = net.mmoe === null
    ? null
    : means.map((mu, v) => itemGateFactor(net.mmoe!, v, mu, com, logit));
  return { base, mats, gateItems };
}

function userFactors(
  net: M2vaeNetwork,
  u: tf.Tensor2D,
  users: Int32Array,
  hasCommon: boolean,
): UserFactors {
  const dec = net.dec, logit = net.cfg.gateLogit as GateLogit;
  const gateUsers = net.mmoe === null
    ? null
    : net.viewHeads.map((_, v) => userGateFactor(net.mmoe!, v, u, logit));
  const alpha = hasCommon ? net.commonWeight(u, users) : null;
  const logits = net.plantedGateLogits(users);
  return {
    gateUsers,
    planted: logits === null
      ? null
      : tf.split(tf.mul(logits, net.cfg.tauGate), net.viewHeads.length, 1) as tf.Tensor2D[],
    alpha,
    w: tf.matMul(u, dec.w2 as tf.Tensor2D, false, true) as tf.Tensor2D,
    b: tf.matMul(u, tf.reshape(dec.b2, [-1, 1])) as tf.Tensor2D,
  };
}

/**
 * The per-pair coefficients c_k (same order as `ItemFactors.mats`) from the gate logits, one
 * tensor per unique view of any shape S, and α broadcastable to S.
 */
function coefficients(
  net: M2vaeNetwork,
  logits: tf.Tensor[] | null,
  views: number,
  alpha: tf.Tensor2D | null,
  shape: number[],
): tf.Tensor[] {
  const gates = logits === null
    ? Array.from({ length: views }, () => tf.fill(shape, 1 / views))
    : softmaxAcross(logits.map((l) => tf.div(l, net.cfg.tauGate)));
  if (alpha === null) return gates;
  const rest = tf.sub(1, alpha);
  return [tf.mul(tf.onesLike(gates[0]), alpha), ...gates.map((g) => tf.mul(g, rest))];
}

/** Scores `[B, 1]` of each user row against its own item (items' factors gathered by `idx`). */
function rowScores(
  net: M2vaeNetwork,
  uf: UserFactors,
  it: ItemFactors,
  idx: tf.Tensor1D,
): tf.Tensor2D {
  const b = uf.w.shape[0];
  const logits = uf.planted ??
    (uf.gateUsers === null || it.gateItems === null
      ? null
      : uf.gateUsers.map((x, v) => rowDot(x, rows(it.gateItems![v], idx))));
  const views = net.viewHeads.length;
  const coef = it.mats.length === 0 ? [] : coefficients(net, logits, views, uf.alpha, [b, 1]);
  let pre = rows(it.base, idx);
  it.mats.forEach((m, k) => pre = tf.add(pre, tf.mul(rows(m, idx), coef[k])) as tf.Tensor2D);
  const h = tf.leakyRelu(pre, LEAKY_SLOPE) as tf.Tensor2D;
  return tf.add(rowDot(h, uf.w), uf.b) as tf.Tensor2D;
}

/**
 * The mixed-pair scores s(r, n) = Σ_h LeakyReLU(P_n + Σ_j c_j(r, n)·M_j,n)_h · w_r,h `[B, K]`
 * in TF ops (the reference of the SIMD kernel, and its fallback): several `[B, K, H]` tensors.
 */
export function mixPairScoresReference(
  base: tf.Tensor2D,
  mats: tf.Tensor2D[],
  coef: tf.Tensor[],
  w: tf.Tensor2D,
): tf.Tensor2D {
  const b = w.shape[0], k = base.shape[0], hd = base.shape[1];
  let pre: tf.Tensor = tf.reshape(base, [1, k, hd]);
  mats.forEach((m, c) => {
    pre = tf.add(pre, tf.mul(tf.reshape(coef[c], [b, k, 1]), tf.reshape(m, [1, k, hd])));
  });
  if (mats.length === 0) pre = tf.tile(pre, [b, 1, 1]);
  const h = tf.leakyRelu(pre, LEAKY_SLOPE) as tf.Tensor3D;
  const s = tf.matMul(h, tf.reshape(w, [b, hd, 1])) as tf.Tensor3D;
  return tf.reshape(s, [b, k]) as tf.Tensor2D;
}

/** How the pool's mixed-pair scores are computed: the SIMD kernel or the TF reference. */
export type MixPairsPath = "kernel" | "tf";

let mixPath: MixPairsPath | "auto" = "auto";

/**
 * Chooses the path of the pool's pair scores for this process: `kernel`, `tf`, or `auto` (the
 * default: the kernel when it loaded). Asking for `kernel` where it is unavailable throws.
 */
export function setMixPairsPath(path: MixPairsPath | "auto"): void {
  if (path === "kernel" && !mixPairsKernelStatus().available) {
    throw new Error(`mixed-pair kernel unavailable: ${mixPairsKernelStatus().detail}`);
  }
  mixPath = path;
}

/** The path the pool's pair scores take now. */
export function mixPairsPath(): MixPairsPath {
  return mixPath === "auto" ? (mixPairsKernelStatus().available ? "kernel" : "tf") : mixPath;
}

/** Scores `[B, K]` of every user row against every item of the pool. */
function pairScores(net: M2vaeNetwork, uf: UserFactors, it: ItemFactors): tf.Tensor2D {
  const b = uf.w.shape[0], k = it.base.shape[0], hd = it.base.shape[1];
  const logits = uf.planted !== null
    ? uf.planted.map((x) => tf.mul(x, tf.ones([1, k])))
    : uf.gateUsers === null || it.gateItems === null
    ? null
    : uf.gateUsers.map((x, v) => tf.matMul(x, it.gateItems![v], false, true));
  const views = net.viewHeads.length;
  const coef = it.mats.length === 0 ? [] : coefficients(net, logits, views, uf.alpha, [b, k]);
  const s = mixPairsPath() === "tf"
    ? mixPairScoresReference(it.base, it.mats, coef, uf.w)
    : mixPairScoresKernel(
      it.base,
      it.mats.length === 0 ? tf.zeros([0, k, hd]) : tf.stack(it.mats) as tf.Tensor3D,
      coef.length === 0 ? tf.zeros([0, b, k]) : tf.stack(coef) as tf.Tensor3D,
      uf.w,
      LEAKY_SLOPE,
    );
  return tf.add(s, uf.b) as tf.Tensor2D;
}

/** What {@linkcode sharedNegativeRank} needs of the batch. */
export interface SharedNegativeBatch {
  /** User rows `[B, d]` and their ids. */
  u: tf.Tensor2D;
  users: Int32Array;
  /** Each user's training items (sorted), to mask the pool's false negatives; null: none. */
  seen: Adjacency | null;
  /** The batch's distinct positive items: their encoding and ID-expert posterior. */
  anchors: { enc: ItemEncoding; id: Gaussian; index: Int32Array; unique: Int32Array };
  /** The pool: its items, their encoding (means) and ID-expert posterior. */
  pool: { items: Int32Array; enc: ItemEncoding; id: Gaussian };
}

/**
 * The item-side term over shared negatives: −log of each row's positive share in the softmax
 * over [positive, K pool items] at temperature `tau` (chance ln(1 + K)), pool items the row's
 * user has interacted with (its positive among them) masked out. Also returns the positive scores and the pool's (for tests).
 */
export function sharedNegativeRank(
  net: M2vaeNetwork,
  x: SharedNegativeBatch,
  tau: number,
): { loss: tf.Scalar; pos: tf.Tensor2D; neg: tf.Tensor2D } {
  const hasCommon = x.anchors.enc.common !== null && net.itemPosterior(x.anchors.enc) === null;
  const uf = userFactors(net, x.u, x.users, hasCommon);
  const idx = tf.tensor1d(x.anchors.index, "int32");
  const pos = rowScores(net, uf, itemFactors(net, x.anchors.enc, x.anchors.id.mu), idx);
  const neg = pairScores(net, uf, itemFactors(net, x.pool.enc, x.pool.id.mu));
  const b = x.anchors.index.length, k = x.pool.items.length;
  const mask = new Float32Array(b * k);
  for (let r = 0; r < b; r++) {
    const item = x.anchors.unique[x.anchors.index[r]], user = x.users[r];
    for (let n = 0; n < k; n++) {
      const m = x.pool.items[n];
      if (m === item || (x.seen !== null && hasNeighbour(x.seen, user, m))) mask[r * k + n] = -1e9;
    }
  }
  const logits = tf.concat([pos, tf.add(neg, tf.tensor2d(mask, [b, k]))], 1) as tf.Tensor2D;
  const loss = infoNceFirst(tau === 1 ? logits : tf.div(logits, tau) as tf.Tensor2D);
  return { loss, pos, neg };
}
