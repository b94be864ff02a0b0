/**
 * CSR indexes of the training interactions, by user and by item, with sorted neighbour lists
 * so membership tests are binary searches. Built once per split; samplers read it.
 *
 * @module
 */
import type { Interactions } from "../data/dataset.ts";
import { edgeCsr } from "../nn/csr.ts";

/** Sorted neighbour lists in CSR layout. */
export interface Adjacency {
  offsets: Int32Array;
  values: Int32Array;
}

/** Both directions of the training graph. */
export interface InteractionIndex {
  numUsers: number;
  numItems: number;
  /** Items of each user (sorted). */
  byUser: Adjacency;
  /** Users of each item (sorted). */
  byItem: Adjacency;
}

/**
 * Sorted neighbour lists of `n` nodes from parallel key/value arrays (`vals[k]` is a neighbour of
 * `keys[k]`): `buildAdjacency(x.users, x.items, numUsers)` is the by-user side alone.
 *
 * @example
 * ```ts
 * const adj = buildAdjacency(Int32Array.of(1, 0, 1), Int32Array.of(5, 3, 2), 2);
 * // adj.offsets [0, 1, 3], adj.values [3, 2, 5]
 * ```
 */
export function buildAdjacency(keys: Int32Array, vals: Int32Array, n: number): Adjacency {
  const { ptr: offsets, col: values } = edgeCsr(keys, vals, n);
  for (let i = 0; i < n; i++) values.subarray(offsets[i], offsets[i + 1]).sort();
  return { offsets, values };
}

/** Builds the by-user and by-item indexes of a set of interactions. */
export function buildInteractionIndex(
  x: Interactions,
  numUsers: number,
  numItems: number,
): InteractionIndex {
  return {
    numUsers,
    numItems,
    byUser: buildAdjacency(x.users, x.items, numUsers),
    byItem: buildAdjacency(x.items, x.users, numItems),
  };
}

/** Neighbours of node `i` (a view, not a copy). */
export function neighbours(adj: Adjacency, i: number): Int32Array {
  return adj.values.subarray(adj.offsets[i], adj.offsets[i + 1]);
}

/** Whether `j` is among the sorted neighbours of `i`. */
export function hasNeighbour(adj: Adjacency, i: number, j: number): boolean {
  let lo = adj.offsets[i], hi = adj.offsets[i + 1] - 1;
  const v = adj.values;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (v[mid] === j) return true;
    if (v[mid] < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
