/**
 * Two rows of a table compared query by query. A table's mean ± std over seeds and its paired t
 * over seeds see one source of chance, the seeds; but every seed ranks the same cold items of
 * one split, and a difference that a few items make could go the other way on another draw of
 * items. {@linkcode compareRows} ranks each row's kept checkpoints again, takes every metric per
 * query (cold item under item2user, user under user2item; their means are the table's metrics),
 * averages each query's value over the row's seeds and puts a bootstrap interval over the
 * queries on the difference, beside the paired t over the seeds both rows ran.
 *
 * @module
 */
import {
  evaluate,
  meanOverRuns,
  metricCutoffs,
  normaliseKs,
  type Protocol,
  type QueryMetrics,
  queryMetricsOf,
  sameQueries,
} from "../eval/mod.ts";
import {
  type BootstrapInterval,
  bootstrapMean,
  type PairedTest,
  pairedTTest,
} from "../report/mod.ts";
import type { Rng } from "../rng/mod.ts";
import { readQueryMetrics, type ResultStore, type TrialInfo } from "../store/mod.ts";
import { evalOptionsOf, type TrainOptions } from "../train/mod.ts";
import { loadTrial } from "./trials.ts";

/** One row's kept checkpoints ranked again: per trial, every metric per query. */
export interface RowRanking {
  /** The row's trials, as stored. */
  trials: TrialInfo[];
  /** The ranked queries (cold items or users), the same for every trial. */
  queries: Int32Array;
  /** `metrics[t][name][q]`: trial t's value of metric `name` on query q. */
  metrics: Record<string, Float64Array>[];
}

/**
 * Ranks `part` again with `info`'s kept checkpoint, under the trial's own protocol and evaluator
 * settings: its metrics at `ks` (as the store holds them for test) and every metric per query
 * (`queryMetricsOf`). TF.js must be initialised.
 *
 * @example Usage
 * ```ts ignore
 * const { metrics, queries } = await rankAgain(store, info, "test", [5, 10, 20]);
 * metrics["HR@5"]; // the stored test HR@5, when the checkpoint reproduces it
 * ```
 */
export async function rankAgain(
  store: ResultStore,
  info: TrialInfo,
  part: "valid" | "test",
  ks: number[],
  cacheDir?: string,
): Promise<{ metrics: Record<string, number>; queries: QueryMetrics }> {
  const t = await loadTrial(store, info, cacheDir);
  try {
    const settings = t.info.spec.settings as unknown as TrainOptions;
    const protocol = settings.protocol as Protocol;
    const r = await evaluate(t.model.scorer(), t.split, part, protocol, {
      ...evalOptionsOf(settings, t.split),
      ks,
      keepLists: true,
    });
    return { metrics: r.metrics, queries: queryMetricsOf(r) };
  } finally {
    t.model.dispose();
  }
}

/**
 * Every metric per query of each trial on `part`: read from the trial's stored test metrics per
 * query where it has them (`lib/store/test_queries.ts`, written with the checkpoint), else
 * ranked again with its kept checkpoint ({@linkcode rankAgain}). The trials must be finished, on
 * one split and protocol (`checkRows` checks it first).
 *
 * @example Usage
 * ```ts ignore
 * const row = await findRow(store, "M2VAE", { experiment: "table3_fair" });
 * const r = await rankRow(store, row, "test");
 * r.metrics[0]["NDCG@10"]; // seed-lowest trial's NDCG@10 of each cold item
 * ```
 */
export async function rankRow(
  store: ResultStore,
  trials: TrialInfo[],
  part: "valid" | "test",
  opts: { ks?: number[]; cacheDir?: string } = {},
): Promise<RowRanking> {
  const ks = normaliseKs(opts.ks ?? [5, 10, 20]);
  let queries: Int32Array | undefined;
  const metrics: Record<string, Float64Array>[] = [];
  for (const info of trials) {
    // A file that cannot be read is ranked again, as if it were not there.
    const stored = part === "test"
      ? await readQueryMetrics(store.testQueriesPath(info.spec.key)).catch((e) => {
        console.warn(`warning: ${e instanceof Error ? e.message : e}; ranking it again`);
        return undefined;
      })
      : undefined;
    let run: QueryMetrics;
    if (stored && ks.every((k) => metricCutoffs(Object.keys(stored.metrics)).includes(k))) {
      const wanted = Object.keys(stored.metrics).filter((n) => ks.includes(metricCutoffs([n])[0]));
      run = {
        ids: stored.ids,
        metrics: Object.fromEntries(wanted.map((n) => [n, stored.metrics[n]])),
      };
    } else {
      run = (await rankAgain(store, info, part, ks, opts.cacheDir)).queries;
      // Rounded to float32 as the stored files keep them, so that a row read from its files
      // and one ranked again tie where their rankings do.
      for (const n in run.metrics) {
        run.metrics[n] = Float64Array.from(Float32Array.from(run.metrics[n]));
      }
    }
    if (queries && !sameQueries(queries, run.ids)) {
      throw new RangeError(
        `trial ${info.spec.key} ranks other ${part} queries than ${trials[0].spec.key}`,
      );
    }
    queries ??= run.ids;
    metrics.push(run.metrics);
  }
  if (!queries) throw new RangeError("rankRow: no trials");
  return { trials, queries, metrics };
}

