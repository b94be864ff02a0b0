/**
 * A running top-K per query with a deterministic tie-break, for ranking without sorting rows.
 *
 * @module
 */

/**
 * The order in which candidate `candidate` stands among equal scores for query `query`: a hash
 * of the pair (murmur3's finaliser over both ids), so ties fall in an order unrelated to the ids
 * — which follow the interaction file, where popular items and active users come first — and yet
 * the same in every run, whatever the blocks the candidates come in.
 *
 * @example Usage
 * ```ts
 * tieOrder(3, 7) === tieOrder(3, 7); // true: deterministic
 * ```
 */
export function tieOrder(query: number, candidate: number): number {
  let h = Math.imul(query, 0x9e3779b1) ^ Math.imul(candidate ^ 0x7f4a7c15, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Keeps, for each of `numQueries` queries, the K best (candidate id, score) pairs seen so far,
 * best first. Higher scores win; equal scores are broken by {@linkcode tieOrder} of the query's
 * id (see {@linkcode setQueries}) and the candidate id, then by the lower candidate id, so the
 * result depends neither on the order in which candidates are offered nor on the ids' order
 * (a constant scorer ranks as a random one would, not by the ids' popularity order).
 * `-Infinity` scores are never kept (a masked candidate never enters a list) and NaN scores are
 * rejected.
 *
 * Hot loops should pre-filter with `threshold`: a candidate can only enter when
 * `!(score < threshold[q])` (that test also lets NaN through to be reported).
 *
 * @example Usage
 * ```ts
 * const top = new TopK(1, 2);
 * top.offer(0, 7, 0.5); top.offer(0, 3, 0.9); top.offer(0, 1, 0.5);
 * top.ids(0); // Int32Array [3, 7] or [3, 1]: 7 and 1 tie, and tieOrder(0, ·) decides
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
  /** The id of each query slot (its slot number until {@linkcode setQueries}). */
  #queryIds: Int32Array;

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
    this.#queryIds = Int32Array.from({ length: numQueries }, (_, i) => i);
  }

  /**
   * Names the queries of the slots 0, 1, … (e.g. the user or item ids of a block), so that ties
   * break by the query's own id and not by its slot in the block.
   */
  setQueries(ids: ArrayLike<number>): void {
    if (ids.length > this.numQueries) {
      throw new RangeError(`setQueries: ${ids.length} ids for ${this.numQueries} queries`);
    }
    for (let i = 0; i < ids.length; i++) this.#queryIds[i] = ids[i];
  }

  /** Whether candidate `a` goes before `b` at equal scores for the query in slot `q`. */
  #before(q: number, a: number, b: number): boolean {
    const qid = this.#queryIds[q], ta = tieOrder(qid, a), tb = tieOrder(qid, b);
    return ta < tb || (ta === tb && a < b);
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
      if (!(score > ls || (score === ls && this.#before(q, id, ids[base + k - 1])))) return;
      n = k - 1;
    } else {
      this.#counts[q] = n + 1;
    }
    let p = base + n;
    while (
      p > base &&
      (score > scores[p - 1] || (score === scores[p - 1] && this.#before(q, id, ids[p - 1])))
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
