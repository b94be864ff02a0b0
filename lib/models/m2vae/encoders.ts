/**
 * The attribute view of the multi-view generator, section Methodology "Multi-View Generator",
 * Eq. 4: a_i = AttenPooling(l_i A). (The Gaussian heads of Eqs. 2, 3, 5 and 8 are in
 * `lib/nn/gaussian.ts`.)
 *
 * @module
 */
import type { AttributeBag } from "../common/attribute_bag.ts";
import type { ParamSet } from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";
import { LEAKY_SLOPE, linear } from "../../nn/mod.ts";

/**
 * The attribute embedding A (one row per vocabulary token plus a learned "none" row at index
 * `vocab`) and the attention scorer s_t = w₂·LeakyReLU(A_t W₁ + b₁).
 */
export interface AttributeEncoder {
  table: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
}

/** Creates the attribute encoder for a vocabulary of `vocab` tokens. */
export function createAttributeEncoder(
  p: ParamSet,
  vocab: number,
  d: number,
  hidden: number,
  rng: Rng,
): AttributeEncoder {
  return {
    table: p.dense("attr.table", [vocab + 1, d], { normal: 0.1 }, rng),
    w1: p.dense("attr.w1", [d, hidden], "glorot", rng),
    b1: p.dense("attr.b1", [hidden], "zeros", rng),
    w2: p.dense("attr.w2", [hidden, 1], "glorot", rng),
  };
}

/**
 * Eq. 4: attention pooling over the embeddings of each item's present attributes, a masked
 * softmax done segment-wise: weights exp(s − max s) normalised by their per-item sum
 * (unsortedSegmentSum). The shift by the global maximum leaves each item's softmax unchanged;
 * the 1e-30 floor only matters if every weight of an item underflowed (then a_i = 0, not NaN).
 * An item without attributes has the single "none" token (weight 1), never an empty set.
 *
 * Reading taken: the paper does not define the attention scorer; this is CCFCRec's (which the
 * public M2VAE port keeps), a per-token score independent of the item.
 */
export function attentionPool(enc: AttributeEncoder, bag: AttributeBag): tf.Tensor2D {
  return tf.tidy(() => {
    const emb = tf.gather(enc.table, tf.tensor1d(bag.tokens, "int32")) as tf.Tensor2D;
    const h = tf.leakyRelu(linear(emb, enc.w1, enc.b1), LEAKY_SLOPE) as tf.Tensor2D;
    const s = linear(h, enc.w2); // [T, 1]
    const w = tf.exp(tf.sub(s, tf.max(s)));
    const seg = tf.tensor1d(bag.rows, "int32");
    const num = tf.unsortedSegmentSum(tf.mul(w, emb), seg, bag.size);
    const den = tf.unsortedSegmentSum(w, seg, bag.size);
    return tf.div(num, tf.add(den, 1e-30)) as tf.Tensor2D;
  });
}
