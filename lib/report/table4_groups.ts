/**
 * Which full row each Table 4 ablation is tested against. An experiment with one full row of a
 * model tests every ablation of it against that row. One with several (M2VAE at d = 8 and at
 * d = 16, each with its own `w/o M-MoE`) pairs each ablation with the full row that ran its
 * configuration on every dataset both ran — the same config apart from the variant and the axes
 * either row searched (a tuned or grid row chooses its own values there), the same settings
 * apart from those that change no result — and makes a Table 4 per full row: testing
 * `w/o M-MoE d=16` against `M2VAE d=8` would mark a difference of width as one of gates. An
 * ablation that matches none is shown in a table of its own, untested.
 *
 * @module
 */
import { neutralConfigOf } from "../models/catalog.ts";
import { canonicalJson, type TrialInfo } from "../store/mod.ts";
import { COSMETIC_SETTINGS, NEUTRAL_SETTINGS } from "../train/settings.ts";
import type { Selection } from "./select.ts";

/** One Table 4: the full row its ablations are tested against (none: untested) and its rows. */
export interface Table4Group {
  full?: string;
  /** Row labels, the full row's first. */
  labels: string[];
}

/** A trial's config (`variant` aside) and settings as flat `key` / `settings.key` entries. */
function runEntries(t: TrialInfo): Map<string, string> {
  const out = new Map<string, string>();
  const neutral = neutralConfigOf(t.spec.model);
  for (const [k, v] of Object.entries(t.spec.config)) {
    if (k !== "variant" && !(k in neutral && neutral[k] === v)) out.set(k, canonicalJson(v));
  }
  for (const [k, v] of Object.entries(t.spec.settings)) {
    if (COSMETIC_SETTINGS.includes(k) || (k in NEUTRAL_SETTINGS && NEUTRAL_SETTINGS[k] === v)) {
      continue;
    }
    out.set(`settings.${k}`, canonicalJson(v));
  }
  return out;
}

/**
 * The Table 4s of the selected rows of models `ablated` (see the module doc); `trialOf` gives a
 * stored trial by key (a row's candidates tell which keys it searched). Full rows with no
 * ablation of their own make no table when there are several.
 *
 * @example Usage
 * ```ts ignore
 * table4Groups(sel, ["m2vae"], (k) => byKey.get(k));
 * // [{ full: "M2VAE d=8", labels: ["M2VAE d=8", "w/o M-MoE d=8"] }, { full: "M2VAE d=16", … }]
 * ```
 */
export function table4Groups(
  sel: readonly Selection[],
  ablated: readonly string[],
  trialOf: (key: string) => TrialInfo | undefined,
): Table4Group[] {
  const mine = sel.filter((s) => ablated.includes(s.model));
  const labels = (xs: readonly Selection[]) => [...new Set(xs.map((s) => s.label))];
  const fulls = labels(mine.filter((s) => s.variant === "full"));
  const variants = labels(mine.filter((s) => s.variant !== "full"));
  if (fulls.length <= 1) return [{ full: fulls[0], labels: [...fulls, ...variants] }];
  // A row's chosen run, and the entries its candidates do not agree on (its searched axes).
  const memo = new Map<Selection, { entries?: Map<string, string>; searched: Set<string> }>();
  const run = (s: Selection) => {
    const hit = memo.get(s);
    if (hit) return hit;
    const runs = s.candidates.flatMap((c) => {
      const t = trialOf(c.keys[0]);
      return t ? [runEntries(t)] : [];
    });
    const chosen = trialOf(s.candidates[s.chosen].keys[0]);
    const searched = new Set(
      runs.flatMap((r) => [...r.keys()]).filter((k) => new Set(runs.map((r) => r.get(k))).size > 1),
    );
    const out = { entries: chosen ? runEntries(chosen) : undefined, searched };
    memo.set(s, out);
    return out;
  };
  const same = (a: Selection, b: Selection) => {
    const [x, y] = [run(a), run(b)];
    if (!x.entries || !y.entries || a.model !== b.model) return false;
    const skip = new Set([...x.searched, ...y.searched]);
    const keys = new Set([...x.entries.keys(), ...y.entries.keys()].filter((k) => !skip.has(k)));
    return [...keys].every((k) => x.entries!.get(k) === y.entries!.get(k));
  };
  const rowsOf = (label: string) => mine.filter((s) => s.label === label);
  const matches = (v: string, f: string) => {
    const fs = rowsOf(f);
    const pairs = rowsOf(v).flatMap((a) => {
      const b = fs.find((x) => x.dataset === a.dataset);
      return b ? [[a, b] as const] : [];
    });
    return pairs.length > 0 && pairs.every(([a, b]) => same(a, b));
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
