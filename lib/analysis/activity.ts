/**
 * How far an item2user ranking follows user activity. On a sparse set the most active users
 * hold a large share of any item's interactions, so ranking them first (the Popularity floor)
 * scores well, and a trained model can score the same way without learning anything of the
 * item. The share of each cold item's top-k users who are among the most active training users,
 * beside the same share among the item's true users, tells the two apart: a model at 1.0 ranks
 * by activity whatever the item; one near the positives' share ranks users by the item.
 * {@linkcode sharedRanking} asks the same of the whole ranking: how alike the items rank the users.
 *
 * @module
 */
import type { Scorer } from "../eval/mod.ts";
import { DEFAULT_ITEM_CHUNK, DEFAULT_USER_CHUNK, rankTopK } from "../eval/mod.ts";
import type { ColdSplit, EvalPart } from "../split/types.ts";

/** Options of {@linkcode activityShare}. */
export interface ActivityOptions {
  /** Users read per item (default 10). */
  k?: number;
  /** The most active fraction of the training users (default 0.1). */
  top?: number;
  /** Scorer block sizes (defaults 4096 users × 256 items, the evaluator's). */
  userChunk?: number;
  itemChunk?: number;
}

/** The shares {@linkcode activityShare} measures. */
export interface ActivityShare {
  /** Share of the items' top-k users among the most active training users. */
  ranked: number;
  /** The same share among the items' users in the part (the ground truth). */
  positives: number;
  /** How many training users count as most active (ties at the cut included). */
  activeUsers: number;
  /** The cut-off k and the fraction, as used. */
  k: number;
  top: number;
}

/**
 * The most active training users: the `top` fraction of `split.trainUsers` by number of
 * training interactions, with every user tied with the last one taken.
 */
export function mostActiveUsers(split: ColdSplit, top: number): Set<number> {
  if (!(top > 0 && top <= 1)) throw new RangeError(`Invalid top fraction: ${top}`);
  const degree = new Int32Array(split.numUsers);
  for (const u of split.train.users) degree[u]++;
  const byDegree = [...split.trainUsers].sort((a, b) => degree[b] - degree[a] || a - b);
  const n = Math.max(1, Math.ceil(byDegree.length * top));
  const cut = degree[byDegree[n - 1]];
  return new Set(byDegree.filter((u) => degree[u] >= cut));
}

/**
 * Ranks every training user for each cold item of `part` that has an interaction (as item2user
 * does) and returns the share of the top-k among the most active users, beside that share among
 * the part's true (item, user) pairs.
 *
 * @example Usage
 * ```ts
 * const s = await activityShare(model.scorer(), split, "test");
 * s.ranked; // 1 for the Popularity floor; s.positives for a ranking that follows the truth
 * ```
 */
export async function activityShare(
  scorer: Scorer,
  split: ColdSplit,
  part: EvalPart,
  opts: ActivityOptions = {},
): Promise<ActivityShare> {
  const k = opts.k ?? 10, top = opts.top ?? 0.1;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`Invalid k: ${k}`);
  const active = mostActiveUsers(split, top);
  const pairs = split[part];
  const partItems = part === "valid" ? split.validItems : split.testItems;
  const hasPair = new Uint8Array(split.numItems);
  let positives = 0, counted = 0;
  const inPart = new Uint8Array(split.numItems);
  for (const i of partItems) inPart[i] = 1;
  for (let p = 0; p < pairs.items.length; p++) {
    if (!inPart[pairs.items[p]]) continue;
    hasPair[pairs.items[p]] = 1;
    counted++;
    if (active.has(pairs.users[p])) positives++;
  }
  const queries = partItems.filter((i) => hasPair[i] === 1);
  if (queries.length === 0) throw new RangeError(`No cold item of part "${part}" has a user`);
  let inTop = 0, listed = 0;
  await rankTopK(scorer, {
    queries,
    candidates: split.trainUsers,
    queriesAreItems: true,
    k,
    userChunk: opts.userChunk ?? DEFAULT_USER_CHUNK,
    itemChunk: opts.itemChunk ?? DEFAULT_ITEM_CHUNK,
  }, (_q, ids) => {
    for (const u of ids) {
      listed++;
      if (active.has(u)) inTop++;
    }
  });
  return {
    ranked: inTop / listed,
    positives: positives / counted,
    activeUsers: active.size,
    k,
    top,
  };
}

