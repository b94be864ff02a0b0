/**
 * Pure ranking metrics on relevance lists.
 *
 * A relevance list `rels` is the ranked top of one query, best first: `rels[j]` is 1 when the
 * candidate at rank j + 1 is a ground-truth positive and 0 otherwise. A list shorter than K
 * counts as padded with zeros.
 *
 * Two families, never mixed:
 * - **item2user (the paper's, i.e. CCFCRec's, definitions)**: `HR@K` = total hits / (number of
 *   items × K), which is a *precision* of the recommended user lists, not the usual hit ratio
 *   (share of queries with any hit) nor recall; `NDCG@K` is *self-normalised*: its ideal DCG is
 *   the DCG of the retrieved top-K list re-sorted, not of the ground truth, so any list with a
 *   hit scores at least 1/log2(p + 1) for a first hit at rank p, and a list whose hits come first
 *   scores 1.0 however many positives it missed.
 * - **user2item (standard, CLCRec/ColdRec)**: Recall@K = hits/|P_u|, Precision@K = hits/K,
 *   NDCG@K with the ideal over min(|P_u|, K) positives, HitRate@K = 1 if any hit; averaged over
 *   users.
 *
 * @module
 */
import { type EvalResult, metricCutoffs, type QueryMetrics } from "./protocol.ts";

/** Σ_{rank ≤ k} (2^r − 1) / log2(rank + 1): discounted cumulative gain of the first k entries. */
export function dcg(rels: ArrayLike<number>, k: number = rels.length): number {
  let s = 0;
  const n = Math.min(k, rels.length);
  for (let j = 0; j < n; j++) {
    if (rels[j] !== 0) s += (2 ** rels[j] - 1) / Math.log2(j + 2);
  }
  return s;
}

/** Σ_{rank ≤ n} 1 / log2(rank + 1): the DCG of n binary hits at the top. */
export function idealBinaryDcg(n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += 1 / Math.log2(j + 2);
  return s;
}

/** Number of non-zero entries among the first k. */
export function hitsAtK(rels: ArrayLike<number>, k: number): number {
  let h = 0;
  const n = Math.min(k, rels.length);
  for (let j = 0; j < n; j++) if (rels[j] !== 0) h++;
  return h;
}

/**
 * CCFCRec's self-normalised NDCG@K of one list: DCG(r) / DCG(r re-sorted descending), where r is
 * the first k entries; 0 for a list without a hit. Not the usual NDCG (whose ideal is over the
 * ground truth).
 */
