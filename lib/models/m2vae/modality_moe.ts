/**
 * Modality-level Mixture-of-Experts (M-MoE), section Methodology "Multi-View Fusion",
 * Eqs. 11–14: per unique view v a self-gated user u_v = u ⊙ σ(u W_g^v + b_g^v) (Eq. 11), the
 * logit (u_v ⊙ z_v ⊙ z_com)·w_v (Eq. 12), gates softmax(logits / τ) (Eq. 13), and the unique
 * view x_unique = Σ_v gate_v x_v for x ∈ {μ, logσ²} (Eq. 14).
 *
 * The logit is a dot product of a per-user vector u_v and a per-item vector z_v ⊙ z_com ⊙ w_v;
 * the cold scorer uses exactly this factorisation. `GateLogit` names the readings: the printed
 * product, its cosine over τ, or the cosine of u_v and w_v alone (`user`, ours: a user's
 * preference over the views that every item shares — see config.ts). Variants: "w/o SG" uses
 * u_v = u; "w/o M-MoE" replaces the gates by 1/V; "w/o common" drops z_com from the item vector.
 *
 * @module
 */
import { l2normalize, linear, type ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";

/**
 * How Eq. 12's logit is read: `product` (u_v ⊙ z_v ⊙ z_com)·w_v as printed, `cosine` (the
 * cosine of u_v and z_v ⊙ z_com ⊙ w_v), or `user` (the cosine of u_v and w_v: the item side is
 * the same for every item, so the gates depend on the user alone).
 */
export type GateLogit = "product" | "cosine" | "user";

/** Per-view parameters; `gw`/`gb` are absent without the self-gate. */
export interface ModalityMoe {
  gw: tf.Variable[] | null;
  gb: tf.Variable[] | null;
  w: tf.Variable[];
}

/** Creates the M-MoE parameters for the named unique views. */
export function createModalityMoe(
  p: ParamSet,
  views: string[],
  d: number,
  selfGate: boolean,
  rng: Rng,
): ModalityMoe {
  return {
    gw: selfGate ? views.map((v) => p.dense(`mmoe.${v}.gw`, [d, d], "glorot", rng)) : null,
    gb: selfGate ? views.map((v) => p.dense(`mmoe.${v}.gb`, [d], "zeros", rng)) : null,
    w: views.map((v) => p.dense(`mmoe.${v}.w`, [d, 1], "glorot", rng)),
  };
}

/** Eq. 11: the user filtered for view `v` (u itself without the self-gate). */
export function gatedUser(m: ModalityMoe, v: number, u: tf.Tensor2D): tf.Tensor2D {
  if (m.gw === null || m.gb === null) return u;
  return tf.mul(u, tf.sigmoid(linear(u, m.gw[v], m.gb[v])));
}

/** The item side of Eq. 12: z_v ⊙ z_com ⊙ w_v (z_v ⊙ w_v without a common view). */
export function itemGateVector(
  m: ModalityMoe,
  v: number,
  zv: tf.Tensor2D,
  zCom: tf.Tensor2D | null,
): tf.Tensor2D {
  const w = tf.reshape(m.w[v], [1, -1]);
  return tf.mul(zCom === null ? zv : tf.mul(zv, zCom), w);
}

/** The user factor of view `v`'s gate logit (Eq. 12): u_v, unit-normalised unless `product`. */
export function userGateFactor(
  m: ModalityMoe,
  v: number,
  u: tf.Tensor2D,
  logit: GateLogit,
): tf.Tensor2D {
  const user = gatedUser(m, v, u);
  return logit === "product" ? user : l2normalize(user);
}

/** The item factor of view `v`'s gate logit under `gateLogit: user`: w_v / ‖w_v‖, `[1, d]`. */
export function userGateItem(m: ModalityMoe, v: number): tf.Tensor2D {
  return l2normalize(tf.reshape(m.w[v], [1, -1]) as tf.Tensor2D);
}

/**
 * The item factor of view `v`'s gate logit (Eq. 12), one row per row of `zv`: z_v ⊙ z_com ⊙ w_v
 * (unit-normalised for `cosine`), or w_v / ‖w_v‖ on every row (`user`).
 */
export function itemGateFactor(
  m: ModalityMoe,
  v: number,
  zv: tf.Tensor2D,
  zCom: tf.Tensor2D | null,
  logit: GateLogit,
): tf.Tensor2D {
  if (logit === "user") {
    // A broadcast product, not tf.tile: tile's gradient is one slice and one add per row.
    return tf.mul(tf.ones([zv.shape[0], 1]), userGateItem(m, v));
  }
  const item = itemGateVector(m, v, zv, zCom);
  return logit === "cosine" ? l2normalize(item) : item;
}

/**
 * The two factors of view `v`'s gate logit (Eq. 12), whose dot product divided by τ is the
 * logit: the self-gated user rows and the item vectors, read as `logit` says.
 */
export function gateFactors(
  m: ModalityMoe,
  v: number,
  u: tf.Tensor2D,
  zv: tf.Tensor2D,
  zCom: tf.Tensor2D | null,
  logit: GateLogit,
): { user: tf.Tensor2D; item: tf.Tensor2D } {
  return { user: userGateFactor(m, v, u, logit), item: itemGateFactor(m, v, zv, zCom, logit) };
}

/**
 * View `v`'s gate logits (Eq. 12 over τ) of every user row against every item, `[users, items]`:
 * the cold scorer's and the diagnostics' factored form.
 */
export function pairGateLogits(
  m: ModalityMoe,
  v: number,
  u: tf.Tensor2D,
  zv: tf.Tensor2D,
  zCom: tf.Tensor2D | null,
  logit: GateLogit,
  tau: number,
): tf.Tensor2D {
  const f = gateFactors(m, v, u, zv, zCom, logit);
  return tf.div(tf.matMul(f.user, f.item, false, true), tau) as tf.Tensor2D;
}

/** Eq. 13: gates from `[n, V]` logits. */
export function modalityGates(logits: tf.Tensor2D, tau: number): tf.Tensor2D {
  return tf.softmax(tf.div(logits, tau)) as tf.Tensor2D;
}

/** Equal gates 1/V (variant "w/o M-MoE"), `[n, V]`. */
export function equalGates(n: number, views: number): tf.Tensor2D {
  return tf.fill([n, views], 1 / views) as tf.Tensor2D;
}

/** Eq. 14: Σ_v gates[:, v] · xs[v]. */
export function mixViews(gates: tf.Tensor2D, xs: tf.Tensor2D[]): tf.Tensor2D {
  if (xs.length === 1) return tf.mul(xs[0], tf.slice(gates, [0, 0], [-1, 1]));
  return tf.addN(xs.map((x, v) => tf.mul(x, tf.slice(gates, [0, v], [-1, 1])))) as tf.Tensor2D;
}
