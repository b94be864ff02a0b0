/**
 * CLCRec — Wei et al., "Contrastive Learning for Cold-Start Recommendation", ACM MM 2021.
 *
 * Followed: the official code's loss (weiyinwei/CLCRec, model_CLCRec.py, summarised in
 * research notes §3.3): a content encoder f(x) = W2·LeakyReLU(W1·x + b1) + b2 trained end to end
 * with two InfoNCE terms over each positive and its `cn` sampled negative items,
 *   L = λ·NCE(norm e_i, norm f(x_{i,·}))  +  (1−λ)·NCE(u, {e or f(x)}_{i,·})  +  reg·(‖u‖ + ‖e‖)/2,
 * where in the second term a random fraction `numSample` of the item inputs are replaced by their
 * content encoding, and scores are exp(dot/τ). A cold item is represented by f(x_i) only.
 *
 * Reading taken: the original encodes one concatenated content vector; here the content is the
 * mean-pooled embedding of the item's categorical attributes (a learned table, with a learned
 * "none" row) concatenated with every standardised dense modality, so any number of modalities
 * works and the attribute view is learned rather than a fixed multi-hot.
 *
 * @module
 */
import { type ColdStartModel, type ModelContext, type ModelSpec } from "./model.ts";
import {
  ContentEncoder,
  infoNceFirst,
  l2normalize,
  type Optimizer,
  pairScores,
  ParamSet,
  rowNorm,
  uniqueIndex,
} from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import type { TrainBatch } from "../train/sampler.ts";
import { tf } from "../tf/mod.ts";
import { dotScorer } from "./common/read_scores.ts";
import type { Scorer } from "../eval/scorer.ts";

/** CLCRec hyperparameters (defaults: the official MovieLens settings, dims scaled as noted). */
export interface ClcrecConfig extends Record<string, unknown> {
  /** Embedding size (dim_E = 64 in the original). */
  dim: number;
  /** Encoder hidden units (256 in the original). */
  hidden: number;
  /** Attribute token embedding size. */
  attrDim: number;
  /** Temperature τ of both InfoNCE terms (MovieLens setting 2.0). */
  tau: number;
  /** λ weighting the item–content term against the user–item term (0.5). */
  lambda: number;
  /** Fraction of item inputs replaced by their content encoding in the user–item term (0.5). */
  numSample: number;
  /** Negative items per positive (num_neg; 128 in the original). */
  negatives: number;
  /** Weight of the embedding-norm regulariser (0.1 on MovieLens). */
  regWeight: number;
  /** The encoder's LeakyReLU slope (0.01, PyTorch's default, in both reference codes). */
  slope: number;
  /**
   * How the content-replaced positions are drawn: `randint` — ⌊N·numSample⌋ positions with
   * replacement, as both reference codes (`torch.randint`; ≈ 39% of positions at 0.5) — or
   * `bernoulli` — each position with probability numSample (what this port did before).
   */
  mixing: string;
}

const DEFAULTS: ClcrecConfig = {
  dim: 64,
  hidden: 256,
  attrDim: 64,
  tau: 2.0,
  lambda: 0.5,
  numSample: 0.5,
  negatives: 128,
  regWeight: 0.1,
  slope: 0.01,
  mixing: "randint",
};

/**
 * Which item inputs of a step are replaced by their content encoding (1) rather than their ID
 * embedding (0): each of `n` independently with probability `numSample` (`bernoulli`), or
 * ⌊n·numSample⌋ positions drawn with replacement (`randint`, the reference codes' way).
 */
export function contentMask(
  n: number,
  numSample: number,
  rng: Rng,
  mixing = "bernoulli",
): Float32Array {
  const mask = new Float32Array(n);
  if (mixing === "randint") {
    for (let k = Math.floor(n * numSample); k > 0; k--) mask[rng.int(n)] = 1;
  } else {
    for (let k = 0; k < n; k++) mask[k] = rng.uniform() < numSample ? 1 : 0;
  }
  return mask;
}

/**
 * CLCRec's user–item term (PAD-CLRec's L_ui too): InfoNCE of ⟨u, v⟩/τ over each row's
 * `width` = 1 + cn items, the positive first, where the item input v is the content encoding
 * f (mask 1) or the ID embedding e (mask 0). `u` holds one user row per batch row, `f` and `e`
 * the same candidate items' rows, `at` (row-major `[rows, width]`) each position's candidate
 * and `mask` its 0/1 choice. As mask·⟨u, f⟩ + (1 − mask)·⟨u, e⟩ is exactly the chosen dot
 * product, each position reads its row of [f ; e] directly ({@linkcode pairScores}: one matMul
 * and a gather where the candidates are few).
 */
