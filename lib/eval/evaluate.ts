/**
 * Evaluates a scorer on the cold validation or test part of a split, under one protocol.
 *
 * @module
 */
import type { Interactions } from "../data/dataset.ts";
import type { ColdSplit, EvalPart } from "../split/types.ts";
import { item2userMetrics, user2itemMetrics, type UserList } from "./metrics.ts";
import {
  DEFAULT_ITEM_CHUNK,
  DEFAULT_KS,
  DEFAULT_USER_CHUNK,
  type EvalOptions,
  type EvalResult,
  normaliseKs,
  type Protocol,
} from "./protocol.ts";
import { rankTopK } from "./rank.ts";
import type { Scorer } from "./scorer.ts";

/** CSR grouping of pairs by `key` (users or items): `start` has length n + 1, `other` the partners. */
interface Grouped {
  start: Int32Array;
  other: Int32Array;
}

function groupBy(keys: Int32Array, others: Int32Array, n: number): Grouped {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < keys.length; k++) start[keys[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const other = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) other[fill[keys[k]]++] = others[k];
  return { start, other };
}

/** Each key's number of partners in `g`. */
function degrees(keys: Int32Array, g: Grouped): Int32Array {
  return keys.map((key) => g.start[key + 1] - g.start[key]);
}

function positiveChunk(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`Invalid ${name}: ${x}`);
  return x;
}

/**
 * Binary relevance of the ranked `ids` of query `key`, whose positives are its partners in `g`.
 * `marked` is all-zero scratch over the candidates' ids, and is all-zero again on return.
 */
function relevance(ids: Int32Array, g: Grouped, key: number, marked: Uint8Array): Uint8Array {
  const a = g.start[key], b = g.start[key + 1];
  for (let m = a; m < b; m++) marked[g.other[m]] = 1;
  const rels = new Uint8Array(ids.length);
  for (let j = 0; j < ids.length; j++) rels[j] = marked[ids[j]];
  for (let m = a; m < b; m++) marked[g.other[m]] = 0;
  return rels;
}

/**
 * Ranks and scores one part of a split under one protocol.
 *
 * **item2user** (the paper's Table 3 protocol, CCFCRec code lineage): every cold item of the
 * part with at least one interaction ranks ALL training users (`split.trainUsers`); its ground
 * truth is the part's users of that item (users without training interactions can never be
 * hit, but the item still counts). Metrics are the paper's (CCFCRec's) definitions, which differ
 * from the usual ones: `HR@K` = total hits / (items × K) is a precision of the recommended user
 * lists (the usual HR is "any hit" or recall), and `NDCG@K` is self-normalised (its ideal DCG
 * is the retrieved list re-sorted, where the usual NDCG's ideal is over the ground truth); see
 * `metrics.ts`.
 *
 * **user2item** (CLCRec / ColdRec): every user with at least one interaction in the part ranks
 * the part's cold items (or `opts.candidateItems`, a superset: non-candidates are never scored,
 * and a user's own training items among the candidates are masked as −Infinity, never with a
 * small finite number). Standard `Recall@K`, `Precision@K`, `NDCG@K`, `HitRate@K`, averaged over
 * users.
 *
 * The scorer is called with blocks of at most `userChunk × itemChunk` pairs (default
 * 4096 × 256) and each query keeps a running top-K (ties in a hashed order of the query and candidate
 * ids, unrelated to the ids' popularity order), so memory stays
 * bounded and results do not depend on the chunk sizes. Throws a RangeError for bad options, a
 * part without queries, or a scorer answer of the wrong length or with NaN.
 *
 * @example Usage
 * ```ts
 * const r = await evaluate(model, split, "test", "item2user");
 * r.metrics["HR@10"]; r.metrics["NDCG@10"];
 * ```
 */
export async function evaluate(
  scorer: Scorer,
  split: ColdSplit,
  part: EvalPart,
  protocol: Protocol,
  opts: EvalOptions = {},
): Promise<EvalResult> {
  if (part !== "valid" && part !== "test") throw new RangeError(`Invalid part: ${part}`);
  const ks = normaliseKs(opts.ks ?? [...DEFAULT_KS]);
  const k = ks[ks.length - 1];
  const userChunk = positiveChunk("userChunk", opts.userChunk, DEFAULT_USER_CHUNK);
  const itemChunk = positiveChunk("itemChunk", opts.itemChunk, DEFAULT_ITEM_CHUNK);
  const pairs: Interactions = split[part];
  const partItems = part === "valid" ? split.validItems : split.testItems;
  const run: PartRun = { scorer, split, part, pairs, partItems, ks, k, userChunk, itemChunk };
  if (protocol === "item2user") return await item2user(run, opts);
  if (protocol === "user2item") return await user2item(run, opts);
  throw new RangeError(`Invalid protocol: ${protocol}`);
}

