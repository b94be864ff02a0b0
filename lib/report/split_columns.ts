/**
 * Table columns per split: where the selected rows of a dataset ran on more than one split (a
 * row's own split settings), each split is a column group of its own, named by the dataset and
 * the split's fingerprint, so that rows on different test sets are never ranked, tested or
 * compared in one column.
 *
 * @module
 */
import type { TrialInfo } from "../store/mod.ts";
import type { Selection } from "./select.ts";

/**
 * The table column group of each selected row: its dataset, or where the rows of a dataset ran
 * on more than one split (a row's own split settings), the dataset and its split's fingerprint,
 * so that rows on different test sets are never ranked, tested or compared in one column.
 * `describe` gives each such group its split in the caption's `splits`.
 *
 * @example Usage
 * ```ts ignore
 * const column = splitColumns(sel, byKey);
 * column.of(sel[0]); // "lastfm-2k-multimodal", or "lastfm-2k-multimodal [0123456789abcdef]"
 * column.describe(meta.splits);
 * ```
 */
export function splitColumns(sel: readonly Selection[], byKey: ReadonlyMap<string, TrialInfo>) {
  const trialOf = (s: Selection) => byKey.get(s.candidates[s.chosen].keys[0])!;
  const splits = new Map<string, Set<string | null>>();
  for (const s of sel) {
    splits.set(s.dataset, (splits.get(s.dataset) ?? new Set()).add(trialOf(s).splitFingerprint));
  }
  const of = (s: Selection) =>
    splits.get(s.dataset)!.size > 1 ? `${s.dataset} [${trialOf(s).splitFingerprint}]` : s.dataset;
  return {
    of,
    describe(out: Record<string, string>) {
      for (const s of sel) {
        if (splits.get(s.dataset)!.size < 2) continue;
        delete out[s.dataset];
        const t = trialOf(s);
        out[of(s)] = `${t.splitDescription} [split ${t.splitFingerprint}]`;
      }
    },
  };
}
