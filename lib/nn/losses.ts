/**
 * Loss terms shared by the models: Gaussian KL divergences (with optional free bits), the
 * reconstruction MSE, BPR, binary cross-entropy on logits and two InfoNCE forms (softmax
 * cross-entropy with the positive in column 0, and the sampled cosine InfoNCE with shared
 * negatives of CCFCRec's L_coCL, which M2VAE's co-occurrence term and PAD-CLRec reuse). They are
 * M2VAE's Eqs. 20–28 (section Methodology "Co-occurrence Signal Injection" and "Optimization")
 * where the paper defines them.
 *
 * Readings taken: every term is a mean over batch rows (KL and MSE sum over the d dimensions of
 * a row first), so the loss does not grow with the batch size; Eq. 27's −log(x_u − x_u⁻) is read
 * as BPR's −log σ(x_u − x_u⁻) (the logarithm of a difference is undefined when it is negative).
 *
 * @example BPR over users and a KL term
 * ```ts
 * import { bprUsers, standardKl } from "./lib/nn/mod.ts";
 * const e = tf.tensor2d([[1, 0]]), u = tf.tensor2d([[2, 0]]), uNeg = tf.tensor2d([[1, 5]]);
 * bprUsers(e, u, uNeg).print(); // softplus(1 − 2) ≈ 0.313
 * standardKl({ mu: tf.zeros([4, 8]), logVar: tf.zeros([4, 8]) }).print(); // 0
 * ```
 *
 * @module
 */
import { tf } from "../tf/mod.ts";
import type { Gaussian } from "./gaussian.ts";
import { l2normalize, logSumExpRows, pairMatmulFits, pairScores, rowDot, rowSum } from "./ops.ts";
import { pairDots } from "./pair_dots.ts";

/**
 * Twice the per-element KL `[n, d]` summed over dimensions and averaged over rows, halved; with
 * `freeBits` λ > 0 each dimension's row-mean KL is floored at λ nats first (free bits, Kingma et
 * al. 2016): a dimension below λ gets no gradient, so the KL cannot squeeze every unit to the
 * prior.
 */
function reduceKl(twice: tf.Tensor2D, freeBits: number): tf.Scalar {
  if (freeBits <= 0) return tf.mul(tf.mean(rowSum(twice)), 0.5) as tf.Scalar;
  return tf.sum(tf.maximum(tf.mul(tf.mean(twice, 0), 0.5), freeBits)) as tf.Scalar;
}

/**
 * KL(q ‖ p) between diagonal Gaussians, summed over dimensions, averaged over rows:
 * ½ Σ [logσ²_p − logσ²_q + (σ²_q + (μ_q − μ_p)²) / σ²_p − 1] (`freeBits`: see `reduceKl`).
 */
export function gaussianKl(q: Gaussian, p: Gaussian, freeBits = 0): tf.Scalar {
  return tf.tidy(() => {
    const diff = tf.sub(q.mu, p.mu);
    const ratio = tf.div(tf.add(tf.exp(q.logVar), tf.square(diff)), tf.exp(p.logVar));
    const t = tf.sub(tf.add(tf.sub(p.logVar, q.logVar), ratio), 1) as tf.Tensor2D;
    return reduceKl(t, freeBits);
  });
}

/**
 * KL(q ‖ N(0, I)) = ½ Σ [σ² + μ² − 1 − logσ²], summed over dimensions, averaged over rows
 * (`freeBits`: see `reduceKl`).
 */
export function standardKl(q: Gaussian, freeBits = 0): tf.Scalar {
  return tf.tidy(() => {
    const t = tf.sub(tf.add(tf.exp(q.logVar), tf.square(q.mu)), tf.add(q.logVar, 1));
    return reduceKl(t as tf.Tensor2D, freeBits);
  });
}

/** Eq. 26: squared error summed over dimensions, averaged over rows. */
export function reconstruction(target: tf.Tensor2D, output: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(rowSum(tf.squaredDifference(target, output))) as tf.Scalar);
}

/** Eq. 27: mean over rows of −log σ(e_new·e_u − e_new·e_u⁻). */
export function bprUsers(eNew: tf.Tensor2D, u: tf.Tensor2D, uNeg: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => bprFromScores(rowDot(eNew, u), rowDot(eNew, uNeg)));
}

/** Mean over rows of −log σ(x⁺ − x⁻) for `[n, 1]` positive and negative scores. */
export function bprFromScores(pos: tf.Tensor2D, neg: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.sub(neg, pos))));
}

/** −mean log softmax(logits)[:, 0] for `[n, 1 + k]` logits whose column 0 is the positive. */
export function infoNceFirst(logits: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.slice(tf.logSoftmax(logits), [0, 0], [-1, 1])));
}

