/**
 * The dense content of items, as the models see it: each named modality standardised column by
 * column with statistics of the WARM items only (so nothing about cold items shapes training),
 * then kept as one constant tensor per modality from which batches gather rows.
 *
 * @example Gather the standardised modalities of a batch
 * ```ts
 * import { contentTensors, gatherContent } from "./lib/nn/mod.ts";
 * const content = contentTensors(ds, split.trainItems); // standardised on warm items only
 * const views = gatherContent(content, Int32Array.of(0, 4, 9)); // one [3, dim] per modality
 * for (const c of content) c.values.dispose();
 * ```
 *
 * @module
 */
import type { Attributes, Dataset, Modality } from "../data/dataset.ts";
import { tf } from "../tf/mod.ts";
import { attributeBag, meanPool } from "./attribute_bag.ts";

/** One standardised modality on the backend. */
export interface ContentTensor {
  name: string;
  dim: number;
  /** [numItems, dim], constant. */
  values: tf.Tensor2D;
}

/** Standardises a modality's columns with the mean/std of `warmItems` rows (std floor 1e-6). */
export function standardise(m: Modality, numItems: number, warmItems: Int32Array): Float32Array {
  const d = m.dim, mean = new Float64Array(d), sq = new Float64Array(d);
  for (const i of warmItems) {
    for (let c = 0; c < d; c++) {
      const v = m.data[i * d + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const n = Math.max(1, warmItems.length);
  const std = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    mean[c] /= n;
    std[c] = Math.max(1e-6, Math.sqrt(Math.max(0, sq[c] / n - mean[c] * mean[c])));
  }
  const out = new Float32Array(numItems * d);
  for (let i = 0; i < numItems; i++) {
    for (let c = 0; c < d; c++) out[i * d + c] = (m.data[i * d + c] - mean[c]) / std[c];
  }
  return out;
}

/** Uploads every modality of `ds`, standardised on `warmItems`. Caller disposes. */
export function contentTensors(ds: Dataset, warmItems: Int32Array): ContentTensor[] {
  const n = ds.itemIds.length;
  return ds.modalities.map((m) => ({
    name: m.name,
    dim: m.dim,
    values: tf.tensor2d(standardise(m, n, warmItems), [n, m.dim]),
  }));
}

/** Gathers the rows of `items` from each modality: one `[items.length, dim]` tensor each. */
export function gatherContent(content: ContentTensor[], items: Int32Array): tf.Tensor2D[] {
  return tf.tidy(() => {
    const idx = tf.tensor1d(items, "int32");
    return content.map((c) => tf.gather(c.values, idx) as tf.Tensor2D);
  });
}

/**
 * CLCRec's content input of `items` in parts: the rows of `attrTable` (`[vocab + 1, attrDim]`,
 * the last row for items without attributes) mean-pooled over each item's attributes, then each
 * modality's rows of `content`. Concatenated along axis 1 they are x ({@linkcode contentInput});
 * a model that transforms or adds a part concatenates them itself. Differentiable with respect to
 * `attrTable`.
 *
 * @example The pooled attributes and the modalities of three items
 * ```ts
 * import { contentParts, contentTensors } from "./lib/nn/mod.ts";
 * const content = contentTensors(ds, split.trainItems);
 * const table = tf.randomNormal([ds.attributes.vocab.length + 1, 32]);
 * const [attr, ...modalities] = contentParts(ds.attributes, table, content, Int32Array.of(0, 4, 9));
 * ```
 */
export function contentParts(
  attrs: Attributes,
  attrTable: tf.Tensor,
  content: ContentTensor[],
  items: Int32Array,
): tf.Tensor2D[] {
  const bag = attributeBag(attrs, items);
  return [meanPool(attrTable as tf.Tensor2D, bag), ...gatherContent(content, items)];
}

/**
 * Width of {@linkcode contentInput}: `attrDim` plus every modality's `dim`.
 *
 * @example The first layer of an encoder over the content input
 * ```ts
 * import { contentInputDim, contentTensors, ParamSet } from "./lib/nn/mod.ts";
 * const content = contentTensors(ds, split.trainItems), p = new ParamSet();
 * const w1 = p.dense("w1", [contentInputDim(64, content), 256], "glorot", new Rng(1));
 * ```
 */
export function contentInputDim(attrDim: number, content: ContentTensor[]): number {
  return attrDim + content.reduce((s, c) => s + c.dim, 0);
}

/**
 * CLCRec's content input x of `items`: the mean-pooled attribute embedding ⊕ every standardised
 * modality, `[items.length, contentInputDim(attrDim, content)]` (the parts of {@linkcode contentParts}, concatenated).
 *
 * @example The content input of three items
 * ```ts
 * import { contentInput, contentTensors } from "./lib/nn/mod.ts";
 * const content = contentTensors(ds, split.trainItems);
 * const table = tf.randomNormal([ds.attributes.vocab.length + 1, 32]);
 * const x = contentInput(ds.attributes, table, content, Int32Array.of(0, 4, 9));
 * ```
 */
export function contentInput(
  attrs: Attributes,
  attrTable: tf.Tensor,
  content: ContentTensor[],
  items: Int32Array,
): tf.Tensor2D {
  return tf.concat(contentParts(attrs, attrTable, content, items), 1);
}
