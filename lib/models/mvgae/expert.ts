/**
 * One MVGAE modality expert: the `GCN` module of jing-1/MVGAE `Model.py` (as ported in
 * enoche/MMRec `src/models/mvgae.py`) with `concate = False` and `aggr = "mean"`:
 *
 *   x⁰ = normalize([P ; MLP(F)])                        (user preference rows, item feature rows)
 *   xˡ = leaky(G_l · leaky(conv_l(xˡ⁻¹)))                 for l = 1 … layers
 *   μ  = G_μ · leaky(conv_μ(x)) + leaky(L_μ x)
 *   logσ² = G_σ · leaky(conv_σ(x)) + leaky(L_σ x)
 *
 * where conv(x) = dropout₀.₁(normalize(mean_{N(v) ∪ v}(x) W + b)) (`BaseModel`). The mean is
 * linear, so it is applied before W (same result, fewer rows to gather when W shrinks the width).
 *
 * @module
 */
import { type Gaussian, l2normalize, type ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";
import { type BlockTensors, propagate } from "../common/graph.ts";

/** Item feature rows of an expert for dataset item ids: `[items.length, featDim]`. */
export type ItemFeatures = (items: Int32Array) => tf.Tensor2D;

/** Sizes of an expert. */
export interface ExpertSizes {
  /** Output (latent) size: `embedding_size` (64). */
  dim: number;
  /** Width of the user preference rows and of the feature MLP: `dim_latent` (128). */
  hidden: number;
  /** GCN layers before the μ / logσ² convolutions: `n_layers` (1). */
  layers: number;
}

/** Drops entries of a `[n, d]` tensor in training (`null` in evaluation). */
export type Dropout = ((x: tf.Tensor2D) => tf.Tensor2D) | null;

/** Inverted dropout with keep masks from `rng`: four entries per 32-bit draw (p in 1/256). */
export function rngDropout(rate: number, rng: Rng): Dropout {
  if (rate <= 0) return null;
  const cut = Math.round(rate * 256);
  return (x) => {
    const n = x.size, mask = new Float32Array(n), keep = 1 / (1 - cut / 256);
    for (let k = 0; k < n; k += 4) {
      const r = rng.nextU32();
      for (let b = 0; b < 4 && k + b < n; b++) {
        mask[k + b] = ((r >>> (8 * b)) & 255) < cut ? 0 : keep;
      }
    }
    return tf.mul(x, tf.tensor2d(mask, x.shape)) as tf.Tensor2D;
  };
}

interface Linear {
  w: tf.Variable;
  b: tf.Variable;
}

/** PyTorch's `F.leaky_relu` (slope 0.01; TF.js defaults to 0.2). */
function leaky(x: tf.Tensor2D): tf.Tensor2D {
  return tf.leakyRelu(x, 0.01) as tf.Tensor2D;
}

function lin(x: tf.Tensor2D, l: Linear): tf.Tensor2D {
  return tf.add(tf.matMul(x, l.w as tf.Tensor2D), l.b) as tf.Tensor2D;
}

/** A GCN expert giving a Gaussian (μ, logσ²) for every node. */
export class GcnExpert {
  readonly name: string;
  readonly features: ItemFeatures;
  /** User preference rows P: `[numUsers, hidden]`. */
  readonly preference: tf.Variable;
  #mlp: Linear;
  #conv: Linear[] = [];
  #g: Linear[] = [];
  #head: { conv: Linear; lin: Linear; g: Linear }[] = [];

  /** Creates the expert's parameters under `name.*`. */
  constructor(
    p: ParamSet,
    name: string,
    numUsers: number,
    featDim: number,
    features: ItemFeatures,
    s: ExpertSizes,
    rng: Rng,
  ) {
    this.name = name;
    this.features = features;
    const linear = (key: string, i: number, o: number): Linear => ({
      w: p.dense(`${name}.${key}.w`, [i, o], "glorot", rng),
      b: p.dense(`${name}.${key}.b`, [o], "zeros", rng),
    });
    this.preference = p.dense(`${name}.preference`, [numUsers, s.hidden], { normal: 0.1 }, rng);
    this.#mlp = linear("mlp", featDim, s.hidden);
    for (let l = 0; l < s.layers; l++) {
      this.#conv.push(linear(`conv${l + 1}`, l === 0 ? s.hidden : s.dim, s.dim));
      this.#g.push(linear(`g${l + 1}`, s.dim, s.dim));
    }
    const inDim = s.layers === 0 ? s.hidden : s.dim;
    for (const key of ["mu", "logvar"]) {
      this.#head.push({
        conv: linear(`${key}.conv`, inDim, s.dim),
        lin: linear(`${key}.lin`, inDim, s.dim),
        g: linear(`${key}.g`, s.dim, s.dim),
      });
    }
  }

  /** x⁰ rows: `[P[users] ; MLP(F(items))]`, row-normalised, optionally reordered by `perm`. */
  input(users: Int32Array, items: Int32Array, perm: tf.Tensor1D | null): tf.Tensor2D {
    return tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      if (users.length > 0) {
        const all = users.length === this.preference.shape[0] && isRange(users);
        parts.push(
          all
            ? this.preference as tf.Tensor2D
            : tf.gather(this.preference, tf.tensor1d(users, "int32")) as tf.Tensor2D,
        );
      }
      if (items.length > 0) parts.push(lin(this.features(items), this.#mlp));
      const x = l2normalize(parts.length === 1 ? parts[0] : tf.concat(parts, 0));
      return perm === null ? x : tf.gather(x, perm) as tf.Tensor2D;
    });
  }

  /**
   * The Gaussian of the last block's destinations. `blocks` has `layers + 1` entries (the
   * same full-graph block repeated, or sampled blocks outermost first); `x0` holds the first
   * block's source rows.
   */
  forward(x0: tf.Tensor2D, blocks: BlockTensors[], drop: Dropout): Gaussian {
    const conv = (x: tf.Tensor2D, b: BlockTensors, l: Linear) => {
      // mean(x)W + b = mean(xW + b): transform first when W narrows the rows to gather.
      const narrows = l.w.shape[1]! < l.w.shape[0]!;
      const h = l2normalize(narrows ? propagate(lin(x, l), b) : lin(propagate(x, b), l));
      return drop === null ? h : drop(h);
    };
    return tf.tidy(() => {
      let x = x0;
      this.#conv.forEach((c, l) => {
        x = leaky(lin(leaky(conv(x, blocks[l], c)), this.#g[l]));
      });
      const last = blocks[this.#conv.length];
      const self = last.numDst === x.shape[0] ? x : tf.slice(x, [0, 0], [last.numDst, -1]);
      const agg = propagate(x, last); // shared by both heads (linear, so reused before each W)
      const [mu, logVar] = this.#head.map((h) => {
        const c = l2normalize(tf.add(tf.matMul(agg, h.conv.w as tf.Tensor2D), h.conv.b));
        const hc = leaky(drop === null ? c as tf.Tensor2D : drop(c as tf.Tensor2D));
        return tf.add(lin(hc, h.g), leaky(lin(self, h.lin)));
      }) as tf.Tensor2D[];
      return { mu, logVar };
    });
  }
}

function isRange(ids: Int32Array): boolean {
  for (let k = 0; k < ids.length; k++) if (ids[k] !== k) return false;
  return true;
}