/**
 * Softmax cross-entropy over columns: the mean over rows r of −log softmax(scores[r] / τ)[t_r]
 * for `[B, C]` scores and each row's target column t_r (`targets`, B entries in [0, C)). Its
 * chance level is ln C. Used where each row's candidates are the distinct items of the batch, so
 * no column repeats the positive.
 *
 * @example A row whose target dominates gives a loss near 0
 * ```ts
 * import { nceToColumns } from "./lib/nn/mod.ts";
 * nceToColumns(tf.tensor2d([[0, 10], [10, 0]]), Int32Array.of(1, 0), 1).print(); // ≈ 4.5e-5
 * ```
 */
export function nceToColumns(scores: tf.Tensor2D, targets: Int32Array, tau: number): tf.Scalar {
  const [b, c] = scores.shape;
  if (targets.length !== b) {
    throw new RangeError(`nceToColumns: ${targets.length} targets for ${b} rows`);
  }
  const flat = new Int32Array(b);
  for (let r = 0; r < b; r++) {
    if (!(targets[r] >= 0 && targets[r] < c)) {
      throw new RangeError(`nceToColumns: target ${targets[r]} of row ${r} outside [0, ${c})`);
    }
    flat[r] = r * c + targets[r];
  }
  return tf.tidy(() => {
    const logits = tau === 1 ? scores : tf.div(scores, tau) as tf.Tensor2D;
    const pos = tf.reshape(tf.gather(tf.reshape(logits, [-1]), tf.tensor1d(flat, "int32")), [b, 1]);
    return tf.mean(tf.sub(logSumExpRows(logits), pos)) as tf.Scalar;
  });
}

/**
 * Mean BCE with label 1 on logits: −log σ(x) = softplus(−x) (`tf.logSigmoid` crashes on wasm).
 */
export function bceOne(x: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(x)));
}

/** Mean BCE with label 0 on logits: −log(1 − σ(x)) = softplus(x). */
export function bceZero(x: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(x));
}

/**
 * The load-balancing penalty of a mixture of experts (Shazeer et al., ICLR 2017, "importance"
 * loss): the squared coefficient of variation of each expert's mean gate over the batch rows,
 * CV²(mean_r g_r) = V · Σ_v (ḡ_v − 1/V)² for `[n, V]` softmax gates (rows summing to 1). It is 0
 * when the experts are used equally on average, whatever each row's own weights are, and V − 1
 * when every row picks the same expert; so it keeps the gates from collapsing onto one expert
 * while leaving them free to differ between rows.
 *
 * @example
 * ```ts
 * const loss = gateBalance(tf.tensor2d([[0.9, 0.1], [0.1, 0.9]])); // 0: balanced on average
 * ```
 */
export function gateBalance(gates: tf.Tensor2D): tf.Scalar {
  const v = gates.shape[1];
  return tf.tidy(() => {
    const dev = tf.sub(tf.mean(gates, 0), 1 / v);
    return tf.mul(tf.sum(tf.square(dev)), v) as tf.Scalar;
  });
}

/**
 * The sampled cosine InfoNCE (CCFCRec's L_coCL; M2VAE's Eqs. 20–22): for each row r and each of
 * its `cp` positives p,
 * −log(e^{s_rp} / (e^{s_rp} + Σ_n e^{s_rn})) with s = cos(e_new, e_v) / τ, averaged over r and p.
 * The `cn` negatives of a row are shared by its positives, so only `[B, cp]` and `[B, cn]`
 * logits exist, never B × cp × cn × d. `cand` holds the distinct candidate ID embeddings;
 * `pos`/`neg` are row-major `[B, cp]` / `[B, cn]` indices into it. The logits are row dots per
 * position, or one `[B, U]` matMul and a gather where {@linkcode pairMatmulFits} says so (few
 * candidates and no pair-dots kernel).
 */
export function coOccurrenceLoss(
  eNew: tf.Tensor2D,
  cand: tf.Tensor2D,
  pos: Int32Array,
  neg: Int32Array,
  cp: number,
  cn: number,
  tau: number,
): tf.Scalar {
  return tf.tidy(() => {
    const b = eNew.shape[0], u = cand.shape[0];
    const a = l2normalize(eNew), c = l2normalize(cand);
    let sPos: tf.Tensor2D, sNeg: tf.Tensor2D;
    if (pairMatmulFits(u)) {
      const flat = tf.reshape(tf.div(tf.matMul(a, c, false, true), tau), [-1]);
      const at = (idx: Int32Array, k: number) => {
        const f = new Int32Array(idx.length);
        for (let j = 0; j < idx.length; j++) f[j] = Math.floor(j / k) * u + idx[j];
        return tf.reshape(tf.gather(flat, tf.tensor1d(f, "int32")), [b, k]) as tf.Tensor2D;
      };
      sPos = at(pos, cp);
      sNeg = at(neg, cn);
    } else {
      const dots = (idx: Int32Array, k: number) =>
        tf.div(pairDots(a, c, idx, k), tau) as tf.Tensor2D;
      sPos = dots(pos, cp);
      sNeg = dots(neg, cn);
    }
    // −log(e^p / (e^p + e^L)) = softplus(L − p), with L = logsumexp of the row's negatives.
    const lse = logSumExpRows(sNeg);
    return tf.mean(tf.softplus(tf.sub(lse, sPos))) as tf.Scalar;
  });
}