export function selfNormalisedNdcg(rels: ArrayLike<number>, k: number): number {
  const top = Array.from({ length: Math.min(k, rels.length) }, (_, j) => rels[j]);
  const ideal = dcg([...top].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(top) / ideal;
}

/**
 * The paper's (CCFCRec's) item2user metrics over the top lists of all evaluated cold items:
 * `HR@K` = Σ hits@K / (items × K) (a precision, not the usual hit ratio or recall) and
 * `NDCG@K` = mean self-normalised NDCG@K ({@linkcode selfNormalisedNdcg}).
 * Every item counts, including items whose positives could never be ranked.
 *
 * @example Usage
 * ```ts
 * item2userMetrics([[1, 0, 0, 0, 0]], [5]); // { "HR@5": 0.2, "NDCG@5": 1 }
 * ```
 */
export function item2userMetrics(
  lists: readonly ArrayLike<number>[],
  ks: readonly number[],
): Record<string, number> {
  if (lists.length === 0) throw new RangeError("Cannot compute item2user metrics of zero items");
  const out: Record<string, number> = {};
  for (const k of ks) {
    let hits = 0, ndcg = 0;
    for (const rels of lists) {
      hits += hitsAtK(rels, k);
      ndcg += selfNormalisedNdcg(rels, k);
    }
    out[`HR@${k}`] = hits / (lists.length * k);
    out[`NDCG@${k}`] = ndcg / lists.length;
  }
  return out;
}

/**
 * The item2user metrics taken apart: for each K, `Reach@K`, the share of items with at least one
 * hit in their top K; `HitsPerReached@K`, those items' mean number of hits; and
 * `NDCGReached@K`, their mean self-normalised NDCG@K. They multiply back to
 * {@linkcode item2userMetrics}: `NDCG@K` = Reach × NDCGReached and `HR@K` = Reach ×
 * HitsPerReached / K. Since an item's self-normalised NDCG is 0 without a hit and at least
 * 1/log2(K + 1) with one, NDCG@K mostly counts the items reached, while HR@K counts hits
 * wherever they fall: two rankings level by HR@K and apart by NDCG@K differ in how their hits
 * spread over the items.
 *
 * @example Usage
 * ```ts
 * item2userSpread([[1, 1, 0], [0, 0, 0]], [2]);
 * // { "Reach@2": 0.5, "HitsPerReached@2": 2, "NDCGReached@2": 1 }
 * ```
 */
export function item2userSpread(
  lists: readonly ArrayLike<number>[],
  ks: readonly number[],
): Record<string, number> {
  if (lists.length === 0) throw new RangeError("Cannot take apart the metrics of zero items");
  const out: Record<string, number> = {};
  for (const k of ks) {
    let reached = 0, hits = 0, ndcg = 0;
    for (const rels of lists) {
      const h = hitsAtK(rels, k);
      if (h === 0) continue;
      reached++;
      hits += h;
      ndcg += selfNormalisedNdcg(rels, k);
    }
    out[`Reach@${k}`] = reached / lists.length;
    out[`HitsPerReached@${k}`] = reached ? hits / reached : 0;
    out[`NDCGReached@${k}`] = reached ? ndcg / reached : 0;
  }
  return out;
}

/** One user's ranked top list and the size of their ground-truth set P_u. */
export interface UserList {
  /** Binary relevance of the ranked top, best first. */
  rels: ArrayLike<number>;
  /** |P_u| ≥ 1: the user's positives in the evaluated part. */
  positives: number;
}

/** hits@K / |P_u|. */
export function recallAtK(rels: ArrayLike<number>, positives: number, k: number): number {
  return hitsAtK(rels, k) / positives;
}

/** hits@K / K. */
export function precisionAtK(rels: ArrayLike<number>, k: number): number {
  return hitsAtK(rels, k) / k;
}

/** Standard NDCG@K with binary gains: DCG@K / (Σ_{j ≤ min(|P_u|, K)} 1/log2(j + 1)). */
export function ndcgAtK(rels: ArrayLike<number>, positives: number, k: number): number {
  return dcg(rels, k) / idealBinaryDcg(Math.min(positives, k));
}

/** 1 when any of the first K is a hit, else 0. */
export function hitRateAtK(rels: ArrayLike<number>, k: number): number {
  return hitsAtK(rels, k) > 0 ? 1 : 0;
}

/**
 * Standard user2item metrics averaged over users: `Recall@K`, `Precision@K`, `NDCG@K`
 * (ideal over min(|P_u|, K)) and `HitRate@K`.
 *
 * @example Usage
 * ```ts
 * user2itemMetrics([{ rels: [0, 1], positives: 2 }], [2]);
 * // { "Recall@2": 0.5, "Precision@2": 0.5, "NDCG@2": 0.3869…, "HitRate@2": 1 }
 * ```
 */
export function user2itemMetrics(
  lists: readonly UserList[],
  ks: readonly number[],
): Record<string, number> {
  if (lists.length === 0) throw new RangeError("Cannot compute user2item metrics of zero users");
  for (const l of lists) {
    if (!(l.positives >= 1)) {
      throw new RangeError(`Invalid positives: ${l.positives} (must be ≥ 1)`);
    }
  }
  const out: Record<string, number> = {};
  for (const k of ks) {
    let r = 0, p = 0, n = 0, h = 0;
    for (const { rels, positives } of lists) {
      r += recallAtK(rels, positives, k);
      p += precisionAtK(rels, k);
      n += ndcgAtK(rels, positives, k);
      h += hitRateAtK(rels, k);
    }
    const m = lists.length;
    out[`Recall@${k}`] = r / m;
    out[`Precision@${k}`] = p / m;
    out[`NDCG@${k}`] = n / m;
    out[`HitRate@${k}`] = h / m;
  }
  return out;
}

/**
 * Every query's value of every metric of `protocol` at `ks`, so that the mean over the queries
 * is the protocol's metric: item2user `HR@K` (hits / K), `NDCG@K` (self-normalised) and
 * `Reach@K` (1 when the item has a hit in its top K, see {@linkcode item2userSpread});
 * user2item `Recall@K`, `Precision@K`, `NDCG@K`, `HitRate@K`. What a comparison of two rankings
 * query by query, or a bootstrap over the queries, needs.
 *
 * @example Usage
 * ```ts
 * const m = perQueryMetrics({ rels: [[1, 0], [0, 0]], positives: [3, 1] }, "item2user", [2]);
 * m["HR@2"]; // Float64Array [0.5, 0]
 * ```
 */
export function perQueryMetrics(
  lists: { rels: readonly ArrayLike<number>[]; positives: ArrayLike<number> },
  protocol: "item2user" | "user2item",
  ks: readonly number[],
): Record<string, Float64Array> {
  const { rels, positives } = lists;
  const out: Record<string, Float64Array> = {};
  const fill = (name: string, f: (q: number) => number) => {
    out[name] = Float64Array.from({ length: rels.length }, (_, q) => f(q));
  };
  for (const k of ks) {
    const hits = (q: number) => hitsAtK(rels[q], k);
    if (protocol === "item2user") {
      fill(`HR@${k}`, (q) => hits(q) / k);
      fill(`NDCG@${k}`, (q) => selfNormalisedNdcg(rels[q], k));
      fill(`Reach@${k}`, (q) => (hits(q) > 0 ? 1 : 0));
    } else {
      fill(`Recall@${k}`, (q) => hits(q) / positives[q]);
      fill(`Precision@${k}`, (q) => hits(q) / k);
      fill(`NDCG@${k}`, (q) => ndcgAtK(rels[q], positives[q], k));
      fill(`HitRate@${k}`, (q) => (hits(q) > 0 ? 1 : 0));
    }
  }
  return out;
}

/** Whether two evaluations ranked the same queries in the same order. */
export function sameQueries(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Per query, the mean of `metric` over several runs of one row (its seeds); undefined when a run
 * lacks the metric or ranked other queries than the first.
 *
 * @example Usage
 * ```ts
 * const ids = Int32Array.from([3, 7]);
 * meanOverRuns([
 *   { ids, metrics: { "HR@5": Float64Array.from([0.2, 0]) } },
 *   { ids, metrics: { "HR@5": Float64Array.from([0.4, 0]) } },
 * ], "HR@5"); // Float64Array [0.3…, 0]
 * ```
 */
export function meanOverRuns(
  runs: readonly QueryMetrics[],
  metric: string,
): Float64Array | undefined {
  if (runs.length === 0) return undefined;
  const ids = runs[0].ids;
  if (runs.some((r) => !r.metrics[metric] || !sameQueries(r.ids, ids))) return undefined;
  const mean = new Float64Array(ids.length);
  for (const r of runs) {
    const v = r.metrics[metric];
    for (let q = 0; q < ids.length; q++) mean[q] += v[q] / runs.length;
  }
  return mean;
}

/**
 * An evaluation's metrics per query, at its own cut-offs: {@linkcode perQueryMetrics} of the
 * lists that `evaluate` kept (`keepLists`).
 *
 * @example Usage
 * ```ts ignore
 * const r = await evaluate(scorer, split, "test", "item2user", { keepLists: true });
 * queryMetricsOf(r).metrics["HR@5"]; // one value per cold item; their mean is r.metrics["HR@5"]
 * ```
 */
export function queryMetricsOf(r: EvalResult): QueryMetrics {
  if (!r.lists) throw new RangeError("queryMetricsOf: the evaluation kept no lists (keepLists)");
  return {
    ids: r.lists.ids,
    metrics: perQueryMetrics(r.lists, r.protocol, metricCutoffs(Object.keys(r.metrics))),
  };
}