/** What {@linkcode sharedRanking} measures. */
export interface SharedRanking {
  /**
   * Mean over the items of the Pearson correlation, over the training users, between the item's
   * scores and the users' mean score over the items: 1 when every item ranks the users alike (a
   * per-user score, shifted or scaled per item), near 0 when items rank them independently.
   */
  correlation: number;
  /** Items it was measured on (those whose scores vary over the users). */
  items: number;
}

/**
 * How alike the cold items of `part` rank the training users: each item's score column against
 * the users' mean score over those items (two passes over the scores, in the evaluator's blocks).
 * A model whose cold items differ only by a per-item shift or scale ranks every item's users the
 * same way (1); what an item's content says about who wants it shows as a lower value.
 *
 * @example Usage
 * ```ts
 * const { correlation } = await sharedRanking(model.scorer(), split, "test");
 * correlation; // 1: every item ranks the users alike
 * ```
 */
export async function sharedRanking(
  scorer: Scorer,
  split: ColdSplit,
  part: EvalPart,
  opts: Pick<ActivityOptions, "userChunk" | "itemChunk"> = {},
): Promise<SharedRanking> {
  const users = split.trainUsers;
  const items = part === "valid" ? split.validItems : split.testItems;
  if (items.length === 0 || users.length < 2) {
    throw new RangeError(`sharedRanking: part "${part}" needs cold items and two users`);
  }
  const uc = opts.userChunk ?? DEFAULT_USER_CHUNK, ic = opts.itemChunk ?? DEFAULT_ITEM_CHUNK;
  const blocks = async (fn: (u0: number, i0: number, n: number, s: Float32Array) => void) => {
    for (let u0 = 0; u0 < users.length; u0 += uc) {
      const us = users.subarray(u0, u0 + uc);
      for (let i0 = 0; i0 < items.length; i0 += ic) {
        const its = items.subarray(i0, i0 + ic);
        fn(u0, i0, its.length, await scorer.score(us, its));
      }
    }
  };
  // Pass 1: each user's mean score over the items.
  const mean = new Float64Array(users.length);
  await blocks((u0, _i0, n, s) => {
    for (let r = 0; r < s.length / n; r++) {
      let t = 0;
      for (let c = 0; c < n; c++) t += s[r * n + c];
      mean[u0 + r] += t / items.length;
    }
  });
  let mm = 0;
  for (const v of mean) mm += v / users.length;
  let smm = 0;
  for (const v of mean) smm += (v - mm) ** 2;
  // Pass 2: per item, sums of x, x² and x·(m − m̄) over the users.
  const sx = new Float64Array(items.length), sxx = new Float64Array(items.length);
  const sxm = new Float64Array(items.length);
  await blocks((u0, i0, n, s) => {
    for (let r = 0; r < s.length / n; r++) {
      const dm = mean[u0 + r] - mm;
      for (let c = 0; c < n; c++) {
        const x = s[r * n + c];
        sx[i0 + c] += x;
        sxx[i0 + c] += x * x;
        sxm[i0 + c] += x * dm;
      }
    }
  });
  let total = 0, counted = 0;
  for (let i = 0; i < items.length; i++) {
    const varX = sxx[i] - (sx[i] * sx[i]) / users.length;
    // An item that scores every user alike (or numerically so) has no ranking to compare.
    if (!(varX > 1e-12 * Math.max(1, sxx[i])) || !(smm > 0)) continue;
    total += sxm[i] / Math.sqrt(varX * smm);
    counted++;
  }
  return { correlation: counted ? total / counted : NaN, items: counted };
}
