/**
 * The two evaluation protocols, their options, results and metric names.
 *
 * @module
 */
import type { EvalPart } from "../split/types.ts";

/**
 * Which evaluation protocol. The two are never mixed in one table.
 *
 * - `item2user`: the paper's Table 3 protocol (CCFCRec code lineage): every cold item ranks all
 *   training users; metrics `HR@K` (CCFCRec's precision-style hit rate) and `NDCG@K`
 *   (CCFCRec's self-normalised NDCG).
 * - `user2item`: the CLCRec / ColdRec protocol: every user ranks the cold candidate items;
 *   standard `Recall@K`, `Precision@K`, `NDCG@K`, `HitRate@K`.
 */
export type Protocol = "item2user" | "user2item";

/** All protocols, in display order. */
export const PROTOCOLS: readonly Protocol[] = ["item2user", "user2item"];

/** Options of `evaluate`. */
export interface EvalOptions {
  /** Cutoffs; default [5, 10, 20]. */
  ks?: number[];
  /** Most users per scorer call (default 4096). */
  userChunk?: number;
  /** Most items per scorer call (default 256). */
  itemChunk?: number;
  /**
   * user2item only: the items each user ranks. Must contain every item of the evaluated part;
   * default = the part's cold items. Items outside it are never scored (as if masked with
   * −Infinity), and a user's own training items inside it are masked with −Infinity.
   */
  candidateItems?: Int32Array;
  /**
   * user2item only: evaluate only users with at least one training interaction (default false:
   * every user with at least one interaction in the part, as in CLCRec, where all users are warm).
   */
  trainUsersOnly?: boolean;
  /**
   * Also return every query's ranked relevance list (`EvalResult.lists`), for analyses that
   * take the averages apart (default false).
   */
  keepLists?: boolean;
}

/** Every ranked query of one evaluation: its id, its top-K relevance and its positives. */
export interface EvalLists {
  /** The queries: cold item ids (item2user) or user ids (user2item), in ranking order. */
  ids: Int32Array;
  /** `top[q]`: query q's top K candidates (users or items), best first. */
  top: Int32Array[];
  /** `rels[q]`: binary relevance of query q's top K, best first. */
  rels: Uint8Array[];
  /** `positives[q]`: query q's ground-truth partners in the part (users of an item, items of a user). */
  positives: Int32Array;
}

/**
 * Every metric per query of one evaluation (`perQueryMetrics`): the mean of `metrics[name]` over
 * the queries is the protocol's metric `name`.
 */
export interface QueryMetrics {
  /** The queries: cold item ids (item2user) or user ids (user2item). */
  ids: Int32Array;
  /** Metric name → one value per query, in the order of `ids`. */
  metrics: Record<string, Float64Array>;
}

/** The outcome of one evaluation. */
export interface EvalResult {
  /** The protocol used. */
  protocol: Protocol;
  /** The evaluated part of the split. */
  part: EvalPart;
  /** Metric name (`HR@5`, `Recall@10`, …) → value averaged as the protocol defines. */
  metrics: Record<string, number>;
  /** Number of ranked queries: cold items (item2user) or users (user2item). */
  queries: number;
  /** Each query's ranked list, when asked for with `keepLists`. */
  lists?: EvalLists;
}

/** Default cutoffs. */
export const DEFAULT_KS: readonly number[] = [5, 10, 20];
/** Default users per scorer call. */
export const DEFAULT_USER_CHUNK = 4096;
/** Default items per scorer call. */
export const DEFAULT_ITEM_CHUNK = 256;

/** Metric name prefixes each protocol produces, in output order. */
export const PROTOCOL_METRICS: Readonly<Record<Protocol, readonly string[]>> = {
  item2user: ["HR", "NDCG"],
  user2item: ["Recall", "Precision", "NDCG", "HitRate"],
};

/** Checks that `ks` are positive integers and returns them sorted and deduplicated. */
export function normaliseKs(ks: readonly number[]): number[] {
  if (ks.length === 0) throw new RangeError("Invalid ks: at least one cutoff is needed");
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`Invalid ks: cutoff ${k} is not a positive integer`);
    }
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}

/**
 * The cut-offs K of metric names `X@K`, ascending and distinct.
 *
 * @example Usage
 * ```ts
 * metricCutoffs(["HR@5", "NDCG@5", "HR@10"]); // [5, 10]
 * ```
 */
export function metricCutoffs(names: Iterable<string>): number[] {
  return [...new Set([...names].map((n) => Number(n.split("@")[1])))].sort((a, b) => a - b);
}
