/**
 * Cold-item scoring, section Methodology (cold inference): a cold item has no ID embedding, so
 * z = μ_f(u, i) (no sampling), e_new(u, i) = Dec([μ_f; a_i; c_i…]) and score = e_new(u, i)·e_u.
 *
 * `exact` factors the algebra: per item, the views, the Gaussians, the common view, the item
 * side of the gate logits (μ_v ⊙ μ_com ⊙ w_v), the decoder's item-only pre-activation and each
 * expert's μ W_z; per user, the self-gated users, α and W₂ e_u; per (user, item) block, the
 * gate logits by one matMul per view. Only the gate softmax, the decoder's hidden non-linearity
 * and its dot with W₂ e_u remain per pair (pair_kernel.ts). When the fused posterior does not
 * depend on the user (the "weighted PoE" variant, or `shared` inference, which uses the common
 * view only), e_new is computed once per item and scores are one matMul.
 *
 * `naiveScores` is the reference: the full forward pass of training (without sampling) run for
 * every (user, item) pair, item views included.
 *
 * @module
 */
import type { Scorer } from "../../eval/scorer.ts";
import { tf } from "../../tf/mod.ts";
import { decode, decoderCondition } from "./decoder.ts";
import type { ItemEncoding, M2vaeNetwork } from "./network.ts";
import { pairGateLogits } from "./modality_moe.ts";
import { rowDot } from "../../nn/mod.ts";
import { type PairInputs, scorePairs } from "./pair_kernel.ts";
import { viewGate } from "./view_moe.ts";

/**
 * Cold inference mode: `exact` (z = μ_f(u, i)), `shared` (the common view's μ only) or
 * `noLatent` (z = 0, the prior's mean: the decoder's raw-view path alone). `noLatent` is a
 * probe, not a config option: exact − noLatent is what the latent path adds at inference.
 */
export type InferenceMode = "exact" | "shared" | "noLatent";

/** The z that `mode` decodes for items whose views are `enc` (user-independent modes only). */
function itemLatent(
  net: M2vaeNetwork,
  enc: ItemEncoding,
  mode: InferenceMode,
): tf.Tensor2D {
  if (mode === "noLatent") return tf.zeros([enc.raws[0].shape[0], net.cfg.dim]);
  return (mode === "shared" ? net.sharedPosterior(enc) : net.itemPosterior(enc)!).mu;
}

function readBack(ts: tf.Tensor[]): Float32Array[] {
  const out = ts.map((t) => t.dataSync() as Float32Array);
  tf.dispose(ts);
  return out;
}

/** Scores when the posterior is user-independent: one e_new per item, then `[nu, ni]`. */
function itemOnlyScores(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
  mode: InferenceMode,
): Float32Array {
  const s = tf.tidy(() => {
    const enc = net.encodeItems(items, null);
    const eNew = decode(net.dec, itemLatent(net, enc, mode), enc.raws);
    return tf.matMul(net.users.rowsTensor(users), eNew, false, true);
  });
  return readBack([s])[0];
}

/** Exact personalised scores `[users × items]`, factored (see the module doc). */
export function factoredScores(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
  mode: InferenceMode = "exact",
): Float32Array {
  if (mode !== "exact" || net.poeLogWeights !== null) {
    return itemOnlyScores(net, users, items, mode);
  }
  return scorePairs(factoredPairInputs(net, users, items));
}

/**
 * The per-pair inputs of exact scoring for a (users, items) block: everything that the tensor
 * ops compute before the pair kernel (for a user-dependent posterior; see the module doc).
 */
export function factoredPairInputs(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
): PairInputs {
  const nv = net.viewNames.length, cfg = net.cfg;
  const hasCom = cfg.commonView, moe = net.mmoe !== null;
  const tensors = tf.tidy(() => {
    const enc = net.encodeItems(items, null);
    const wZ = net.dec.wZ as tf.Tensor2D;
    const u = net.users.rowsTensor(users);
    const list: tf.Tensor[] = [
      decoderCondition(net.dec, enc.raws),
      tf.matMul(u, net.dec.w2 as tf.Tensor2D, false, true),
      tf.matMul(u, tf.reshape(net.dec.b2, [-1, 1])),
      ...enc.views.map((g) => tf.matMul(g.mu, wZ)),
    ];
    if (hasCom) {
      list.push(tf.matMul(enc.common!.mu, wZ));
      list.push(net.vmoe !== null ? viewGate(net.vmoe, u) : tf.fill([users.length], 0.5));
    }
    if (moe) {
      for (let v = 0; v < nv; v++) {
        const cosine = cfg.gateLogit === "cosine", com = enc.common?.mu ?? null;
        list.push(pairGateLogits(net.mmoe!, v, u, enc.views[v].mu, com, cosine, cfg.tauGate));
      }
    }
    return list;
  });
  const host = readBack(tensors);
  let k = 3 + nv;
  const mCom = hasCom ? host[k++] : null;
  const commonWeight = hasCom ? host[k++] : null;
  return {
    nu: users.length,
    ni: items.length,
    hidden: cfg.decoderHidden,
    cond: host[0],
    wHat: host[1],
    bias: host[2],
    mViews: host.slice(3, 3 + nv),
    mCom,
    commonWeight,
    logits: moe ? host.slice(k, k + nv) : null,
  };
}

/**
 * Reference scores: the training forward pass (means, no sampling) for every (user, item)
 * pair separately, `chunk` pairs per tensor batch.
 */
export function naiveScores(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
  mode: InferenceMode = "exact",
  chunk = 4096,
): Float32Array {
  const n = users.length * items.length, out = new Float32Array(n);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const pu = new Int32Array(m), pi = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      pu[k] = users[Math.floor((start + k) / items.length)];
      pi[k] = items[(start + k) % items.length];
    }
    const s = tf.tidy(() => {
      const enc = net.encodeItems(pi, null);
      const u = net.users.rowsTensor(pu);
      const z = mode === "exact" ? net.fuse(u, enc, null).posterior.mu : itemLatent(net, enc, mode);
      return rowDot(decode(net.dec, z, enc.raws), u);
    });
    out.set(readBack([s])[0], start);
  }
  return out;
}

/** The Scorer handed to the evaluators. */
export function m2vaeScorer(net: M2vaeNetwork, mode: InferenceMode): Scorer {
  return {
    score: (users: Int32Array, items: Int32Array) =>
      Promise.resolve(factoredScores(net, users, items, mode)),
  };
}
