/**
 * A running top-K per query with a deterministic tie-break, for ranking without sorting rows.
 *
 * @module
 */

/**
 * Keeps, for each of `numQueries` queries, the K best (candidate id, score) pairs seen so far,
 * best first. Higher scores win; equal scores are broken by the lower candidate id, so the
 * result does not depend on the order in which candidates are offered. `-Infinity` scores are
 * never kept (a masked candidate never enters a list) and NaN scores are rejected.
 *
 * Hot loops should pre-filter with `threshold`: a candidate can only enter when
 * `!(score < threshold[q])` (that test also lets NaN through to be reported).
 *
 * @example Usage
 * ```ts
 * const top = new TopK(1, 2);
 * top.offer(0, 7, 0.5); top.offer(0, 3, 0.9); top.offer(0, 1, 0.5);
 * top.ids(0); // Int32Array [3, 1]
 * ```
 */
export class TopK {
  /** Number of queries. */
  readonly numQueries: number;
  /** K. */
  readonly k: number;
  /** Per query: the score a candidate must at least reach to enter (−Infinity until full). */
  readonly threshold: Float64Array;
  #scores: Float64Array;
  #ids: Int32Array;
  #counts: Int32Array;

  /**
   * Creates empty lists.
   *
   * @param numQueries Number of queries tracked at once.
   * @param k List length per query (≥ 1).
   */
  constructor(numQueries: number, k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`Invalid k: ${k}`);
    if (!Number.isInteger(numQueries) || numQueries < 0) {
      throw new RangeError(`Invalid numQueries: ${numQueries}`);
    }
    this.numQueries = numQueries;
    this.k = k;
    this.threshold = new Float64Array(numQueries).fill(-Infinity);
    this.#scores = new Float64Array(numQueries * k);
    this.#ids = new Int32Array(numQueries * k);
    this.#counts = new Int32Array(numQueries);
  }

  /** Empties every list. */
  reset(): void {
    this.threshold.fill(-Infinity);
    this.#counts.fill(0);
  }

  /** Offers candidate `id` with `score` to query `q`. */
  offer(q: number, id: number, score: number): void {
    if (score !== score) throw new RangeError(`Score is NaN for candidate ${id} of query ${q}`);
    if (score === -Infinity) return;
    const k = this.k, base = q * k, scores = this.#scores, ids = this.#ids;
    let n = this.#counts[q];
    if (n === k) {
      const ls = scores[base + k - 1];
      if (!(score > ls || (score === ls && id < ids[base + k - 1]))) return;
      n = k - 1;
    } else {
      this.#counts[q] = n + 1;
    }
    let p = base + n;
    while (
      p > base && (score > scores[p - 1] || (score === scores[p - 1] && id < ids[p - 1]))
    ) {
      scores[p] = scores[p - 1];
      ids[p] = ids[p - 1];
      p--;
    }
    scores[p] = score;
    ids[p] = id;
    if (this.#counts[q] === k) this.threshold[q] = scores[base + k - 1];
  }

  /** Number of entries kept for query q (≤ K). */
  count(q: number): number {
    return this.#counts[q];
  }

  /** Kept candidate ids of query q, best first (a view: copy it before the next `reset`). */
  ids(q: number): Int32Array {
    return this.#ids.subarray(q * this.k, q * this.k + this.#counts[q]);
  }

  /** Kept scores of query q, best first (a view). */
  scores(q: number): Float64Array {
    return this.#scores.subarray(q * this.k, q * this.k + this.#counts[q]);
  }
}