/**
 * {@linkcode coOccurrenceLoss} for several positive sets of the same rows, candidates and
 * negatives (CCFCRec's co-occurrence term and its self term): `positives[j]` holds row-major
 * `[B, k_j]` candidate indices, and the result is one loss per set, each equal to
 * `coOccurrenceLoss(eNew, cand, idx_j, neg, k_j, cn, tau)` up to float rounding. All logits
 * come from one {@linkcode pairScores} (one `[B, U]` matMul where the candidates are few) and
 * the negatives' log-sum-exp is shared, rather than one matMul and one per set.
 */
export function coOccurrenceLosses(
  eNew: tf.Tensor2D,
  cand: tf.Tensor2D,
  positives: { idx: Int32Array; k: number }[],
  neg: Int32Array,
  cn: number,
  tau: number,
): tf.Scalar[] {
  return tf.tidy(() => {
    const b = eNew.shape[0], width = positives.reduce((w, p) => w + p.k, cn);
    const idx = new Int32Array(b * width);
    for (let r = 0; r < b; r++) {
      let o = r * width;
      for (const { idx: p, k } of positives) {
        idx.set(p.subarray(r * k, (r + 1) * k), o);
        o += k;
      }
      idx.set(neg.subarray(r * cn, (r + 1) * cn), o);
    }
    const s = tf.div(pairScores(l2normalize(eNew), l2normalize(cand), idx, width), tau);
    const lse = logSumExpRows(tf.slice(s, [0, width - cn], [b, cn]) as tf.Tensor2D);
    let o = 0;
    return positives.map(({ k }) => {
      const sPos = tf.slice(s, [0, o], [b, k]);
      o += k;
      return tf.mean(tf.softplus(tf.sub(lse, sPos))) as tf.Scalar;
    });
  });
}

/**
 * In-batch softmax cross-entropy (InfoNCE whose negatives are the batch's other rows, as in
 * SimCLR/CLIP-style training): row r's positive is `scores[r, r]`, and its negatives are the
 * other columns s whose `keys[s]` differs from `keys[r]` (a column holding the same entity as
 * the positive — a user or item that occurs in several rows — is masked out rather than pushed
 * away). `extra` `[B, k]` appends k more negative scores per row (divided by τ like the rest).
 * Returns the mean over rows of −log softmax(scores[r] / τ)[r]; its chance level is ln(B + k)
 * when the keys are distinct.
 *
 * @example Two rows whose positives dominate give a loss near 0
 * ```ts
 * import { inBatchNce } from "./lib/nn/mod.ts";
 * const s = tf.tensor2d([[10, 0], [0, 10]]);
 * inBatchNce(s, new Int32Array([0, 1]), 1).print(); // ≈ 4.5e-5
 * ```
 */
export function inBatchNce(
  scores: tf.Tensor2D,
  keys: Int32Array,
  tau: number,
  extra?: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const b = scores.shape[0];
    if (scores.shape[1] !== b || keys.length !== b) {
      throw new RangeError(`inBatchNce: scores must be [B, B] with B keys (got ${scores.shape})`);
    }
    // Only rows that share a key need a mask: group them, and skip the [B, B] mask when none do.
    const byKey = new Map<number, number[]>();
    for (let r = 0; r < b; r++) {
      const group = byKey.get(keys[r]);
      if (group) group.push(r);
      else byKey.set(keys[r], [r]);
    }
    let logits = tf.div(scores, tau) as tf.Tensor2D;
    if (byKey.size < b) {
      const mask = new Float32Array(b * b);
      for (const group of byKey.values()) {
        for (const r of group) for (const s of group) if (s !== r) mask[r * b + s] = -1e9;
      }
      logits = tf.add(logits, tf.tensor2d(mask, [b, b]));
    }
    const diagonal = new Int32Array(b);
    for (let r = 0; r < b; r++) diagonal[r] = r * b + r;
    const pos = tf.reshape(tf.gather(tf.reshape(logits, [-1]), diagonal), [b, 1]);
    const all = extra === undefined
      ? logits
      : tf.concat([logits, tf.div(extra, tau)], 1) as tf.Tensor2D;
    return tf.mean(tf.sub(logSumExpRows(all), pos)) as tf.Scalar;
  });
}
