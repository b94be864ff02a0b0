/**
 * Table 3's `*`: a best cell is marked significant when it beats the second-best over the seeds
 * (paired two-sided t-test, ≥ 3 common seeds, p < 0.05) and, where every seed of both rows kept
 * its test metrics per query on the same queries, also over the queries: the percentile
 * bootstrap interval of the per-query difference (each query's metric the mean over the row's
 * seeds) lies above 0. Every seed ranks the same cold items, so the t-test alone sees the
 * training's chance and not the items'; a lead that another draw of items of the same kind could
 * reverse is not marked. The two tests (`seedTest`, `queryTest`) also decide Table 4's marks of
 * an ablation against the full model (`ablation_marks.ts`).
 *
 * @module
 */
import type { ResultRow } from "./aggregate.ts";
import { pairedQueryMeans } from "./improvement.ts";
import { Rng } from "../rng/mod.ts";
import {
  type BootstrapInterval,
  bootstrapMean,
  type PairedTest,
  pairedTTest,
} from "./significance.ts";
import type { BodyRow, Column, Row } from "./table_model.ts";

/** {@linkcode seedTest}'s outcome: the seeds both rows ran, and the test where there are ≥ 3. */
export interface SeedTest {
  /** The seeds both rows have a value for, ascending. */
  common: number[];
  /** The paired t-test of a against b over `common` (absent with fewer than 3). */
  test?: PairedTest;
}

/**
 * The paired two-sided t-test over seeds of the rows labelled `a` and `b` on (`dataset`,
 * `metric`), on the seeds both ran — the seed side of Table 3's `*` and Table 4's `↓` / `↑`.
 *
 * @example Usage
 * ```ts ignore
 * const { common, test } = seedTest(rows, "M2VAE w/o DCL", "M2VAE", "lastfm", "HR@5");
 * ```
 */
export function seedTest(
  rows: readonly ResultRow[],
  a: string,
  b: string,
  dataset: string,
  metric: string,
): SeedTest {
  const bySeed = (label: string) =>
    new Map(
      rows.filter((r) => r.model === label && r.dataset === dataset && metric in r.metrics)
        .map((r) => [r.seed, r.metrics[metric]]),
    );
  const va = bySeed(a), vb = bySeed(b);
  const common = [...va.keys()].filter((s) => vb.has(s)).sort((x, y) => x - y);
  if (common.length < 3) return { common };
  return {
    common,
    test: pairedTTest(common.map((s) => va.get(s)!), common.map((s) => vb.get(s)!)),
  };
}

/**
 * The item side of the same marks: the percentile bootstrap interval of the per-query difference
 * a − b (each query's metric the mean over the seeds `rows` hold for the row), drawn from a
 * generator forked by `stream` so a report prints the same marks every time; undefined where a
 * seed of either row lacks its metrics per query.
 */
export function queryTest(
  rows: readonly ResultRow[],
  a: string,
  b: string,
  dataset: string,
  metric: string,
  stream: string,
  resamples: number,
): BootstrapInterval | undefined {
  const q = pairedQueryMeans(rows, a, b, dataset, metric);
  if (!q) return undefined;
  const diff = q[0].map((v, i) => v - q[1][i]);
  return bootstrapMean(diff, new Rng(1).fork(stream), { resamples });
}

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
    const { common, test } = seedTest(rows, best[0].label, second[0].label, group, name);
    // The best cell's mean may rest on seeds the runner-up lacks: on the seeds both ran it must
    // be ahead too, or the test would mark a row the paired seeds put behind.
    if (!test || !(test.p < 0.05) || !(test.meanDiff > 0)) return;
    // The caption says which test the columns the seeds separate went through; per query, the
    // mean over the same seeds the t-test paired.
    const iv = queryTest(
      rows.filter((r) => common.includes(r.seed)),
      best[0].label,
      second[0].label,
      group,
      name,
      `significance/${group}/${name}`,
      resamples,
    );
    let overItems = true;
    if (iv) {
      out.overQueries = true;
      overItems = iv.lo > 0;
    } else out.seedsOnly = true;
    if (overItems) {
      best[0].cells[c].sig = "*";
      out.any = true;
    }
  });
  return out;
}
