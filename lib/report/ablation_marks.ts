/**
 * Table 4's own question, asked of every variant: does taking the part away change the result?
 * Each variant's cell is compared with the full model's cell of the same dataset and metric —
 * a paired two-sided t-test over the seeds both rows ran (≥ 3, p < 0.05) and, where every seed
 * of both kept its test metrics per query on the same queries, a percentile bootstrap interval
 * of the per-query difference (each query's metric the mean over the row's seeds) on the same
 * side of 0 — and marked `↓` (below the full model: the part pays) or `↑` (above it: the part
 * costs). Only ablations are tested — rows whose variant takes a part away, not other full rows
 * or the `paper` readings, which change no one part. Cells where the variant trains the full
 * model (`≡`: a part that cannot act there) are not tested either: their difference is an
 * initialisation's by construction. Each cell is marked on its own test; the caption then says
 * which marks also hold under Holm's correction over every tested cell of the table (family-wise
 * error 5 %), since a table of many variants × metrics finds some cell below 0.05 by chance.
 *
 * @module
 */
import type { ResultRow } from "./aggregate.ts";
import { holmAdjust } from "./significance.ts";
import { queryTest, seedTest } from "./significance_marks.ts";
import type { BodyRow, Column, Row } from "./table_model.ts";

/** Variants that are not ablations: the full model and the paper-literal readings. */
const NOT_ABLATIONS: readonly string[] = ["full", "paper"];

/**
 * Whether a row's variant takes a part away from its model (not the full model, not the
 * paper-literal readings, not a row without variants).
 *
 * @example Usage
 * ```ts
 * isAblation("w/o DCL"); // true
 * isAblation("paper"); // false
 * isAblation(undefined); // false
 * ```
 */
export function isAblation(variant: string | undefined): boolean {
  return variant !== undefined && !NOT_ABLATIONS.includes(variant);
}

/** One variant cell that differs from the full model's. */
export interface AblationDifference {
  /** The variant's row label. */
  variant: string;
  dataset: string;
  metric: string;
  /** Mean over the common seeds of variant − full. */
  diff: number;
  /** The paired t-test's two-sided p. */
  p: number;
  /** Its p adjusted by Holm's method over every tested cell of the table. */
  pHolm: number;
}

/** What {@linkcode ablationMarks} found, for the caption. */
export interface AblationMarks {
  /** Variant cells significantly below the full model's (`↓`). */
  below: AblationDifference[];
  /** Variant cells significantly above the full model's (`↑`). */
  above: AblationDifference[];
  /** Variant cells that had ≥ 3 seeds in common with the full row, so were tested. */
  tested: number;
  /** Variant cells with a value that were not tested: fewer than 3 seeds in common. */
  untested: number;
  /** Some cell the seeds separate was also tested over the queries. */
  overQueries: boolean;
  /** Some cell the seeds separate lacked per-query metrics: the seeds alone decided it. */
  seedsOnly: boolean;
}

/**
 * A paired difference to 4 decimals as the cells print, or where that would read 0 (a difference
 * a test can still find significant), to two significant digits: `-0.0123`, `-1.2e-5`.
 */
function formatDifference(diff: number): string {
  return Math.abs(diff) >= 5e-5 || diff === 0 ? diff.toFixed(4) : diff.toExponential(1);
}

/**
 * Marks every variant cell of `body` that differs from the full row's (see the module doc):
 * `↓` or `↑` appended to its `sig`. The bootstrap's draws (`resamples`, default 10,000) come from
 * a generator seeded per (variant, column), so a report prints the same marks every time.
 *
 * @example Usage
 * ```ts ignore
 * const marks = ablationMarks(rows, body, columns, "M2VAE");
 * marks.below.map((d) => d.variant); // the variants whose part pays
 * ```
 */