/**
 * Checks, before anything is scored, that two rows can be compared: every trial finished, on
 * one protocol and one split (by fingerprint). Returns the protocol.
 *
 * @throws RangeError naming the first trial that cannot take part.
 *
 * @example Usage
 * ```ts ignore
 * checkRows(await findRow(store, "VMoSE"), await findRow(store, "M2VAE")); // "item2user"
 * ```
 */
export function checkRows(a: TrialInfo[], b: TrialInfo[]): string {
  const all = [...a, ...b];
  if (a.length === 0 || b.length === 0) throw new RangeError("each row needs at least one trial");
  for (const row of [a, b]) {
    const seen = new Map<number, string>();
    for (const t of row) {
      const other = seen.get(t.spec.seed);
      if (other) {
        throw new RangeError(
          `trials ${other} and ${t.spec.key} of one row both ran seed ${t.spec.seed}`,
        );
      }
      seen.set(t.spec.seed, t.spec.key);
    }
  }
  const first = all[0];
  const candidates = (t: TrialInfo) => String(t.spec.settings.candidates);
  for (const t of all) {
    const s = t.spec;
    if (t.status !== "done") {
      throw new RangeError(`trial ${s.key} (${s.label}, seed ${s.seed}) is ${t.status}, not done`);
    }
    if (t.protocol !== first.protocol) {
      throw new RangeError(
        `trial ${s.key} (${s.label}) was evaluated under ${t.protocol}, ` +
          `trial ${first.spec.key} (${first.spec.label}) under ${first.protocol}`,
      );
    }
    if (t.protocol === "user2item" && candidates(t) !== candidates(first)) {
      throw new RangeError(
        `trial ${s.key} (${s.label}) ranked ${candidates(t)} candidates, ` +
          `trial ${first.spec.key} (${first.spec.label}) ${candidates(first)}`,
      );
    }
    if (s.dataset !== first.spec.dataset || t.splitFingerprint !== first.splitFingerprint) {
      throw new RangeError(
        `trial ${s.key} (${s.label}) ran on another split than trial ${first.spec.key} ` +
          `(${first.spec.label}): ${s.dataset} ${t.splitFingerprint} against ` +
          `${first.spec.dataset} ${first.splitFingerprint}`,
      );
    }
  }
  return first.protocol;
}

/** Per-query differences within this of 0 tie (means over different numbers of seeds round). */
const TIE = 1e-12;

/** One metric of two rows compared: means, the difference and its two tests. */
export interface MetricComparison {
  metric: string;
  /** Each row's metric: the mean over its trials (and over the queries). */
  a: number;
  b: number;
  /** a − b with its bootstrap interval over the queries (per query, the mean over seeds). */
  queries: BootstrapInterval;
  /** Queries on which a is ahead of b, and behind it (the rest tie). */
  ahead: number;
  behind: number;
  /** The paired t over the seeds both rows ran (absent with fewer than two). */
  seeds?: PairedTest & { seedList: number[] };
}

/**
 * Every metric of two rows ranked on the same queries, compared: per query the mean over each
 * row's trials, a − b averaged with a bootstrap interval over the queries (`rng`: same seed, same
 * interval), and the paired t over the seeds the rows share.
 *
 * @example Usage
 * ```ts
 * const c = compareRows(await rankRow(store, a, "test"), await rankRow(store, b, "test"), new Rng(1));
 * c.find((m) => m.metric === "NDCG@5")!.queries; // { mean, lo, hi, p, … }
 * ```
 */
export function compareRows(
  a: RowRanking,
  b: RowRanking,
  rng: Rng,
  opts: { resamples?: number; level?: number } = {},
): MetricComparison[] {
  if (!sameQueries(a.queries, b.queries)) {
    throw new RangeError("compareRows: the two rows ranked different queries");
  }
  const n = a.queries.length;
  const meanOver = (r: RowRanking, name: string) =>
    meanOverRuns(r.metrics.map((metrics) => ({ ids: r.queries, metrics })), name)!;
  const seedMeans = (r: RowRanking, name: string) => {
    const bySeed = new Map<number, number>();
    r.trials.forEach((t, i) => {
      bySeed.set(t.spec.seed, r.metrics[i][name].reduce((s, v) => s + v, 0) / n);
    });
    return bySeed;
  };
  // By cut-off, then in the protocols' order of metrics (the stored files keep no order).
  const order = ["HR", "Recall", "Precision", "NDCG", "Reach", "HitRate"];
  const rank = (m: string) => {
    const [name, k] = m.split("@");
    return Number(k) * order.length + (order.includes(name) ? order.indexOf(name) : order.length);
  };
  const names = Object.keys(a.metrics[0]).sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : 1));
  return names.map((metric) => {
    const ma = meanOver(a, metric), mb = meanOver(b, metric);
    const d = ma.map((v, q) => v - mb[q]);
    const sa = seedMeans(a, metric), sb = seedMeans(b, metric);
    const common = [...sa.keys()].filter((s) => sb.has(s)).sort((x, y) => x - y);
    const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / n;
    return {
      metric,
      a: mean(ma),
      b: mean(mb),
      queries: bootstrapMean(d, rng.fork(metric), opts),
      ahead: d.filter((v) => v > TIE).length,
      behind: d.filter((v) => v < -TIE).length,
      seeds: common.length >= 2
        ? {
          ...pairedTTest(common.map((s) => sa.get(s)!), common.map((s) => sb.get(s)!)),
          seedList: common,
        }
        : undefined,
    };
  });
}
