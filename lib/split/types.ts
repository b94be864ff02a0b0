/**
 * The item-level cold-start split shared by training and evaluation.
 *
 * @module
 */
import type { Interactions } from "../data/dataset.ts";

/** Which evaluation part of a split. */
export type EvalPart = "valid" | "test";

/**
 * Warm-train / cold-validation / cold-test partition of a dataset's items.
 *
 * Cold items have no training interactions; models never see a learned ID embedding for them.
 */
export interface ColdSplit {
  /** Number of users and items of the underlying dataset (ids are dense in these ranges). */
  numUsers: number;
  numItems: number;
  /** Warm items (sorted), the only items with training interactions. */
  trainItems: Int32Array;
  /** Cold validation items (sorted). */
  validItems: Int32Array;
  /** Cold test items (sorted). */
  testItems: Int32Array;
  /** Training interactions: every interaction of a warm item. */
  train: Interactions;
  /** Every interaction of a cold validation item. */
  valid: Interactions;
  /** Every interaction of a cold test item. */
  test: Interactions;
  /** Users with at least one training interaction (sorted): the item2user candidates. */
  trainUsers: Int32Array;
  /** How the split was made, e.g. `item split 70/15/15 seed=1` or `provided (…)`. */
  description: string;
  /** Short content hash of the split (items of each part and the training pairs). */
  fingerprint: string;
}
