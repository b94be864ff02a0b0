/**
 * Where an item2user ranking's hits fall. The paper's (CCFCRec's) HR@K counts hits wherever they
 * are; its self-normalised NDCG@K is 0 for an item without a hit and at least 1/log2(K + 1) for
 * one with any, so it mostly counts the items reached. Two rankings level by HR@K and apart by
 * NDCG@K therefore differ in how their hits spread over the items: one piles several hits on the
 * items with many users, the other reaches more items once. {@linkcode hitSpread} takes both
 * metrics apart (`item2userSpread`: reach, hits per reached item, NDCG over the reached items)
 * overall and per group of items by how many users each has in the part, so the difference
 * shows where it comes from; and how many distinct users the items' top lists hold, since a
 * ranking whose items all put the same users first piles its hits on the items those users like.
 *
 * @module
 */
import {
  type EvalOptions,
  evaluate,
  item2userMetrics,
  item2userSpread,
  normaliseKs,
  type Scorer,
} from "../eval/mod.ts";
import type { ColdSplit, EvalPart } from "../split/types.ts";

/** Items whose number of users in the part lies in [lo, hi] (hi = Infinity: open). */
export interface SpreadGroup {
  lo: number;
  hi: number;
  /** How many ranked items fall in the group. */
  items: number;
  /** HR@K and NDCG@K of the group's items, with their parts (`Reach@K`, …). */
  metrics: Record<string, number>;
}

/** What {@linkcode hitSpread} measures. */
export interface HitSpread {
  /** The cut-offs, ascending. */
  ks: number[];
  /**
   * Over every ranked item: HR@K, NDCG@K, Reach@K, HitsPerReached@K, NDCGReached@K, and
   * `Distinct@K`, the distinct users in the items' top K over the items × K places (1 = no user
   * recommended for two items; low = the same users top every item).
   */
  overall: Record<string, number>;
  /** The same per group of items by their number of users in the part, fewest first. */
  groups: SpreadGroup[];
}

/** Both metric families of `lists` at `ks`. */
function metricsOf(lists: readonly Uint8Array[], ks: number[]): Record<string, number> {
  return { ...item2userMetrics(lists, ks), ...item2userSpread(lists, ks) };
}

/**
 * Groups of items by their number of users: powers of two (1, 2–3, 4–7, …), the last group left
 * open and merged downwards until it holds at least `minShare` of the items, so no group is a
 * handful of outliers.
 *
 * @example Usage
 * ```ts
 * degreeGroups(Int32Array.from([1, 1, 2, 5, 9]), 0.3); // [[1, 1], [2, 3], [4, Infinity]]
 * ```
 */
export function degreeGroups(degrees: Int32Array, minShare = 0.05): [number, number][] {
  if (degrees.length === 0) throw new RangeError("degreeGroups: no items");
  if (!(minShare >= 0 && minShare <= 1)) throw new RangeError(`Invalid minShare: ${minShare}`);
  let max = 0;
  for (const d of degrees) {
    if (!(d >= 1)) throw new RangeError(`degreeGroups: an item with ${d} users`);
    max = Math.max(max, d);
  }
  const bounds: [number, number][] = [];
  for (let lo = 1; lo <= max; lo *= 2) bounds.push([lo, lo * 2 - 1]);
  const count = ([lo, hi]: [number, number]) => degrees.filter((d) => d >= lo && d <= hi).length;
  bounds[bounds.length - 1][1] = Infinity;
  while (bounds.length > 1 && count(bounds[bounds.length - 1]) < minShare * degrees.length) {
    bounds.pop();
    bounds[bounds.length - 1][1] = Infinity;
  }
  return bounds.filter((b) => count(b) > 0);
}

/**
 * Ranks the cold items of `part` under item2user with `opts` (the trial's evaluator settings)
 * and takes its HR@K and NDCG@K apart, overall and per group of items by their number of users
 * in the part ({@linkcode degreeGroups}).
 *
 * @example Usage
 * ```ts
 * const s = await hitSpread(model.scorer(), split, "test");
 * s.overall["Reach@5"]; // share of the items with a hit in their top 5
 * s.groups[0].metrics["NDCG@5"]; // NDCG@5 over the items with one user in the part
 * ```
 */
export async function hitSpread(
  scorer: Scorer,
  split: ColdSplit,
  part: EvalPart,
  opts: Omit<EvalOptions, "keepLists"> = {},
): Promise<HitSpread> {
  const ks = normaliseKs(opts.ks ?? [5, 10, 20]);
  const r = await evaluate(scorer, split, part, "item2user", { ...opts, ks, keepLists: true });
  const { rels, positives, top } = r.lists!;
  const groups = degreeGroups(positives).map(([lo, hi]) => {
    const inGroup = rels.filter((_, q) => positives[q] >= lo && positives[q] <= hi);
    return { lo, hi, items: inGroup.length, metrics: metricsOf(inGroup, ks) };
  });
  const distinct: Record<string, number> = {};
  for (const k of ks) {
    const seen = new Set<number>();
    for (const ids of top) for (const u of ids.subarray(0, k)) seen.add(u);
    distinct[`Distinct@${k}`] = seen.size / (top.length * k);
  }
  return { ks, overall: { ...metricsOf(rels, ks), ...distinct }, groups };
}