export function userItemNce(
  u: tf.Tensor2D,
  f: tf.Tensor2D,
  e: tf.Tensor2D,
  at: Int32Array,
  mask: Float32Array,
  tau: number,
  width: number,
): tf.Scalar {
  const n = f.shape[0];
  if (e.shape[0] !== n) throw new RangeError("userItemNce: f and e must hold the same items");
  const idx = new Int32Array(at.length);
  for (let k = 0; k < at.length; k++) idx[k] = mask[k] === 1 ? at[k] : at[k] + n;
  const s = pairScores(u, tf.concat([f, e], 0), idx, width);
  return infoNceFirst(tf.div(s, tau));
}

class Clcrec implements ColdStartModel {
  readonly name = "clcrec";
  readonly params = new ParamSet();
  readonly needs;
  #encoder: ContentEncoder;
  #ctx: ModelContext;
  #cfg: ClcrecConfig;
  #users;
  #items;

  constructor(cfg: ClcrecConfig, ctx: ModelContext) {
    const { dataset: ds, split, rng } = ctx;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.needs = { negUsers: false, cp: 0, cn: cfg.negatives };
    const p = this.params, d = cfg.dim;
    this.#users = p.embedding("user", split.numUsers, d, { normal: 0.1 }, rng);
    this.#items = p.embedding("item", split.numItems, d, { normal: 0.1 }, rng);
    const dims = { attrDim: cfg.attrDim, hidden: cfg.hidden, out: d };
    this.#encoder = new ContentEncoder(ds, split.trainItems, p, dims, rng, { slope: cfg.slope });
  }

  /** f(x) for `items`: [items.length, dim]. */
  encode(items: Int32Array): tf.Tensor2D {
    return this.#encoder.encode(items);
  }

  trainStep(batch: TrainBatch, opt: Optimizer): Record<string, number> {
    const { tau, lambda, numSample, regWeight } = this.#cfg;
    const b = batch.users.length, width = 1 + batch.cn;
    const items = new Int32Array(b * width); // row r: [positive, negatives…]
    for (let r = 0; r < b; r++) {
      items[r * width] = batch.items[r];
      items.set(batch.negItems.subarray(r * batch.cn, (r + 1) * batch.cn), r * width + 1);
    }
    const mask = contentMask(b * width, numSample, this.#ctx.rng, this.#cfg.mixing);
    const uniq = uniqueIndex(items, this.#ctx.split.numItems);
    const positives = new Int32Array(b);
    for (let r = 0; r < b; r++) positives[r] = uniq.index[r * width];
    const counts = new Float32Array(uniq.unique.length);
    for (const k of uniq.index) counts[k] += 1 / uniq.index.length;
    return opt.step(
      [{ table: this.#users, ids: batch.users }, { table: this.#items, ids: uniq.unique }],
      ([u, e]) => {
        // Per-item work runs once per distinct item, and each row's 1 + cn scores are entries
        // of one [b, distinct items] matMul ({@linkcode pairScores}; no [b·(1 + cn), d] rows).
        const f = this.encode(uniq.unique);
        const head = tf.gather(l2normalize(e), tf.tensor1d(positives, "int32")) as tf.Tensor2D;
        const s1 = pairScores(head, l2normalize(f), uniq.index, width);
        const itemContent = infoNceFirst(tf.div(s1, tau));
        const userItem = userItemNce(u, f, e, uniq.index, mask, tau, width);
        // Mean norm over positions = count-weighted mean over the distinct items.
        const eNorm = tf.sum(tf.mul(rowNorm(e), tf.tensor2d(counts, [counts.length, 1])));
        const reg = tf.div(tf.add(tf.mean(rowNorm(u)), eNorm), 2) as tf.Scalar;
        const loss = tf.addN([
          tf.mul(lambda, itemContent),
          tf.mul(1 - lambda, userItem),
          tf.mul(regWeight, reg),
        ]) as tf.Scalar;
        return { loss, terms: { itemContent, userItem, reg } };
      },
    );
  }

  scorer(): Scorer {
    return dotScorer((ids) => this.#users.rowsTensor(ids), (ids) => this.encode(ids));
  }

  dispose(): void {
    this.params.dispose();
    this.#encoder.dispose();
  }
}

/** Registry entry of CLCRec. */
export const clcrecSpec: ModelSpec<ClcrecConfig> = {
  name: "clcrec",
  label: "CLCRec",
  family: "contrastive",
  reference: "Wei et al., MM 2021; loss as in weiyinwei/CLCRec model_CLCRec.py",
  defaults: DEFAULTS,
  create: (cfg, ctx) => new Clcrec(cfg, ctx),
};
