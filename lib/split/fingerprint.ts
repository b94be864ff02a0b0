/**
 * A short content hash that identifies a cold-start split.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Interactions } from "../data/dataset.ts";
import type { ColdSplit } from "./types.ts";

/** The parts of a split that its fingerprint covers. */
export type FingerprintParts = Pick<ColdSplit, "trainItems" | "validItems" | "testItems" | "train">;

function bytesOf(a: Int32Array): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  for (let k = 0; k < a.length; k++) view.setInt32(k * 4, a[k], true);
  return out;
}

function sortedCopy(a: Int32Array): Int32Array {
  return Int32Array.from(a).sort();
}

/**
 * Returns the training pairs ordered by (user, item) as one interleaved Int32Array
 * `[u0, i0, u1, i1, …]`, using a counting sort on users and a small sort per user.
 */
export function canonicalPairs(pairs: Interactions): Int32Array {
  const { users, items } = pairs;
  if (users.length !== items.length) {
    throw new RangeError(
      `Cannot fingerprint pairs: users (${users.length}) and items (${items.length}) differ in length`,
    );
  }
  let maxUser = -1;
  for (let k = 0; k < users.length; k++) {
    if (users[k] < 0) {
      throw new RangeError(`Cannot fingerprint pairs: negative user id ${users[k]}`);
    }
    if (users[k] > maxUser) maxUser = users[k];
  }
  const start = new Int32Array(maxUser + 2);
  for (let k = 0; k < users.length; k++) start[users[k] + 1]++;
  for (let u = 0; u <= maxUser; u++) start[u + 1] += start[u];
  const fill = start.slice(0, maxUser + 1);
  const byUser = new Int32Array(items.length);
  for (let k = 0; k < users.length; k++) byUser[fill[users[k]]++] = items[k];
  const out = new Int32Array(2 * items.length);
  for (let u = 0; u <= maxUser; u++) {
    const seg = byUser.subarray(start[u], start[u + 1]).sort();
    for (let k = 0; k < seg.length; k++) {
      out[2 * (start[u] + k)] = u;
      out[2 * (start[u] + k) + 1] = seg[k];
    }
  }
  return out;
}

/**
 * SHA-256 (via `node:crypto`) of the sorted item set of each part (train, valid, test) and of
 * the training pairs sorted by (user, item), as the first 16 hex characters.
 *
 * The hash does not depend on the order of items or pairs, nor on the host's byte order
 * (ids are written little-endian). Each section is tagged and length-prefixed, so moving an
 * item from one part to another changes the fingerprint. Validation and test interactions are
 * not hashed separately: they are all interactions of the hashed cold items.
 *
 * @example Usage
 * ```ts
 * const fp = splitFingerprint(split); // e.g. "3fa94c0e1b7d2a55"
 * ```
 */
export function splitFingerprint(parts: FingerprintParts): string {
  const h = createHash("sha256");
  const section = (tag: string, data: Int32Array) => {
    h.update(`${tag}:${data.length};`);
    h.update(bytesOf(data));
  };
  section("trainItems", sortedCopy(parts.trainItems));
  section("validItems", sortedCopy(parts.validItems));
  section("testItems", sortedCopy(parts.testItems));
  section("trainPairs", canonicalPairs(parts.train));
  return h.digest("hex").slice(0, 16);
}
