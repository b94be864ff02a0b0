/**
 * Removing repeated (user, item) pairs while keeping the first occurrence and the input order.
 *
 * @module
 */
import type { Interactions } from "./dataset.ts";

/**
 * Returns the unique pairs among the first `n` entries of `users`/`items` (first occurrence
 * kept, order preserved) and how many were dropped. Uses a sorted key scan, so it also works
 * for tens of millions of pairs (no Set of all pairs).
 *
 * @example Usage
 * ```ts
 * uniquePairs(Int32Array.of(0, 0, 1), Int32Array.of(2, 2, 2), 3, 3).dropped; // 1
 * ```
 */
export function uniquePairs(
  users: Int32Array,
  items: Int32Array,
  n: number,
  numItems: number,
): Interactions & { dropped: number } {
  const nI = Math.max(1, numItems);
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = users[k] * nI + items[k];
  const sorted = keys.slice().sort();
  const dups = new Set<number>();
  for (let k = 1; k < n; k++) if (sorted[k] === sorted[k - 1]) dups.add(sorted[k]);
  if (dups.size === 0) return { users: users.slice(0, n), items: items.slice(0, n), dropped: 0 };
  const keep = new Uint8Array(n);
  const taken = new Set<number>();
  let m = 0;
  for (let k = 0; k < n; k++) {
    if (dups.has(keys[k])) {
      if (taken.has(keys[k])) continue;
      taken.add(keys[k]);
    }
    keep[k] = 1;
    m++;
  }
  const outU = new Int32Array(m), outI = new Int32Array(m);
  for (let k = 0, j = 0; k < n; k++) {
    if (!keep[k]) continue;
    outU[j] = users[k];
    outI[j++] = items[k];
  }
  return { users: outU, items: outI, dropped: n - m };
}
