/**
 * Cold-item scoring, section Methodology (cold inference): a cold item has no ID embedding, so
 * z = μ_f(u, i) (no sampling), e_new(u, i) = Dec([μ_f; a_i; c_i…]) and score = e_new(u, i)·e_u.
 *
 * `exact` factors the algebra: per item, the views, the Gaussians, the common view, the item
 * side of the gate logits (μ_v ⊙ μ_com ⊙ w_v), the decoder's item-only pre-activation and each
 * expert's μ W_z; per user, the self-gated users, α and W₂ e_u; per (user, item) block, the
 * gate logits by one matMul per view (per user alone under `gateLogit: user`). A scorer computes each users block's and each items
 * block's side once per evaluation (`ScoringMemo`). Only the gate softmax, the decoder's hidden non-linearity
 * and its dot with W₂ e_u remain per pair (pair_kernel.ts). When the fused posterior does not
 * depend on the user (the "weighted PoE" variant, or `shared` inference, which uses the common
 * view only), e_new is computed once per item and scores are one matMul.
 *
 * `naiveScores` is the reference: the full forward pass of training (without sampling) run for
 * every (user, item) pair, item views included.
 *
 * @module
 */
import { BlockMemo } from "../../eval/block_memo.ts";
import type { Scorer } from "../../eval/scorer.ts";
import { tf } from "../../tf/mod.ts";
import { decode, decoderCondition } from "./decoder.ts";
import type { ItemEncoding, M2vaeNetwork } from "./network.ts";
import { type GateLogit, itemGateFactor, userGateFactor, userGateItem } from "./modality_moe.ts";
import { rowDot } from "../../nn/mod.ts";
import { type PairInputs, scorePairs } from "./pair_kernel.ts";

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

/**
 * What one scorer remembers across the evaluator's blocks (block_memo.ts): each users block's
 * and each items block's side of the factored computation, computed once per evaluation. In
 * item2user every items block meets every users block, so without it the users' side (W₂ e_u,
 * α, the self-gated gate factors) ran once per items block and the items' encoders once per
 * users block.
 */
export interface ScoringMemo {
  users: BlockMemo<UserSide>;
  items: BlockMemo<ItemSide>;
  /** e_new per items block, for the user-independent modes. */
  decoded: BlockMemo<Float32Array>;
}

/** Floats a scorer may hold per side: 64 Mi (256 MB; ML-20M's 138,493 users need 54 Mi). */
const MEMO_FLOATS = 1 << 26;

/** A fresh memo (see {@linkcode ScoringMemo}). */
export function scoringMemo(capacity = MEMO_FLOATS): ScoringMemo {
  const floats = (arrays: (Float32Array | null)[]) =>
    arrays.reduce((n, a) => n + (a?.length ?? 0), 0);
  return {
    users: new BlockMemo<UserSide>(
      capacity,
      (s) => floats([s.wHat, s.bias, s.commonWeight, ...(s.gateUsers ?? [])]),
    ),
    items: new BlockMemo<ItemSide>(
      capacity,
      (s) => floats([s.cond, s.mCom, ...s.mViews, ...(s.gateItems ?? [])]),
    ),
    decoded: new BlockMemo<Float32Array>(capacity, (a) => a.length),
  };
}

/** Scores when the posterior is user-independent: one e_new per item, then `[nu, ni]`. */
function itemOnlyScores(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
  mode: InferenceMode,
  memo?: ScoringMemo,
): Float32Array {
  const decodeItems = () =>
    readBack([tf.tidy(() => {
      const enc = net.encodeItems(items, null);
      return decode(net.dec, itemLatent(net, enc, mode), enc.raws);
    })])[0];
  const eNew = memo ? memo.decoded.get(items, decodeItems) : decodeItems();
  const s = tf.tidy(() => {
    const e = tf.tensor2d(eNew, [items.length, eNew.length / items.length]);
    return tf.matMul(net.users.rowsTensor(users), e, false, true);
  });
  return readBack([s])[0];
}

/**
 * Exact personalised scores `[users × items]`, factored (see the module doc). `memo` keeps
 * each block's user and item sides for the next blocks (a scorer passes its own).
 */
export function factoredScores(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
  mode: InferenceMode = "exact",
  memo?: ScoringMemo,
): Float32Array {
  if (mode !== "exact" || net.poeLogWeights !== null) {
    return itemOnlyScores(net, users, items, mode, memo);
  }
  return scorePairs(factoredPairInputs(net, users, items, memo));
}

/** The users' side of exact scoring: what depends on the user alone. */
export interface UserSide {
  /** ŵ_u = W₂ e_u `[nu, hidden]`. */
  wHat: Float32Array;
  /** b₂·e_u `[nu]`. */
  bias: Float32Array;
  /** α_u `[nu]`, null without a common view. */
  commonWeight: Float32Array | null;
  /** Per view, the gate logit's user factor divided by τ `[nu, d]`; null without M-MoE. */
  gateUsers: Float32Array[] | null;
  /** `plantedFusion: gates | both`: per view, the users' planted gate logits `[nu]`; else null. */
  plantedLogits: Float32Array[] | null;
}

/** The items' side of exact scoring: what depends on the item alone. */
export interface ItemSide {
  /** The decoder's item-only pre-activation `[ni, hidden]`. */
  cond: Float32Array;
  /** μ_com W_z `[ni, hidden]`, null without a common view. */
  mCom: Float32Array | null;
  /** μ_v W_z per unique view `[ni, hidden]`. */
  mViews: Float32Array[];
  /** Per view, the gate logit's item factor `[ni, d]` (`[1, d]` under `gateLogit: user`); null without M-MoE. */
  gateItems: Float32Array[] | null;
}

