/**
 * Cold-start evaluation under two protocols that are never mixed: `item2user` (the paper's
 * Table 3 protocol with CCFCRec's precision-style HR and self-normalised NDCG) and `user2item`
 * (CLCRec / ColdRec standard Recall, Precision, NDCG, HitRate). Scoring is chunked with a
 * running top-K, so memory stays bounded for any number of users and items.
 *
 * @example Usage
 * ```ts
 * import { evaluate } from "./mod.ts";
 * const r = await evaluate(model, split, "test", "item2user", { ks: [5, 10, 20] });
 * console.log(r.metrics["HR@10"], r.metrics["NDCG@10"], r.queries);
 * ```
 *
 * @module
 */
export type { Scorer } from "./scorer.ts";
export {
  DEFAULT_ITEM_CHUNK,
  DEFAULT_KS,
  DEFAULT_USER_CHUNK,
  type EvalLists,
  type EvalOptions,
  type EvalResult,
  metricCutoffs,
  normaliseKs,
  type Protocol,
  PROTOCOL_METRICS,
  PROTOCOLS,
  type QueryMetrics,
} from "./protocol.ts";
export {
  dcg,
  hitRateAtK,
  hitsAtK,
  idealBinaryDcg,
  item2userMetrics,
  item2userSpread,
  meanOverRuns,
  ndcgAtK,
  perQueryMetrics,
  precisionAtK,
  queryMetricsOf,
  recallAtK,
  sameQueries,
  selfNormalisedNdcg,
  user2itemMetrics,
  type UserList,
} from "./metrics.ts";
export { TopK } from "./top_k.ts";
export { type RankJob, rankTopK } from "./rank.ts";
export { BlockMemo } from "./block_memo.ts";
export { evaluate } from "./evaluate.ts";
