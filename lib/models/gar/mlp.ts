/**
 * The MLP of GAR's official code (zfnWong/GAR, GAR/GAR.py `build_mlp`) with two layers and
 * tanh: [BatchNorm without scale] → FC → BatchNorm → tanh → dropout → FC, and TF1's
 * `tf.layers.batch_normalization` (momentum 0.99, ε 1e-3, biased batch variance; the shared
 * `BatchNorm` with `TF1_BATCH_NORM`). The moving averages live in the ParamSet as non-trainable
 * variables, so a kept checkpoint has them, and are updated by `commitBatchNorm` after the
 * optimiser step that computed the batch statistics, zero-debiased (unlike TF1) so inference mode
 * is right from the first updates; the update count is the parameter `<name>.updates`.
 *
 * @module
 */
import {
  BatchNorm,
  type BatchNormStats,
  type ParamSet,
  partsLinear,
  TF1_BATCH_NORM,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";

/** GAR's BatchNorm: TF1's defaults without a scale on the input BN₀, as `build_mlp`. */
const bn = (p: ParamSet, name: string, n: number, scale: boolean, rng: Rng) =>
  new BatchNorm(p, name, n, rng, { ...TF1_BATCH_NORM, scale });

/** Training mode: where BN statistics go and the dropout stream; `null` = inference mode. */
export type Mode = { stats: BatchNormStats[]; rng: Rng } | null;

/** The original's two-layer `build_mlp` (tanh): [BN₀] → FC → BN → tanh → dropout → FC. */
export class Mlp {
  readonly #bn0?: BatchNorm;
  readonly #bn1: BatchNorm;
  readonly #rate: number;
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;

  constructor(p: ParamSet, name: string, dims: number[], bnFirst: boolean, rate: number, rng: Rng) {
    const [inDim, hidden, out] = dims;
    if (bnFirst) this.#bn0 = bn(p, `${name}.bn0`, inDim, false, rng);
    this.w1 = p.dense(`${name}.w1`, [inDim, hidden], "glorot", rng);
    this.b1 = p.dense(`${name}.b1`, [hidden], "zeros", rng);
    this.#bn1 = bn(p, `${name}.bn1`, hidden, true, rng);
    this.w2 = p.dense(`${name}.w2`, [hidden, out], "glorot", rng);
    this.b2 = p.dense(`${name}.b2`, [out], "zeros", rng);
    this.#rate = rate;
  }

  /**
   * [BN₀] → FC: row-independent when there is no BN₀ or in inference mode. Without BN₀ the input
   * may come in parts (content: attributes ⊕ modalities), multiplied part by part so that no
   * gradient is taken for the constant ones.
   */
  head(x: tf.Tensor2D | tf.Tensor2D[], mode: Mode): tf.Tensor2D {
    if (Array.isArray(x)) {
      if (this.#bn0) return this.head(tf.concat(x, 1) as tf.Tensor2D, mode);
      return partsLinear(x, this.w1, this.b1);
    }
    const z = this.#bn0 ? this.#bn0.apply(x, mode) : x;
    return tf.add(tf.matMul(z, this.w1), this.b1) as tf.Tensor2D;
  }

  /** BN → tanh → dropout → FC. */
  tail(h: tf.Tensor2D, mode: Mode): tf.Tensor2D {
    let a = tf.tanh(this.#bn1.apply(h, mode));
    if (mode && this.#rate > 0) {
      const keep = tf.greaterEqual(
        tf.randomUniform(a.shape, 0, 1, "float32", mode.rng.nextU32()),
        this.#rate,
      );
      a = tf.mul(a, tf.div(tf.cast(keep, "float32"), 1 - this.#rate));
    }
    return tf.add(tf.matMul(a, this.w2), this.b2) as tf.Tensor2D;
  }

  forward(x: tf.Tensor2D, mode: Mode): tf.Tensor2D {
    return this.tail(this.head(x, mode), mode);
  }

  /** Σ‖W‖²/2 over the FC kernels (TF's l2_loss). */
  l2(): tf.Scalar {
    return tf.div(tf.add(tf.sum(tf.square(this.w1)), tf.sum(tf.square(this.w2))), 2) as tf.Scalar;
  }
}
