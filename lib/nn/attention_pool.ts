/**
 * CCFCRec's attribute attention (zzhin/CCFCRec, `Amazon VG/model.py`), which M2VAE's attribute
 * view keeps (its Eq. 4, a_i = AttenPooling(l_i A)): per bag, Σ_t softmax_t(s_t)·A_t over the
 * bag's tokens with the per-token score s_t = w₂·LeakyReLU(A_t W₁ + b₁). The softmax is done
 * segment-wise: weights exp(s − max s) normalised by their per-bag sum (a segment sum).
 * The shift by the batch maximum leaves each bag's softmax unchanged; the 1e-30 floor only
 * matters if every weight of a bag underflowed (then the pool is 0, not NaN). An item without
 * attributes has the single "none" token (weight 1), never an empty bag.
 *
 * @example Pooling the attributes of three items
 * ```ts
 * import { attentionPool, attributeBag, createAttributeAttention, ParamSet } from "./lib/nn/mod.ts";
 * const p = new ParamSet();
 * const att = createAttributeAttention(p, "attr", ds.attributes.vocab.length, 64, 32, new Rng(1));
 * const a = attentionPool(att, attributeBag(ds.attributes, Int32Array.of(0, 5, 9))); // [3, 64]
 * ```
 *
 * @module
 */
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import type { AttributeBag } from "./attribute_bag.ts";
import { LEAKY_SLOPE, linear, scatterRows } from "./ops.ts";
import type { ParamSet } from "./params.ts";
import { uniqueIndex } from "./unique.ts";

/**
 * The attribute embedding A (one row per vocabulary token plus a learned "none" row at index
 * `vocab`) and the attention scorer s_t = w₂·LeakyReLU(A_t W₁ + b₁).
 */
export interface AttributeAttention {
  table: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
}

/**
 * Creates `<name>.{table,w1,b1,w2}` for a vocabulary of `vocab` tokens: a `d`-wide table drawn
 * from N(0, `tableStd`²) (default 0.1), a Glorot scorer with `hidden` units and a zero bias.
 */
export function createAttributeAttention(
  p: ParamSet,
  name: string,
  vocab: number,
  d: number,
  hidden: number,
  rng: Rng,
  tableStd = 0.1,
): AttributeAttention {
  return {
    table: p.dense(`${name}.table`, [vocab + 1, d], { normal: tableStd }, rng),
    w1: p.dense(`${name}.w1`, [d, hidden], "glorot", rng),
    b1: p.dense(`${name}.b1`, [hidden], "zeros", rng),
    w2: p.dense(`${name}.w2`, [hidden, 1], "glorot", rng),
  };
}

/**
 * The attention pooling of every bag: `[bag.size, d]`. With `distinct` the table rows and
 * scores are computed once per distinct token and gathered to the bag positions (CCFCRec's
 * form: fewer rows, but a different summation order of the table's gradient); otherwise once
 * per token position (M2VAE's).
 */
export function attentionPool(
  att: AttributeAttention,
  bag: AttributeBag,
  distinct = false,
): tf.Tensor2D {
  const uniq = distinct ? uniqueIndex(bag.tokens, att.table.shape[0]) : null;
  return tf.tidy(() => {
    const ids = tf.tensor1d(uniq ? uniq.unique : bag.tokens, "int32");
    const emb = tf.gather(att.table, ids) as tf.Tensor2D;
    const h = tf.leakyRelu(linear(emb, att.w1, att.b1), LEAKY_SLOPE) as tf.Tensor2D;
    const s = linear(h, att.w2); // [T, 1]
    const w = tf.exp(tf.sub(s, tf.max(s)));
    const at = uniq ? tf.tensor1d(uniq.index, "int32") : null;
    const seg = tf.tensor1d(bag.rows, "int32");
    const wAt = at ? tf.gather(w, at) : w;
    // scatterRows: unsortedSegmentSum without the negative-id masks of its core gradient.
    const rowsAt = at ? tf.gather(emb, at) as tf.Tensor2D : emb;
    const num = scatterRows(tf.mul(wAt, rowsAt) as tf.Tensor2D, seg, bag.size);
    const den = scatterRows(wAt as tf.Tensor2D, seg, bag.size);
    return tf.div(num, tf.add(den, 1e-30)) as tf.Tensor2D;
  });
}
