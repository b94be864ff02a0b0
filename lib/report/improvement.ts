/**
 * Table 3's "Impr." rows: the paper's relative gain of M2VAE's best row over the best baseline
 * per column, and under it the gain's bootstrap interval over the test queries where the trials
 * kept their metrics per query.
 *
 * @module
 */
import { meanOverRuns, sameQueries } from "../eval/mod.ts";
import type { ModelFamily } from "../models/model.ts";
import { Rng } from "../rng/mod.ts";
import type { ResultRow } from "./aggregate.ts";
import { bootstrapGain } from "./significance.ts";
import type { BodyRow, Cell, Column, Row } from "./table_model.ts";

/**
 * A relative gain in % as the "Impr." rows print it, to one decimal: signed with "-" as toFixed
 * writes the other numbers. The sign is the gain's own, so a loss that rounds to 0 is "-0.0%"
 * (its column's bold is the baseline's), and only a tie or a gain is "+".
 *
 * @example Usage
 * ```ts
 * formatGain(12.34); // "+12.3%"
 * formatGain(-0.03); // "-0.0%"
 * ```
 */
export function formatGain(percent: number): string {
  return `${percent < 0 ? "-" : "+"}${Math.abs(percent).toFixed(1)}%`;
}

/** Families whose rows are references, not compared models: never marked, never in Impr. */
export const REFERENCE_FAMILIES: readonly ModelFamily[] = ["sanity", "oracle"];

/** Whether rows of family `f` are references (floors, planted oracles). */
export function isReference(f: ModelFamily | undefined): boolean {
  return f !== undefined && REFERENCE_FAMILIES.includes(f);
}

/**
 * The "Impr." row: per column, the best mean among the full model's rows of family "ours"
 * against the best mean among baseline rows (any other family, or none, except the references:
 * "sanity", "oracle"), as a signed percentage. A row of a variant other than `full` (`variant`:
 * row label → its variant) is that model's ablation or reading and is left out whatever its
 * label, so a table with ablation rows compares the full model, as the paper's does; a table
 * of variant rows only compares them.
 */
export function improvementRow(pairs: readonly (ImprovementPair | undefined)[]): Row {
  const cells: Cell[] = pairs.map((pair, c) => {
    if (!pair) return { text: "–" };
    const o = pair.ours.cells[c].value!.mean, b = pair.base.cells[c].value!.mean;
    return { text: formatGain((o - b) / b * 100) };
  });
  return { kind: "row", label: "Impr.", cells, summary: true };
}

/** The two rows "Impr." compares in one column. */
export interface ImprovementPair {
  ours: BodyRow;
  base: BodyRow;
}

/**
 * Per column, the two rows "Impr." compares: the full model's best row of family "ours" and the
 * best baseline (any other family but the references); undefined where either is missing or the
 * baseline's mean is not positive.
 */
export function improvementPairs(
  body: Row[],
  columns: Column[],
  family: ReadonlyMap<string, ModelFamily>,
  variant: ReadonlyMap<string, string>,
): (ImprovementPair | undefined)[] {
  const rs = body.filter((r): r is BodyRow => r.kind === "row" && !r.summary);
  const all = rs.filter((r) => family.get(r.label) === "ours");
  const full = all.filter((r) => !variant.has(r.label));
  const baselines = rs.filter((r) => {
    const f = family.get(r.label);
    return f !== "ours" && !isReference(f);
  });
  const best = (group: BodyRow[], c: number) => {
    let top: BodyRow | undefined;
    for (const r of group) {
      const v = r.cells[c].value;
      if (v && (!top || v.mean > top.cells[c].value!.mean)) top = r;
    }
    return top;
  };
  return columns.map((_, c) => {
    const ours = best(full.length > 0 ? full : all, c), base = best(baselines, c);
    if (!ours || !base || !(base.cells[c].value!.mean > 0)) return undefined;
    return { ours, base };
  });
}

/**
 * The "Impr. 95 %" row: per column, {@linkcode bootstrapGain} of the two rows "Impr." compares,
 * over the queries, each query's metric the mean over the row's seeds; `–` where a seed of
 * either row lacks its metrics per query or the two rows ranked other queries. Undefined when
 * no column has an interval.
 */
export function improvementIntervalRow(
  rows: readonly ResultRow[],
  pairs: readonly (ImprovementPair | undefined)[],
  columns: Column[],
  resamples: number,
): Row | undefined {
  let any = false;
  const cells: Cell[] = columns.map(({ group, name }, c) => {
    const pair = pairs[c];
    const q = pair && pairedQueryMeans(rows, pair.ours.label, pair.base.label, group, name);
    if (!q) return { text: "–" };
    const [o, b] = q;
    const g = bootstrapGain(o, b, new Rng(1).fork(`${group}/${name}`), { resamples });
    if (!g) return { text: "–" };
    any = true;
    // A draw whose baseline scores 0 on every drawn query (and ours not) has no finite gain.
    const bound = (v: number) => (Number.isFinite(v) ? formatGain(v) : "+∞");
    return { text: `[${bound(g.lo)}, ${bound(g.hi)}]` };
  });
  return any ? { kind: "row", label: "Impr. 95 %", cells, summary: true } : undefined;
}

/**
 * Per query, the mean of `metric` over the seeds of the rows labelled `a` and `b` on `dataset`,
 * in the order of the same queries; undefined where a seed of either row lacks its metrics per
 * query ({@linkcode ResultRow.queries}) or the two rows ranked other queries.
 *
 * @example Usage
 * ```ts ignore
 * const q = pairedQueryMeans(rows, "M2VAE", "VMoSE", "lastfm-2k-multimodal", "NDCG@5");
 * if (q) bootstrapGain(q[0], q[1], new Rng(1));
 * ```
 */
export function pairedQueryMeans(
  rows: readonly ResultRow[],
  a: string,
  b: string,
  dataset: string,
  metric: string,
): [Float64Array, Float64Array] | undefined {
  const perQuery = (label: string) => {
    const runs = rows.filter((r) => r.model === label && r.dataset === dataset);
    if (runs.length === 0 || runs.some((r) => !r.queries)) return undefined;
    const queries = runs.map((r) => r.queries!);
    const mean = meanOverRuns(queries, metric);
    return mean && { ids: queries[0].ids, mean };
  };
  const qa = perQuery(a), qb = perQuery(b);
  if (!qa || !qb || !sameQueries(qa.ids, qb.ids)) return undefined;
  return [qa.mean, qb.mean];
}