/** Computes the users' side of a block (see {@linkcode UserSide}). */
export function userSide(net: M2vaeNetwork, users: Int32Array): UserSide {
  const nv = net.viewNames.length, cfg = net.cfg;
  const hasCom = cfg.commonView, moe = net.mmoe !== null;
  const logit = cfg.gateLogit as GateLogit;
  const host = readBack(tf.tidy(() => {
    const u = net.users.rowsTensor(users);
    const list: tf.Tensor[] = [
      tf.matMul(u, net.dec.w2 as tf.Tensor2D, false, true),
      tf.matMul(u, tf.reshape(net.dec.b2, [-1, 1])),
    ];
    if (hasCom) list.push(net.commonWeight(u, users));
    if (moe) {
      for (let v = 0; v < nv; v++) {
        list.push(tf.div(userGateFactor(net.mmoe!, v, u, logit), cfg.tauGate));
      }
    }
    const planted = net.plantedGateLogits(users);
    if (planted !== null) list.push(tf.transpose(planted));
    return list;
  }));
  const nu = users.length, p = hasCom ? 3 : 2;
  const planted = net.planted.gateLogits === null
    ? null
    : Array.from({ length: nv }, (_, v) => host[p].subarray(v * nu, (v + 1) * nu));
  return {
    wHat: host[0],
    bias: host[1],
    commonWeight: hasCom ? host[2] : null,
    gateUsers: moe ? host.slice(p) : null,
    plantedLogits: planted,
  };
}

/** Computes the items' side of a block (see {@linkcode ItemSide}). */
export function itemSide(net: M2vaeNetwork, items: Int32Array): ItemSide {
  const nv = net.viewNames.length, cfg = net.cfg;
  const hasCom = cfg.commonView, moe = net.mmoe !== null;
  const logit = cfg.gateLogit as GateLogit;
  const host = readBack(tf.tidy(() => {
    const enc = net.encodeItems(items, null);
    const wZ = net.dec.wZ as tf.Tensor2D;
    const com = enc.common?.mu ?? null;
    const list: tf.Tensor[] = [
      decoderCondition(net.dec, enc.raws),
      ...enc.views.map((g) => tf.matMul(g.mu, wZ)),
    ];
    if (hasCom) list.push(tf.matMul(com!, wZ));
    if (moe) {
      for (let v = 0; v < nv; v++) {
        // Under `user` every item has the same factor: its one row.
        list.push(
          logit === "user"
            ? userGateItem(net.mmoe!, v)
            : itemGateFactor(net.mmoe!, v, enc.views[v].mu, com, logit),
        );
      }
    }
    return list;
  }));
  const k = 1 + nv + (hasCom ? 1 : 0);
  return {
    cond: host[0],
    mViews: host.slice(1, 1 + nv),
    mCom: hasCom ? host[1 + nv] : null,
    gateItems: moe ? host.slice(k, k + nv) : null,
  };
}

/**
 * The per-pair inputs of exact scoring for a (users, items) block: everything that the tensor
 * ops compute before the pair kernel (for a user-dependent posterior; see the module doc). Per
 * block only the gate logits, one matMul per view, join the two sides; `memo` keeps the sides.
 */
export function factoredPairInputs(
  net: M2vaeNetwork,
  users: Int32Array,
  items: Int32Array,
  memo?: ScoringMemo,
): PairInputs {
  const us = memo ? memo.users.get(users, () => userSide(net, users)) : userSide(net, users);
  const is = memo ? memo.items.get(items, () => itemSide(net, items)) : itemSide(net, items);
  const nu = users.length, ni = items.length, d = net.cfg.dim;
  // `gateLogit: user`: the item side keeps one gate-factor row (w_v normalised), so the logits
  // are one per user, [nu] per view, and the kernel mixes with a user's gates throughout.
  const planted = us.plantedLogits;
  const userGates = planted !== null || (net.cfg.gateLogit as GateLogit) === "user";
  const logits = planted !== null
    ? planted
    : us.gateUsers === null
    ? null
    : readBack(tf.tidy(() =>
      us.gateUsers!.map((gu, v) =>
        userGates
          ? tf.reshape(
            tf.matMul(
              tf.tensor2d(gu, [nu, d]),
              tf.tensor2d(is.gateItems![v], [1, d]),
              false,
              true,
            ),
            [nu],
          )
          : tf.matMul(tf.tensor2d(gu, [nu, d]), tf.tensor2d(is.gateItems![v], [ni, d]), false, true)
      )
    ));
  return {
    nu,
    ni,
    hidden: net.cfg.decoderHidden,
    cond: is.cond,
    wHat: us.wHat,
    bias: us.bias,
    mViews: is.mViews,
    mCom: is.mCom,
    commonWeight: us.commonWeight,
    logits,
    userGates,
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
      const z = mode === "exact"
        ? net.fuse(u, enc, null, pu).posterior.mu
        : itemLatent(net, enc, mode);
      return rowDot(decode(net.dec, z, enc.raws), u);
    });
    out.set(readBack([s])[0], start);
  }
  return out;
}

/**
 * The Scorer handed to the evaluators, for one evaluation: it keeps each block's user and item
 * sides (see {@linkcode ScoringMemo}), so take a new one after the parameters change.
 */
export function m2vaeScorer(net: M2vaeNetwork, mode: InferenceMode): Scorer {
  // One evaluation's memo: the parameters do not change while a scorer is in use.
  const memo = scoringMemo();
  return {
    score: (users: Int32Array, items: Int32Array) =>
      Promise.resolve(factoredScores(net, users, items, mode, memo)),
  };
}
