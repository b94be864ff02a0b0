/**
 * The seeded item-level cold-start split: interacted items are shuffled and cut into warm-train,
 * cold-validation and cold-test parts; every interaction follows its item.
 *
 * @module
 */
import type { Dataset, Interactions } from "../data/dataset.ts";
import { DataError } from "../data/errors.ts";
import { Rng } from "../rng/mod.ts";
import { splitFingerprint } from "./fingerprint.ts";
import type { ColdSplit } from "./types.ts";

/** Options of {@linkcode coldItemSplit}. */
export interface SplitOptions {
  /** Fractions of interacted items for train / valid / test; positive, summing to 1. Default [0.7, 0.15, 0.15]. */
  ratios?: [number, number, number];
  /** Seed of the item shuffle. */
  seed: number;
}

/** The default train / valid / test item fractions (CCFCRec's Amazon VG split is 70/15/15). */
export const DEFAULT_RATIOS: readonly [number, number, number] = [0.7, 0.15, 0.15];

/** Throws a RangeError naming `ratios` unless there are three positive finite fractions summing to 1 (±1e-6). */
export function checkRatios(ratios: readonly number[]): void {
  if (ratios.length !== 3) {
    throw new RangeError(
      `Invalid ratios: expected 3 values (train, valid, test), got ${ratios.length}`,
    );
  }
  for (const r of ratios) {
    if (!Number.isFinite(r) || r <= 0) {
      throw new RangeError(`Invalid ratios [${ratios.join(", ")}]: every value must be positive`);
    }
  }
  const sum = ratios[0] + ratios[1] + ratios[2];
  if (Math.abs(sum - 1) > 1e-6) {
    throw new RangeError(`Invalid ratios [${ratios.join(", ")}]: they sum to ${sum}, not 1`);
  }
}

function pct(r: number): string {
  return String(Number((r * 100).toFixed(2)));
}

/** Users with at least one interaction in `pairs`, sorted. */
export function usersOf(pairs: Interactions, numUsers: number): Int32Array {
  const seen = new Uint8Array(numUsers);
  let n = 0;
  for (let k = 0; k < pairs.users.length; k++) {
    if (seen[pairs.users[k]] === 0) {
      seen[pairs.users[k]] = 1;
      n++;
    }
  }
  const out = new Int32Array(n);
  for (let u = 0, j = 0; u < numUsers; u++) if (seen[u]) out[j++] = u;
  return out;
}

/** Distinct items of `pairs`, sorted. */
export function itemsOf(pairs: Interactions, numItems: number): Int32Array {
  return usersOf({ users: pairs.items, items: pairs.users }, numItems);
}

/**
 * Splits a dataset's items into warm-train, cold-validation and cold-test parts.
 *
 * Only items with at least one interaction are split: items nobody interacted with belong to no
 * part (they can neither be trained on nor evaluated; the description says how many were left
 * out). The interacted items, in id order, are shuffled by `new Rng(seed).fork("cold-item-split")`;
 * the first `round(n·ratios[1])` become validation items, the next `round(n·ratios[2])` test
 * items and the rest training items, so every part is within one item of its ratio. Every
 * interaction goes to the part of its item, so cold items have no training interaction.
 * `trainUsers` are the users with at least one training interaction.
 *
 * Throws a RangeError naming `ratios` for bad ratios, and a DataError when a part would be empty
 * or an interaction id is out of range.
 *
 * @example Usage
 * ```ts
 * const split = coldItemSplit(ds, { seed: 1 }); // 70/15/15
 * split.description; // "item split 70/15/15 seed=1"
 * ```
 */
export function coldItemSplit(ds: Dataset, opts: SplitOptions): ColdSplit {
  const ratios = opts.ratios ?? [...DEFAULT_RATIOS];
  checkRatios(ratios);
  if (!Number.isFinite(opts.seed)) throw new RangeError(`Invalid seed: ${opts.seed}`);
  const numUsers = ds.userIds.length, numItems = ds.itemIds.length;
  const { users, items } = ds.interactions;
  const where = ds.source || ds.name;
  if (users.length !== items.length) {
    throw new DataError({ file: where, field: "interactions" }, "users and items differ in length");
  }
  const count = new Int32Array(numItems);
  for (let k = 0; k < items.length; k++) {
    const u = users[k], i = items[k];
    if (!(u >= 0 && u < numUsers)) {
      throw new DataError({ file: where, field: "user" }, `user id ${u} not in [0, ${numUsers})`);
    }
    if (!(i >= 0 && i < numItems)) {
      throw new DataError({ file: where, field: "item" }, `item id ${i} not in [0, ${numItems})`);
    }
    count[i]++;
  }
  const interacted: number[] = [];
  for (let i = 0; i < numItems; i++) if (count[i] > 0) interacted.push(i);
  const n = interacted.length;
  const nValid = Math.round(n * ratios[1]), nTest = Math.round(n * ratios[2]);
  const nTrain = n - nValid - nTest;
  if (nTrain < 1 || nValid < 1 || nTest < 1) {
    throw new DataError(
      { file: where, field: "items" },
      `${n} interacted items are too few for ratios [${ratios.join(", ")}]: ` +
        `train/valid/test would get ${nTrain}/${nValid}/${nTest} items; every part must be non-empty`,
    );
  }
  new Rng(opts.seed).fork("cold-item-split").shuffle(interacted);
  // part: 0 = train, 1 = valid, 2 = test, -1 = never interacted.
  const part = new Int8Array(numItems).fill(-1);
  for (let k = 0; k < n; k++) part[interacted[k]] = k < nValid ? 1 : k < nValid + nTest ? 2 : 0;
  const partItems = [0, 1, 2].map((p) => {
    const out: number[] = [];
    for (let i = 0; i < numItems; i++) if (part[i] === p) out.push(i);
    return Int32Array.from(out);
  });
  const sizes = [0, 0, 0];
  for (let k = 0; k < items.length; k++) sizes[part[items[k]]]++;
  const parts = sizes.map((s) => ({ users: new Int32Array(s), items: new Int32Array(s) }));
  const fill = [0, 0, 0];
  for (let k = 0; k < items.length; k++) {
    const p = part[items[k]];
    parts[p].users[fill[p]] = users[k];
    parts[p].items[fill[p]++] = items[k];
  }
  const left = numItems - n;
  const description = `item split ${ratios.map(pct).join("/")} seed=${opts.seed}` +
    (left > 0 ? ` (${left} of ${numItems} items without interactions left out)` : "");
  const base = {
    trainItems: partItems[0],
    validItems: partItems[1],
    testItems: partItems[2],
    train: parts[0],
  };
  return {
    numUsers,
    numItems,
    ...base,
    valid: parts[1],
    test: parts[2],
    trainUsers: usersOf(parts[0], numUsers),
    description,
    fingerprint: splitFingerprint(base),
  };
}
