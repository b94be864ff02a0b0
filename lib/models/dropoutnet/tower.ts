/**
 * DropoutNet's tower (Volkovs et al., NeurIPS 2017; layer6ai-labs/DropoutNet tf2/model.py):
 * FC → BatchNorm → tanh per hidden layer, then a linear output. BatchNorm uses (optionally
 * weighted) batch statistics in training and running averages (momentum 0.01, ε 1e-3, biased
 * batch variance, kept as non-trainable parameters so checkpoints restore them) when scoring.
 *
 * @module
 */
import {
  BatchNorm,
  type BatchNormOptions,
  type BatchNormStats,
  linear,
  type ParamSet,
  partsLinear,
  TORCH_BATCH_NORM,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";

/** The ColdRec port's BatchNorm: momentum 0.01, ε 1e-3, the biased variance, γ folded in. */
const BN: BatchNormOptions = {
  ...TORCH_BATCH_NORM,
  momentum: 0.01,
  eps: 1e-3,
  unbiasedRunningVariance: false,
  foldScale: true,
};

interface Layer {
  w: tf.Variable;
  b: tf.Variable;
  bn: BatchNorm;
}

/** One tower: FC → BN → tanh per hidden layer, then a linear output. */
export class Tower {
  readonly layers: Layer[] = [];
  readonly out: { w: tf.Variable; b: tf.Variable };

  constructor(p: ParamSet, name: string, sizes: number[], dim: number, rng: Rng) {
    for (let l = 1; l < sizes.length; l++) {
      const at = `${name}.${l}`, h = sizes[l];
      this.layers.push({
        w: p.dense(`${at}.w`, [sizes[l - 1], h], { normal: 0.01 }, rng),
        b: p.dense(`${at}.b`, [h], "zeros", rng),
        bn: new BatchNorm(p, at, h, rng, BN),
      });
    }
    this.out = {
      w: p.dense(`${name}.out.w`, [sizes[sizes.length - 1], dim], { normal: 0.01 }, rng),
      b: p.dense(`${name}.out.b`, [dim], "zeros", rng),
    };
  }

  /**
   * Applies the tower. With `weights` ([n, 1], summing to 1) BatchNorm uses the weighted batch
   * statistics and records them in `stats` (for `commitBatchNorm` after the optimiser step);
   * without, it uses the running averages.
   */
  apply(
    x: tf.Tensor2D | tf.Tensor2D[],
    weights?: tf.Tensor2D,
    stats?: BatchNormStats[],
  ): tf.Tensor2D {
    // The input may come in parts (e.g. [v_pref, attributes, modalities]): the first layer
    // then multiplies part by part, so no gradient is taken for the constant parts.
    let h: tf.Tensor2D | tf.Tensor2D[] = x;
    const layer = (w: tf.Variable, b: tf.Variable) =>
      Array.isArray(h) ? partsLinear(h, w, b) : linear(h, w, b);
    for (const l of this.layers) {
      h = tf.tanh(l.bn.apply(layer(l.w, l.b), weights && { stats: stats!, weights }));
    }
    return layer(this.out.w, this.out.b);
  }
}
