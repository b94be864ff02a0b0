/**
 * The MLP of GAR's official code (zfnWong/GAR, GAR/GAR.py `build_mlp`) with two layers and
 * tanh: [BatchNorm without scale] → FC → BatchNorm → tanh → dropout → FC, and TF1's
 * `tf.layers.batch_normalization` (momentum 0.99, ε 1e-3, biased batch variance). The moving
 * averages live in the ParamSet as non-trainable variables, so a kept checkpoint has them, and
 * are updated by {@linkcode commit} after the optimiser step that computed the batch statistics,
 * zero-debiased (unlike TF1) so inference mode is right from the first updates.
 *
 * @module
 */
import type { ParamSet } from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";

const BN_MOMENTUM = 0.99, BN_EPS = 1e-3;

/** Batch statistics of one training-mode BN call, applied to its moving averages after a step. */
export interface BnStats {
  bn: BatchNorm;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** Training mode: where BN statistics go and the dropout stream; `null` = inference mode. */
export type Mode = { stats: BnStats[]; rng: Rng } | null;

export class BatchNorm {
  readonly gamma?: tf.Variable;
  readonly beta: tf.Variable;
  readonly mean: tf.Variable;
  readonly variance: tf.Variable;
  /**
   * Moving-average updates so far (for the zero-debiasing in {@linkcode commit}); a
   * non-trainable parameter, so a saved training state carries it.
   */
  readonly updates: tf.Variable;

  constructor(p: ParamSet, name: string, n: number, scale: boolean, rng: Rng) {
    if (scale) this.gamma = p.dense(`${name}.gamma`, [n], "ones", rng);
    this.beta = p.dense(`${name}.beta`, [n], "zeros", rng);
    this.mean = p.dense(`${name}.movingMean`, [n], "zeros", rng);
    this.variance = p.dense(`${name}.movingVariance`, [n], "ones", rng);
    this.updates = p.dense(`${name}.updates`, [1], "zeros", rng);
    this.mean.trainable = this.variance.trainable = this.updates.trainable = false;
  }

  apply(x: tf.Tensor2D, mode: Mode): tf.Tensor2D {
    let mean: tf.Tensor = this.mean, variance: tf.Tensor = this.variance;
    if (mode) {
      ({ mean, variance } = tf.moments(x, 0));
      mode.stats.push({ bn: this, mean: tf.keep(mean), variance: tf.keep(variance) });
    }
    const y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS)));
    return tf.add(this.gamma ? tf.mul(y, this.gamma) : y, this.beta) as tf.Tensor2D;
  }
}

/** Folds the batch statistics of a step into the moving averages and frees them. */
export function commit(stats: BnStats[]): void {
  tf.tidy(() => {
    for (const s of stats) {
      // Zero-debiased EMA: with t updates, the stored value is Σ m^(t−k)(1−m)·x_k / (1 − m^t),
      // i.e. the running value updated with momentum m(1 − m^(t−1))/(1 − m^t) (0 at t = 1).
      const t = s.bn.updates.dataSync()[0] + 1, M = BN_MOMENTUM;
      s.bn.updates.assign(tf.scalar(t).reshape([1]));
      const m = M * (1 - M ** (t - 1)) / (1 - M ** t);
      s.bn.mean.assign(tf.add(tf.mul(s.bn.mean, m), tf.mul(s.mean, 1 - m)));
      s.bn.variance.assign(tf.add(tf.mul(s.bn.variance, m), tf.mul(s.variance, 1 - m)));
    }
  });
  tf.dispose(stats.flatMap((s) => [s.mean, s.variance]));
  stats.length = 0;
}

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
    if (bnFirst) this.#bn0 = new BatchNorm(p, `${name}.bn0`, inDim, false, rng);
    this.w1 = p.dense(`${name}.w1`, [inDim, hidden], "glorot", rng);
    this.b1 = p.dense(`${name}.b1`, [hidden], "zeros", rng);
    this.#bn1 = new BatchNorm(p, `${name}.bn1`, hidden, true, rng);
    this.w2 = p.dense(`${name}.w2`, [hidden, out], "glorot", rng);
    this.b2 = p.dense(`${name}.b2`, [out], "zeros", rng);
    this.#rate = rate;
  }

  /** [BN₀] → FC: row-independent when there is no BN₀ or in inference mode. */
  head(x: tf.Tensor2D, mode: Mode): tf.Tensor2D {
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