export function ablationMarks(
  rows: readonly ResultRow[],
  body: Row[],
  columns: Column[],
  full: string,
  resamples = 10000,
): AblationMarks {
  const out: AblationMarks = {
    below: [],
    above: [],
    tested: 0,
    untested: 0,
    overQueries: false,
    seedsOnly: false,
  };
  const same = new Set(
    rows.filter((r) => r.sameAsFull).map((r) => JSON.stringify([r.model, r.dataset])),
  );
  // Ablations only: a row whose variant is neither the full model nor the paper's readings.
  const ablations = new Set(
    rows.filter((r) => isAblation(r.variant)).map((r) => r.model),
  );
  // Every tested cell's p, for Holm's correction once all are known.
  const tested: number[] = [];
  const marked: { d: AblationDifference; at: number }[] = [];
  const variants = body.filter((r): r is BodyRow =>
    r.kind === "row" && !r.summary && r.label !== full && ablations.has(r.label)
  );
  for (const v of variants) {
    columns.forEach(({ group, name }, c) => {
      if (same.has(JSON.stringify([v.label, group]))) return;
      const { common, test: t } = seedTest(rows, v.label, full, group, name);
      if (!t) {
        if (v.cells[c].value) out.untested++;
        return;
      }
      out.tested++;
      tested.push(t.p);
      if (!(t.p < 0.05)) return;
      // Per item, the mean over the same seeds the t-test paired.
      const paired = rows.filter((r) => common.includes(r.seed));
      const stream = `ablation/${v.label}/${group}/${name}`;
      const iv = queryTest(paired, v.label, full, group, name, stream, resamples);
      if (iv) {
        out.overQueries = true;
        if (t.meanDiff < 0 ? !(iv.hi < 0) : !(iv.lo > 0)) return;
      } else out.seedsOnly = true;
      const d = {
        variant: v.label,
        dataset: group,
        metric: name,
        diff: t.meanDiff,
        p: t.p,
        pHolm: 1,
      };
      marked.push({ d, at: tested.length - 1 });
      (t.meanDiff < 0 ? out.below : out.above).push(d);
      v.cells[c].sig = (v.cells[c].sig ?? "") + (t.meanDiff < 0 ? "↓" : "↑");
    });
  }
  const adjusted = holmAdjust(tested);
  for (const { d, at } of marked) d.pHolm = adjusted[at];
  return out;
}

/**
 * The caption sentences of {@linkcode ablationMarks}: what `↓` and `↑` mean, then which
 * variants fall below the full model, which rise above it, and that the rest are within noise
 * (`unit`: the test queries, items or users); or, when no cell could be tested, that the test
 * needs ≥ 3 seeds common to both rows.
 *
 * @example Usage
 * ```ts
 * ablationNote(
 *   { below: [], above: [], tested: 0, untested: 0, overQueries: false, seedsOnly: false },
 *   "M2VAE",
 *   "items",
 * ); // "No variant is tested against the full model (M2VAE): …"
 * ```
 */
export function ablationNote(m: AblationMarks, full: string, unit: string): string {
  if (m.tested === 0) {
    return `No variant is tested against the full model (${full}): that needs ≥ 3 seeds ` +
      "common to both rows.";
  }
  const untested = m.untested === 0
    ? ""
    : ` ${m.untested} variant cell${m.untested === 1 ? " was" : "s were"} not tested (fewer ` +
      "than 3 seeds in common with the full row).";
  const one = unit.replace(/s$/, "");
  const how = m.overQueries
    ? ` and a 95 % bootstrap interval of the per-${one} difference (each ${one}'s metric the ` +
      `mean over seeds) on the same side of 0${
        m.seedsOnly ? " where both kept their metrics per query (seeds only elsewhere)" : ""
      }`
    : "";
  const list = (ds: AblationDifference[]) => {
    if (ds.length === 0) return "none";
    const byVariant = new Map<string, string[]>();
    for (const d of ds) {
      const cell = `${d.dataset} ${d.metric} ${d.diff > 0 ? "+" : ""}${formatDifference(d.diff)}`;
      byVariant.set(d.variant, [...byVariant.get(d.variant) ?? [], cell]);
    }
    return [...byVariant].map(([v, cells]) => `${v} (${cells.join(", ")})`).join("; ");
  };
  const marks = [...m.below, ...m.above];
  const holding = marks.filter((d) => d.pHolm < 0.05);
  const smallest = Math.min(...marks.map((d) => d.pHolm));
  const corrected = marks.length === 0 ? "" : ` Corrected for the ${m.tested} tested cells ` +
    `(Holm, family-wise error 5 %), ${
      holding.length === marks.length
        ? (marks.length === 1 ? "the mark holds" : "every mark holds")
        : holding.length > 0
        ? `${holding.length} of the ${marks.length} marks ${
          holding.length === 1 ? "holds" : "hold"
        }: ${list(holding)}`
        : `${marks.length === 1 ? "the mark does not hold" : "none of the marks holds"} (${
          marks.length === 1 ? "" : "smallest "
        }adjusted p ${smallest < 0.1 ? smallest.toFixed(3) : smallest.toFixed(2)})`
    }.`;
  return `↓ / ↑: the ablation scores below / above the full model (${full}) by a paired ` +
    `two-sided t-test over the ≥ 3 seeds both ran (p < 0.05)${how}: taking the part away costs ` +
    "(↓) or gains (↑); each cell is marked on its own test. Below the full model (mean paired " +
    `difference over the seeds): ${list(m.below)}. Above it: ${list(m.above)}. Every other ` +
    `tested cell is within the noise of the full model's.${corrected}${untested}`;
}
