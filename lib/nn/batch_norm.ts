/**
 * Batch normalisation over the rows of a `[n, h]` input, with the variants of the originals the
 * models port as options: TF1's `tf.layers.batch_normalization` (GAR), PyTorch's `BatchNorm1d`
 * (GoRec) and DropoutNet's port (weighted batch statistics). Each keeps its exact arithmetic.
 *
 * Training mode normalises with the batch statistics and records them; after the optimiser step
 * that used them, {@linkcode commitBatchNorm} folds them into the running averages (so a step's
 * forward pass sees the averages as they were before it). Inference mode normalises with the
 * running averages. The running averages are non-trainable parameters of the `ParamSet`, so a
 * kept checkpoint and a saved training state carry them.
 *
 * @example A PyTorch-style BatchNorm in one training step, then at inference
 * ```ts
 * import { BatchNorm, commitBatchNorm, ParamSet, TORCH_BATCH_NORM } from "./lib/nn/mod.ts";
 * const p = new ParamSet(), rng = new Rng(1);
 * const bn = new BatchNorm(p, "enc.bn", 64, rng, TORCH_BATCH_NORM);
 * const train = { stats: [] };
 * opt.step([], () => ({ loss: tf.mean(bn.apply(x, train)) }));
 * commitBatchNorm(train.stats); // running averages updated, batch statistics released
 * const y = bn.apply(x); // inference: running averages
 * ```
 *
 * @module
 */
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import type { ParamSet } from "./params.ts";

/** How a {@linkcode BatchNorm} normalises, keeps its running averages and names them. */
export interface BatchNormOptions {
  /**
   * Weight of a batch's statistics in the running averages (PyTorch's `momentum`; TF1's
   * `momentum` is 1 − this).
   */
  momentum: number;
  /** Added to the variance under the square root. */
  eps: number;
  /** Learn a scale γ (default true; TF1's `scale=False` leaves it out). */
  scale?: boolean;
  /**
   * Zero-debias the running averages (as Adam's moments): with t updates the stored value is
   * Σ_k m^(t−k)(1−m)·x_k / (1 − m^t), m = 1 − momentum, so inference mode is right from the
   * first updates. The count t is the non-trainable parameter `<name>.updates`.
   */
  debias?: boolean;
  /**
   * Update the running variance with the unbiased batch variance n/(n−1) (PyTorch); otherwise
   * with the biased one the batch is normalised with.
   */
  unbiasedRunningVariance?: boolean;
  /**
   * Normalise as (x − μ)·(γ/√(σ² + ε)) instead of ((x − μ)/√(σ² + ε))·γ: the same in exact
   * arithmetic, not in float32 (DropoutNet's port computes it so).
   */
  foldScale?: boolean;
  /** Names of the running mean and variance under `<name>.` (γ and β are `gamma`, `beta`). */
  names: { mean: string; variance: string };
}

/**
 * TF1's `tf.layers.batch_normalization` defaults (momentum 0.99, ε 1e-3, biased variance),
 * with zero-debiased moving averages (GAR).
 */
export const TF1_BATCH_NORM: Readonly<BatchNormOptions> = {
  momentum: 0.01,
  eps: 1e-3,
  debias: true,
  names: { mean: "movingMean", variance: "movingVariance" },
};

/** PyTorch's `BatchNorm1d` defaults: momentum 0.1, ε 1e-5, unbiased running variance. */
export const TORCH_BATCH_NORM: Readonly<BatchNormOptions> = {
  momentum: 0.1,
  eps: 1e-5,
  unbiasedRunningVariance: true,
  names: { mean: "runningMean", variance: "runningVar" },
};

/** The batch statistics of one training-mode call, for {@linkcode commitBatchNorm}. */
export interface BatchNormStats {
  bn: BatchNorm;
  /** Kept tensors (`[h]`, or `[1, h]` from weighted statistics). */
  mean: tf.Tensor;
  variance: tf.Tensor;
  /** Rows of the batch. */
  n: number;
}

/**
 * Training mode of an {@linkcode BatchNorm.apply} call: where the batch statistics go and,
 * optionally, `[n, 1]` row weights summing to 1 (weighted mean and biased variance).
 */
export interface BatchNormTraining {
  stats: BatchNormStats[];
  weights?: tf.Tensor2D;
}

