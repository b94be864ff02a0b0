/**
 * CLCRec's content encoder f(x) = W2·LeakyReLU(W1·x + b1) + b2 over x = mean-pooled attribute
 * embedding ⊕ every standardised dense modality; shared by CLCRec, PAD-CLRec (which builds on
 * it) and MVDGAE's item–attribute view. Parameters are `attribute` and `<prefix>.{w1,b1,w2,b2}`.
 *
 * @example A content encoder in a model's ParamSet
 * ```ts
 * import { ContentEncoder, ParamSet } from "./lib/nn/mod.ts";
 * const p = new ParamSet(), dims = { attrDim: 64, hidden: 256, out: 64 };
 * const enc = new ContentEncoder(ds, split.trainItems, p, dims, new Rng(1));
 * const f = enc.encode(split.testItems); // [testItems, 64], from content only
 * ```
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import type { ParamSet } from "./params.ts";
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import { contentInputDim, contentParts, type ContentTensor, contentTensors } from "./content.ts";
import { partsLinear } from "./ops.ts";

/** A two-layer content encoder registered in a model's ParamSet. */
export class ContentEncoder {
  readonly #ds: Dataset;
  readonly #content: ContentTensor[];
  readonly #attr: tf.Variable;
  readonly #w1: tf.Variable;
  readonly #b1: tf.Variable;
  readonly #w2: tf.Variable;
  readonly #b2: tf.Variable;
  readonly #slope: number;

  /** Creates the parameters in `p` (attribute table N(0, 0.1²), Glorot weights, zero biases). */
  constructor(
    ds: Dataset,
    warmItems: Int32Array,
    p: ParamSet,
    dims: { attrDim: number; hidden: number; out: number },
    rng: Rng,
    /** Parameter-name prefix and LeakyReLU slope (defaults: `encoder`, TF.js's 0.2). */
    opts: { prefix?: string; slope?: number } = {},
  ) {
    const prefix = opts.prefix ?? "encoder";
    this.#slope = opts.slope ?? 0.2;
    this.#ds = ds;
    this.#content = contentTensors(ds, warmItems);
    const vocab = ds.attributes.vocab.length + 1;
    this.#attr = p.dense("attribute", [vocab, dims.attrDim], { normal: 0.1 }, rng);
    const inDim = contentInputDim(dims.attrDim, this.#content);
    this.#w1 = p.dense(`${prefix}.w1`, [inDim, dims.hidden], "glorot", rng);
    this.#b1 = p.dense(`${prefix}.b1`, [dims.hidden], "zeros", rng);
    this.#w2 = p.dense(`${prefix}.w2`, [dims.hidden, dims.out], "glorot", rng);
    this.#b2 = p.dense(`${prefix}.b2`, [dims.out], "zeros", rng);
  }

  /** f(x) of `items`: `[items.length, out]`. */
  encode(items: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      // x·W1 part by part: no gradient is taken for the constant modality columns.
      const x = contentParts(this.#ds.attributes, this.#attr, this.#content, items);
      const h = tf.leakyRelu(partsLinear(x, this.#w1, this.#b1), this.#slope);
      return tf.add(tf.matMul(h, this.#w2), this.#b2) as tf.Tensor2D;
    });
  }

  /** Releases the content tensors (the parameters belong to the ParamSet). */
  dispose(): void {
    for (const c of this.#content) c.values.dispose();
  }
}
