/**
 * Chunked scoring with a running top-K per query: the engine under both protocols.
 *
 * @module
 */
import type { Scorer } from "./scorer.ts";
import { TopK } from "./top_k.ts";

/** What to rank: queries × candidates, one of them users and the other items. */
export interface RankJob {
  /** Query ids (items for item2user, users for user2item). */
  queries: Int32Array;
  /** Candidate ids, ranked for every query. */
  candidates: Int32Array;
  /** True when the queries are items and the candidates users (item2user). */
  queriesAreItems: boolean;
  /** List length. */
  k: number;
  /** Most users per scorer call. */
  userChunk: number;
  /** Most items per scorer call. */
  itemChunk: number;
  /**
   * Optional −Infinity mask for user queries: `maskStart`/`maskPos` is a CSR over user ids of
   * candidate *indices* that user must never be recommended (e.g. their training items).
   */
  mask?: { start: Int32Array; pos: Int32Array };
}

/**
 * Scores every (query, candidate) pair in blocks of at most `userChunk × itemChunk` pairs and
 * calls `collect(queryIndex, topIds)` once per query with its top-K candidate ids, best first
 * (higher score; ties in `tieOrder` (top_k.ts) of the query and candidate ids, an order unrelated to
 * the ids' own). Memory stays bounded by one score block plus a top-K buffer
 * for one block of queries; no row is ever sorted (a threshold test gates each insertion).
 */
export async function rankTopK(
  scorer: Scorer,
  job: RankJob,
  collect: (queryIndex: number, ids: Int32Array) => void,
): Promise<void> {
  const { queries, candidates, queriesAreItems, k, mask } = job;
  const qChunk = queriesAreItems ? job.itemChunk : job.userChunk;
  const cChunk = queriesAreItems ? job.userChunk : job.itemChunk;
  const top = new TopK(Math.min(qChunk, queries.length), k);
  const thr = top.threshold;
  for (let q0 = 0; q0 < queries.length; q0 += qChunk) {
    const qb = queries.slice(q0, Math.min(q0 + qChunk, queries.length));
    const nq = qb.length;
    top.reset();
    top.setQueries(qb);
    for (let c0 = 0; c0 < candidates.length; c0 += cChunk) {
      const cb = candidates.slice(c0, Math.min(c0 + cChunk, candidates.length));
      const nc = cb.length;
      const scores = queriesAreItems ? await scorer.score(cb, qb) : await scorer.score(qb, cb);
      if (!scores || scores.length !== nq * nc) {
        throw new RangeError(
          `Scorer returned ${scores?.length} scores for a ${
            queriesAreItems ? `${nc}×${nq}` : `${nq}×${nc}`
          } block`,
        );
      }
      if (queriesAreItems) {
        // scores[r, j]: r = candidate user, j = query item.
        for (let r = 0; r < nc; r++) {
          const id = cb[r], row = r * nq;
          for (let j = 0; j < nq; j++) {
            const s = scores[row + j];
            if (!(s < thr[j])) top.offer(j, id, s);
          }
        }
      } else {
        // scores[r, j]: r = query user, j = candidate item.
        for (let r = 0; r < nq; r++) {
          const row = r * nc;
          let masked: Set<number> | null = null;
          if (mask) {
            const u = qb[r];
            for (let m = mask.start[u]; m < mask.start[u + 1]; m++) {
              const p = mask.pos[m] - c0;
              if (p >= 0 && p < nc) (masked ??= new Set()).add(p);
            }
          }
          for (let j = 0; j < nc; j++) {
            const s = scores[row + j];
            if (!(s < thr[r]) && !(masked && masked.has(j))) top.offer(r, cb[j], s);
          }
        }
      }
    }
    for (let j = 0; j < nq; j++) collect(q0 + j, top.ids(j));
  }
}