/** One batch-normalisation layer of `n` features. */
export class BatchNorm {
  readonly gamma?: tf.Variable;
  readonly beta: tf.Variable;
  readonly mean: tf.Variable;
  readonly variance: tf.Variable;
  /** Running-average updates so far (only with `debias`); non-trainable. */
  readonly updates?: tf.Variable;
  readonly options: Readonly<BatchNormOptions>;

  /**
   * Creates `<name>.{gamma,beta}` and the running averages (mean 0, variance 1) in `p`, in
   * that order, then `<name>.updates` with `debias`.
   */
  constructor(p: ParamSet, name: string, n: number, rng: Rng, options: BatchNormOptions) {
    this.options = options;
    if (options.scale ?? true) this.gamma = p.dense(`${name}.gamma`, [n], "ones", rng);
    this.beta = p.dense(`${name}.beta`, [n], "zeros", rng);
    this.mean = p.dense(`${name}.${options.names.mean}`, [n], "zeros", rng);
    this.variance = p.dense(`${name}.${options.names.variance}`, [n], "ones", rng);
    this.mean.trainable = this.variance.trainable = false;
    if (options.debias) {
      this.updates = p.dense(`${name}.updates`, [1], "zeros", rng);
      this.updates.trainable = false;
    }
  }

  /**
   * Normalises `x` (`[n, h]`): with `training`, by the batch statistics, which it records;
   * without (`null` or absent), by the running averages.
   */
  apply(x: tf.Tensor2D, training?: BatchNormTraining | null): tf.Tensor2D {
    const o = this.options;
    let mean: tf.Tensor = this.mean, variance: tf.Tensor = this.variance;
    if (training) {
      if (training.weights) {
        const w = training.weights;
        mean = tf.matMul(w, x, true, false); // [1, h]
        variance = tf.matMul(w, tf.square(tf.sub(x, mean)), true, false);
      } else {
        ({ mean, variance } = tf.moments(x, 0));
      }
      const n = x.shape[0];
      training.stats.push({ bn: this, mean: tf.keep(mean), variance: tf.keep(variance), n });
    }
    if (o.foldScale) {
      const scale = this.gamma
        ? tf.mul(this.gamma, tf.rsqrt(tf.add(variance, o.eps)))
        : tf.rsqrt(tf.add(variance, o.eps));
      return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta) as tf.Tensor2D;
    }
    const y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, o.eps)));
    return tf.add(this.gamma ? tf.mul(y, this.gamma) : y, this.beta) as tf.Tensor2D;
  }

  /** Folds one call's batch statistics into the running averages. */
  update(s: BatchNormStats): void {
    const o = this.options;
    tf.tidy(() => {
      const mean = tf.reshape(s.mean, [-1]);
      let variance = tf.reshape(s.variance, [-1]);
      if (o.unbiasedRunningVariance) variance = tf.mul(variance, s.n / Math.max(1, s.n - 1));
      if (this.updates) {
        // With t updates the weight of the old value is m(1 − m^(t−1))/(1 − m^t) (0 at t = 1).
        const t = this.updates.dataSync()[0] + 1, M = 1 - o.momentum;
        this.updates.assign(tf.scalar(t).reshape([1]));
        const m = M * (1 - M ** (t - 1)) / (1 - M ** t);
        this.mean.assign(tf.add(tf.mul(this.mean, m), tf.mul(mean, 1 - m)));
        this.variance.assign(tf.add(tf.mul(this.variance, m), tf.mul(variance, 1 - m)));
      } else {
        const m = o.momentum;
        this.mean.assign(tf.add(tf.mul(this.mean, 1 - m), tf.mul(mean, m)));
        this.variance.assign(tf.add(tf.mul(this.variance, 1 - m), tf.mul(variance, m)));
      }
    });
  }
}

/**
 * Folds the batch statistics of a training step into their layers' running averages, in the
 * order they were recorded, then releases them and empties `stats`. Call it after the optimiser
 * step that computed them.
 */
export function commitBatchNorm(stats: BatchNormStats[]): void {
  try {
    for (const s of stats) s.bn.update(s);
  } finally {
    tf.dispose(stats.flatMap((s) => [s.mean, s.variance]));
    stats.length = 0;
  }
}
