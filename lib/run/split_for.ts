/**
 * The split a trial runs on, from its dataset and settings.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { RunSettings } from "../train/settings.ts";
import { coldItemSplit, providedColdSplit } from "../split/mod.ts";
import type { ColdSplit } from "../split/types.ts";

/** Splits a dataset as the settings say (its provided split wins when it has one). */
export function splitFor(
  ds: Dataset,
  s: Pick<RunSettings, "splitTrain" | "splitValid" | "splitTest" | "splitSeed">,
): ColdSplit {
  if (ds.providedSplit) return providedColdSplit(ds);
  return coldItemSplit(ds, {
    ratios: [s.splitTrain, s.splitValid, s.splitTest],
    seed: s.splitSeed,
  });
}
