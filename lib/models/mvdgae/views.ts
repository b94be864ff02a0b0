/**
 * The meta-path view encoder of MVDGAE: neighbour attention for one user–item meta-path (the
 * paper's node-level attention over meta-path neighbours, in GAT form). The item–attribute view
 * is CLCRec's content encoder (`lib/nn/content_encoder.ts`).
 *
 * @module
 */
import type { ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { gatherRows, tf } from "../../tf/mod.ts";
import { scatterRows, segmentSoftmax } from "../common/graph.ts";

/**
 * A meta-path view by neighbour attention: for target node k with own representation s_k and
 * neighbours n with representations x_n,
 *   m_n = x_n W,  e_kn = LeakyReLU₀.₂(a_dst·s_k + a_src·m_n),  α = softmax_n(e_k·),
 *   v_k = ELU(Σ_n α_kn m_n).
 * A node without neighbours gets a zero row (its view is missing; the caller masks it).
 */
export class AttentionView {
  #w: tf.Variable;
  #aDst: tf.Variable;
  #aSrc: tf.Variable;

  /** Creates the parameters `<name>.{w,aDst,aSrc}` for `dim`-wide rows. */
  constructor(p: ParamSet, name: string, dim: number, rng: Rng) {
    this.#w = p.dense(`${name}.w`, [dim, dim], "glorot", rng);
    this.#aDst = p.dense(`${name}.aDst`, [dim, 1], "glorot", rng);
    this.#aSrc = p.dense(`${name}.aSrc`, [dim, 1], "glorot", rng);
  }

  /**
   * @param self `[K, dim]` target rows
   * @param neighbours `[N, dim]` rows of the distinct neighbour nodes
   * @param at `[E]` row in `neighbours` of each message
   * @param segment `[E]` target (0 … K−1) of each message
   */
  apply(
    self: tf.Tensor2D,
    neighbours: tf.Tensor2D,
    at: tf.Tensor1D,
    segment: tf.Tensor1D,
  ): tf.Tensor2D {
    return tf.tidy(() => {
      const k = self.shape[0];
      if (at.size === 0) return tf.zeros([k, self.shape[1]]) as tf.Tensor2D;
      const m = tf.matMul(neighbours, this.#w as tf.Tensor2D) as tf.Tensor2D; // per neighbour
      const eDst = gatherRows(tf.matMul(self, this.#aDst as tf.Tensor2D) as tf.Tensor2D, segment);
      const eSrc = gatherRows(tf.matMul(m, this.#aSrc as tf.Tensor2D) as tf.Tensor2D, at);
      const alpha = segmentSoftmax(
        tf.leakyRelu(tf.add(eDst, eSrc), 0.2) as tf.Tensor2D,
        segment,
        k,
      );
      return tf.elu(scatterRows(tf.mul(alpha, gatherRows(m, at)) as tf.Tensor2D, segment, k));
    });
  }
}