/** What either protocol ranks with: the part of the split, its cut-offs and block sizes. */
interface PartRun {
  scorer: Scorer;
  split: ColdSplit;
  part: EvalPart;
  /** The part's interactions and its cold items. */
  pairs: Interactions;
  partItems: Int32Array;
  /** The cut-offs, ascending, and the largest of them. */
  ks: number[];
  k: number;
  userChunk: number;
  itemChunk: number;
}

async function item2user(run: PartRun, opts: EvalOptions): Promise<EvalResult> {
  const { scorer, split, part, pairs, partItems, ks, k, userChunk, itemChunk } = run;
  const byItem = groupBy(pairs.items, pairs.users, split.numItems);
  const queries = partItems.filter((i) => byItem.start[i + 1] > byItem.start[i]);
  if (queries.length === 0) {
    throw new RangeError(`Cannot evaluate part "${part}": no cold item has an interaction`);
  }
  if (split.trainUsers.length === 0) {
    throw new RangeError("Cannot evaluate item2user: the split has no training users");
  }
  const marked = new Uint8Array(split.numUsers);
  const lists: Uint8Array[] = new Array(queries.length);
  const top: Int32Array[] = opts.keepLists ? new Array(queries.length) : [];
  await rankTopK(scorer, {
    queries,
    candidates: split.trainUsers,
    queriesAreItems: true,
    k,
    userChunk,
    itemChunk,
  }, (q, ids) => {
    lists[q] = relevance(ids, byItem, queries[q], marked);
    if (opts.keepLists) top[q] = ids.slice();
  });
  return {
    protocol: "item2user",
    part,
    metrics: item2userMetrics(lists, ks),
    queries: lists.length,
    ...(opts.keepLists
      ? { lists: { ids: queries, top, rels: lists, positives: degrees(queries, byItem) } }
      : {}),
  };
}

async function user2item(run: PartRun, opts: EvalOptions): Promise<EvalResult> {
  const { scorer, split, part, pairs, partItems, ks, k, userChunk, itemChunk } = run;
  const candidates = opts.candidateItems
    ? Int32Array.from(new Set(opts.candidateItems)).sort()
    : partItems;
  const posOf = new Int32Array(split.numItems).fill(-1);
  candidates.forEach((item, p) => {
    if (!(item >= 0 && item < split.numItems)) {
      throw new RangeError(`Invalid candidateItems: item id ${item} not in [0, ${split.numItems})`);
    }
    posOf[item] = p;
  });
  for (const i of partItems) {
    if (posOf[i] < 0) {
      throw new RangeError(`Invalid candidateItems: cold ${part} item ${i} is not a candidate`);
    }
  }
  const byUser = groupBy(pairs.users, pairs.items, split.numUsers);
  const isTrainUser = new Uint8Array(split.numUsers);
  for (const u of split.trainUsers) isTrainUser[u] = 1;
  const wanted: number[] = [];
  for (let u = 0; u < split.numUsers; u++) {
    if (byUser.start[u + 1] > byUser.start[u] && (!opts.trainUsersOnly || isTrainUser[u])) {
      wanted.push(u);
    }
  }
  const queries = Int32Array.from(wanted);
  if (queries.length === 0) {
    throw new RangeError(`Cannot evaluate part "${part}": no user has an interaction in it`);
  }
  // Mask each user's training items that are candidates (only possible with candidateItems).
  let mask: { start: Int32Array; pos: Int32Array } | undefined;
  if (opts.candidateItems) {
    const keep: number[] = [];
    for (let m = 0; m < split.train.items.length; m++) {
      if (posOf[split.train.items[m]] >= 0) keep.push(m);
    }
    if (keep.length > 0) {
      const g = groupBy(
        Int32Array.from(keep, (m) => split.train.users[m]),
        Int32Array.from(keep, (m) => posOf[split.train.items[m]]),
        split.numUsers,
      );
      mask = { start: g.start, pos: g.other };
    }
  }
  const marked = new Uint8Array(split.numItems);
  const lists: UserList[] = new Array(queries.length);
  const top: Int32Array[] = opts.keepLists ? new Array(queries.length) : [];
  await rankTopK(scorer, {
    queries,
    candidates,
    queriesAreItems: false,
    k,
    userChunk,
    itemChunk,
    mask,
  }, (q, ids) => {
    const u = queries[q];
    lists[q] = {
      rels: relevance(ids, byUser, u, marked),
      positives: byUser.start[u + 1] - byUser.start[u],
    };
    if (opts.keepLists) top[q] = ids.slice();
  });
  return {
    protocol: "user2item",
    part,
    metrics: user2itemMetrics(lists, ks),
    queries: lists.length,
    ...(opts.keepLists
      ? {
        lists: {
          ids: queries,
          top,
          rels: lists.map((l) => l.rels as Uint8Array),
          positives: degrees(queries, byUser),
        },
      }
      : {}),
  };
}
