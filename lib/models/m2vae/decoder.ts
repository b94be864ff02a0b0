/**
 * Decoder, section Methodology "Decoder", Eq. 19: e_new = F([z; a_i; c_i…]) with F an MLP,
 * here one LeakyReLU hidden layer and a linear output of size d.
 *
 * The first layer on the concatenation is kept as one block per input (W_z for z, one W_k per
 * raw view), so that z W_z — the only user-dependent part at cold inference — and the item-only
 * part Σ_k x_k W_k + b₁ can be computed separately (see scorer.ts). The output layer is linear,
 * so e_new·e_u = LeakyReLU(h)·(W₂ e_u) + b₂·e_u. Reading taken: the port's BatchNorm and tanh
 * output are not in the paper and are left out (batch statistics have no meaning for a single
 * (user, item) pair at inference).
 *
 * @module
 */
import { LEAKY_SLOPE, linear, type ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";

/** Decoder parameters. */
export interface Decoder {
  wZ: tf.Variable;
  /** One block per raw view, in view order (attributes, then each modality). */
  wCond: tf.Variable[];
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

/** Creates the decoder for `conditions` raw views of size d. */
export function createDecoder(
  p: ParamSet,
  d: number,
  conditions: string[],
  hidden: number,
  rng: Rng,
): Decoder {
  return {
    wZ: p.dense("dec.wZ", [d, hidden], "glorot", rng),
    wCond: conditions.map((c) => p.dense(`dec.w.${c}`, [d, hidden], "glorot", rng)),
    b1: p.dense("dec.b1", [hidden], "zeros", rng),
    w2: p.dense("dec.w2", [hidden, d], "glorot", rng),
    b2: p.dense("dec.b2", [d], "zeros", rng),
  };
}

/**
 * Item-only part of the first layer: Σ_k x_k W_k + b₁, `[n, hidden]` (b₁ on every row for a
 * decoder that reads z alone; `raws` then only give n).
 */
export function decoderCondition(dec: Decoder, raws: tf.Tensor2D[]): tf.Tensor2D {
  if (dec.wCond.length === 0) {
    return tf.add(tf.zeros([raws[0].shape[0], dec.b1.shape[0]]), dec.b1) as tf.Tensor2D;
  }
  const parts = raws.map((x, k) => tf.matMul(x, dec.wCond[k] as tf.Tensor2D));
  return tf.add(parts.length === 1 ? parts[0] : tf.addN(parts), dec.b1);
}

/** Latent part of the first layer: z W_z, `[n, hidden]`. */
export function decoderLatent(dec: Decoder, z: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(z, dec.wZ as tf.Tensor2D);
}

/** The rest of F after the first layer's pre-activation: LeakyReLU(pre) W₂ + b₂. */
export function decoderOutput(dec: Decoder, pre: tf.Tensor2D): tf.Tensor2D {
  return linear(tf.leakyRelu(pre, LEAKY_SLOPE) as tf.Tensor2D, dec.w2, dec.b2);
}

/** Eq. 19: e_new = F([z; raws…]). */
export function decode(dec: Decoder, z: tf.Tensor2D, raws: tf.Tensor2D[]): tf.Tensor2D {
  return decoderOutput(dec, tf.add(decoderLatent(dec, z), decoderCondition(dec, raws)));
}
