/**
 * Result rows and their aggregation over seeds.
 *
 * @module
 */
import { type Protocol, PROTOCOL_METRICS, type QueryMetrics } from "../eval/protocol.ts";
import type { ModelFamily } from "../models/model.ts";

/** One evaluation result: a model on a dataset with one seed. */
export interface ResultRow {
  /** Model name, e.g. `M2VAE`. */
  model: string;
  /** Dataset name, e.g. `ml-20m`. */
  dataset: string;
  /** Seed of the run. */
  seed: number;
  /** Metric name → value, e.g. `{ "HR@5": 0.30, "NDCG@5": 0.48 }`. */
  metrics: Record<string, number>;
  /** The protocol the metrics come from; inferred from the metric names when absent. */
  protocol?: Protocol;
  /** The model's family, for grouped tables. */
  family?: ModelFamily;
  /**
   * The model variant the row ran (`full`, or an ablation or reading such as `w/o SG`); absent
   * counts as `full`. Table 3's "Impr." row compares the full model of family `ours`.
   */
  variant?: string;
  /**
   * True when the trial's kept checkpoint was its last validation: it was still improving when
   * the epoch cap ended training, so its numbers are a lower bound (Table 3 marks such cells †).
   */
  stillImproving?: boolean;
  /**
   * True when the row's variant switches off a part of the model that cannot act on this
   * dataset (e.g. M2VAE's modality gates on a set with one content view): it trains the same
   * model as the full row (Table 4 marks such cells ≡).
   */
  sameAsFull?: boolean;
  /**
   * The same test metrics per query (cold item or user), when the trial stored them: Table 3's
   * "Impr." then gets an interval over the queries.
   */
  queries?: QueryMetrics;
}

/** Mean and sample standard deviation (n − 1; 0 for a single value) of some values. */
export interface MeanStd {
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  std: number;
  /** Number of values. */
  n: number;
}

/** Mean and sample standard deviation (divisor n − 1; 0 when n = 1). */
export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) throw new RangeError("Cannot aggregate zero values");
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

function prefixOf(metric: string): string {
  return metric.split("@")[0];
}

/**
 * The protocol of a row: its `protocol` field, else inferred from its metric names (`HR@…` →
 * item2user; `Recall@…`, `Precision@…`, `HitRate@…` → user2item; `NDCG@…` alone says nothing).
 * Throws a RangeError when a row's metrics belong to both protocols or contradict its field.
 */
export function rowProtocol(row: ResultRow): Protocol | undefined {
  const found = new Set<Protocol>();
  for (const key of Object.keys(row.metrics)) {
    const p = prefixOf(key);
    if (p === "NDCG") continue;
    if (PROTOCOL_METRICS.item2user.includes(p)) found.add("item2user");
    if (PROTOCOL_METRICS.user2item.includes(p)) found.add("user2item");
  }
  if (row.protocol) found.add(row.protocol);
  if (found.size > 1) {
    throw new RangeError(
      `Row ${row.model}/${row.dataset}/seed=${row.seed} mixes protocols: ${[...found].join(", ")}`,
    );
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Checks that every row belongs to `protocol` (throws a RangeError naming both otherwise). */
export function checkOneProtocol(rows: readonly ResultRow[], protocol: Protocol): void {
  for (const row of rows) {
    const p = rowProtocol(row);
    if (p !== undefined && p !== protocol) {
      throw new RangeError(
        `Cannot render rows of two protocols in one table: ${row.model}/${row.dataset}/seed=${row.seed} ` +
          `is ${p}, the table is ${protocol}`,
      );
    }
  }
}

/**
 * Groups rows by (model, dataset) and aggregates each metric over seeds. Throws a RangeError on
 * a duplicate (model, dataset, seed), a non-finite value, or a metric present for some seeds of
 * a (model, dataset) but not others. A metric no seed has is left out.
 */
export function aggregateRows(
  rows: readonly ResultRow[],
  metrics: readonly string[],
): Map<string, Map<string, Map<string, MeanStd>>> {
  const groups = new Map<string, Map<string, ResultRow[]>>();
  const seen = new Set<string>();
  for (const row of rows) {
    const id = JSON.stringify([row.model, row.dataset, row.seed]);
    if (seen.has(id)) {
      throw new RangeError(`Duplicate result row: ${row.model}/${row.dataset}/seed=${row.seed}`);
    }
    seen.add(id);
    const byDs = groups.get(row.model) ?? new Map<string, ResultRow[]>();
    groups.set(row.model, byDs);
    byDs.set(row.dataset, [...(byDs.get(row.dataset) ?? []), row]);
  }
  const out = new Map<string, Map<string, Map<string, MeanStd>>>();
  for (const [model, byDs] of groups) {
    const m = new Map<string, Map<string, MeanStd>>();
    out.set(model, m);
    for (const [dataset, rs] of byDs) {
      const cells = new Map<string, MeanStd>();
      m.set(dataset, cells);
      for (const metric of metrics) {
        const have = rs.filter((r) => metric in r.metrics);
        if (have.length === 0) continue;
        if (have.length < rs.length) {
          const miss = rs.find((r) => !(metric in r.metrics))!;
          throw new RangeError(
            `Metric ${metric} missing for ${model}/${dataset}/seed=${miss.seed}`,
          );
        }
        const values = have.map((r) => r.metrics[metric]);
        for (const v of values) {
          if (!Number.isFinite(v)) {
            throw new RangeError(`Metric ${metric} of ${model}/${dataset} is ${v}`);
          }
        }
        cells.set(metric, meanStd(values));
      }
    }
  }
  return out;
}
