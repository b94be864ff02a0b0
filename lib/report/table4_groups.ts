/**
 * Which full row each Table 4 ablation is tested against. An experiment with one full row of a
 * model tests every ablation of it against that row. One with several (M2VAE at d = 8 and at
 * d = 16, each with its own `w/o M-MoE`) pairs each ablation with the full row whose chosen runs
 * match its own on every dataset both ran — the same configuration apart from the variant, the
 * same settings ({@linkcode sameRun}) — and makes a Table 4 per full row: testing `w/o M-MoE
 * d=16` against `M2VAE d=8` would mark a difference of width as one of gates. An ablation that
 * matches none is shown in a table of its own, untested.
 *
 * @module
 */
import type { TrialInfo } from "../store/mod.ts";
import { sameRun } from "./one_view.ts";
import type { Selection } from "./select.ts";

/** One Table 4: the full row its ablations are tested against (none: untested) and its rows. */
export interface Table4Group {
  full?: string;
  /** Row labels, the full row's first. */
  labels: string[];
}

/**
 * The Table 4s of the selected rows of models `ablated` (see the module doc); `chosen` gives a
 * selection's chosen trial. Full rows with no ablation of their own make no table when there
 * are several.
 *
 * @example Usage
 * ```ts ignore
 * table4Groups(sel, ["m2vae"], (s) => byKey.get(s.candidates[s.chosen].keys[0])!);
 * // [{ full: "M2VAE d=8", labels: ["M2VAE d=8", "w/o M-MoE d=8"] }, { full: "M2VAE d=16", … }]
 * ```
 */
export function table4Groups(
  sel: readonly Selection[],
  ablated: readonly string[],
  chosen: (s: Selection) => TrialInfo,
): Table4Group[] {
  const mine = sel.filter((s) => ablated.includes(s.model));
  const labels = (xs: readonly Selection[]) => [...new Set(xs.map((s) => s.label))];
  const fulls = labels(mine.filter((s) => s.variant === "full"));
  const variants = labels(mine.filter((s) => s.variant !== "full"));
  if (fulls.length <= 1) return [{ full: fulls[0], labels: [...fulls, ...variants] }];
  const rowsOf = (label: string) => mine.filter((s) => s.label === label);
  const matches = (v: string, f: string) => {
    const fs = rowsOf(f);
    const pairs = rowsOf(v).flatMap((a) => {
      const b = fs.find((x) => x.dataset === a.dataset);
      return b ? [[a, b] as const] : [];
    });
    return pairs.length > 0 &&
      pairs.every(([a, b]) => a.model === b.model && sameRun(chosen(a), chosen(b)));
  };
  const groups = new Map(fulls.map((f) => [f, [f]]));
  const unpaired: string[] = [];
  for (const v of variants) {
    const f = fulls.find((x) => matches(v, x));
    if (f) groups.get(f)!.push(v);
    else unpaired.push(v);
  }
  return [
    ...[...groups].filter(([, ls]) => ls.length > 1).map(([full, ls]) => ({ full, labels: ls })),
    ...(unpaired.length > 0 ? [{ labels: unpaired }] : []),
  ];
}
