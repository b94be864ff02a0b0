/**
 * Table 3's `*`: a best cell is marked significant when it beats the second-best over the seeds
 * (paired two-sided t-test, ≥ 3 common seeds, p < 0.05) and, where every seed of both rows kept
 * its test metrics per query on the same queries, also over the queries: the percentile
 * bootstrap interval of the per-query difference (each query's metric the mean over the row's
 * seeds) lies above 0. Every seed ranks the same cold items, so the t-test alone sees the
 * training's chance and not the items'; a lead that another draw of items of the same kind could
 * reverse is not marked.
 *
 * @module
 */
import type { ResultRow } from "./aggregate.ts";
import { pairedQueryMeans } from "./improvement.ts";
import { Rng } from "../rng/mod.ts";
import { bootstrapMean, pairedTTest } from "./significance.ts";
import type { BodyRow, Column, Row } from "./table_model.ts";

/** What {@linkcode significanceMarks} did, for the caption. */
export interface SignificanceMarks {
  /** Some cell got `*`. */
  any: boolean;
  /** Some column the seeds separate was also tested over the queries. */
  overQueries: boolean;
  /** Some column the seeds separate lacked per-query metrics: the seeds alone marked it. */
  seedsOnly: boolean;
}

/**
 * Marks best cells `*` (see the module doc): one best and one second-best cell per column only;
 * the marks already leave reference floors out, so the runner-up is never a floor. The
 * bootstrap's draws (`resamples`, default 10,000) come from a generator seeded per column, so a
 * report prints the same marks every time.
 *
 * @example Usage
 * ```ts ignore
 * const { any } = significanceMarks(rows, body, columns);
 * ```
 */
export function significanceMarks(
  rows: readonly ResultRow[],
  body: Row[],
  columns: Column[],
  resamples = 10000,
): SignificanceMarks {
  const rs = body.filter((r): r is BodyRow => r.kind === "row" && !r.summary);
  const out: SignificanceMarks = { any: false, overQueries: false, seedsOnly: false };
  columns.forEach(({ group, name }, c) => {
    const best = rs.filter((r) => r.cells[c].mark === "best");
    const second = rs.filter((r) => r.cells[c].mark === "second");
    if (best.length !== 1 || second.length !== 1) return;
    const bySeed = (label: string) =>
      new Map(
        rows.filter((r) => r.model === label && r.dataset === group && name in r.metrics)
          .map((r) => [r.seed, r.metrics[name]]),
      );
    const a = bySeed(best[0].label), b = bySeed(second[0].label);
    const common = [...a.keys()].filter((s) => b.has(s));
    if (common.length < 3) return;
    const overSeeds = pairedTTest(common.map((s) => a.get(s)!), common.map((s) => b.get(s)!));
    if (!(overSeeds.p < 0.05)) return;
    // The caption says which test the columns the seeds separate went through.
    const q = pairedQueryMeans(rows, best[0].label, second[0].label, group, name);
    let overItems = true;
    if (q) {
      out.overQueries = true;
      const diff = q[0].map((v, i) => v - q[1][i]);
      const rng = new Rng(1).fork(`significance/${group}/${name}`);
      overItems = bootstrapMean(diff, rng, { resamples }).lo > 0;
    } else out.seedsOnly = true;
    if (overItems) {
      best[0].cells[c].sig = "*";
      out.any = true;
    }
  });
  return out;
}
