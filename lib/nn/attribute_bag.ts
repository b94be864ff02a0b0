/**
 * Variable-length attribute sets as "bags" for pooling on the TF.js side: the flattened token
 * ids of a batch of items, the batch row of each token, and 1/count per row. An item without
 * attributes gets one token, the learned "none" row at index `vocab.length`, so pooling never
 * divides by zero and never yields NaN.
 *
 * @example Mean-pooled attribute embeddings of a batch of items
 * ```ts
 * import { attributeBag, meanPool } from "./lib/nn/mod.ts";
 * const table = tf.randomNormal([ds.attributes.vocab.length + 1, 32]) as tf.Tensor2D;
 * const bag = attributeBag(ds.attributes, Int32Array.of(0, 4, 9));
 * const x = meanPool(table, bag); // [3, 32]
 * ```
 *
 * @module
 */
import type { Attributes } from "../data/dataset.ts";
import { tf } from "../tf/mod.ts";
import { messages, messageSum } from "./csr.ts";

/** A batch of attribute bags. */
export interface AttributeBag {
  /** Token ids of all rows, concatenated. */
  tokens: Int32Array;
  /** Batch row of each token. */
  rows: Int32Array;
  /** Tokens per row (≥ 1). */
  counts: Float32Array;
  /** Number of batch rows. */
  size: number;
}

/** Builds the bags of `items`; the "none" token id is `attrs.vocab.length`. */
export function attributeBag(attrs: Attributes, items: Int32Array): AttributeBag {
  const none = attrs.vocab.length;
  let total = 0;
  for (let r = 0; r < items.length; r++) {
    total += Math.max(1, attrs.offsets[items[r] + 1] - attrs.offsets[items[r]]);
  }
  const tokens = new Int32Array(total), rows = new Int32Array(total);
  const counts = new Float32Array(items.length);
  let k = 0;
  for (let r = 0; r < items.length; r++) {
    const lo = attrs.offsets[items[r]], hi = attrs.offsets[items[r] + 1];
    if (hi === lo) {
      tokens[k] = none;
      rows[k++] = r;
    } else {
      for (let j = lo; j < hi; j++) {
        tokens[k] = attrs.tokens[j];
        rows[k++] = r;
      }
    }
    counts[r] = Math.max(1, hi - lo);
  }
  return { tokens, rows, counts, size: items.length };
}

/**
 * Mean of the embedding rows of each bag: `[bag.size, d]`. Differentiable with respect to
 * `table`. The bag's tokens are messages from the table's rows to the bag rows, summed in one
 * pass each way (`messageSum`, csr.ts): the same floats as a gather of the token rows and a
 * segment sum, without their `[tokens, d]` intermediates.
 */
export function meanPool(table: tf.Tensor2D, bag: AttributeBag): tf.Tensor2D {
  return tf.tidy(() => {
    const m = messages(bag.tokens, bag.rows, table.shape[0], bag.size);
    const sums = messageSum(table, m);
    return tf.div(sums, tf.tensor2d(bag.counts, [bag.size, 1])) as tf.Tensor2D;
  });
}
