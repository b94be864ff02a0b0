/**
 * Item-level cold-start splits: a seeded 70/15/15 item split, the split a dataset ships with,
 * and a content fingerprint that identifies a split in result tables.
 *
 * @example Usage
 * ```ts
 * import { coldItemSplit } from "./mod.ts";
 * const split = coldItemSplit(ds, { seed: 1 });
 * console.log(split.description, split.fingerprint);
 * ```
 *
 * @module
 */
export type { ColdSplit, EvalPart } from "./types.ts";
export {
  checkRatios,
  coldItemSplit,
  DEFAULT_RATIOS,
  itemsOf,
  type SplitOptions,
  usersOf,
} from "./cold_split.ts";
export { providedColdSplit } from "./provided.ts";
export { canonicalPairs, type FingerprintParts, splitFingerprint } from "./fingerprint.ts";
