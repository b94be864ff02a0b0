/**
 * Renders results in the layout of the paper's Table 3: models as rows, datasets × metrics as
 * column groups, mean ± std over seeds, best in bold and second-best underlined (reference
 * floors excluded), optionally an "Impr." row (M2VAE over the best baseline) and `*`
 * for a significant best; `†` marks cells with a seed still improving at the epoch cap, `≡` a
 * variant's cells where it trains the same model as the full one. The
 * caption's line and sentences are `table_caption.ts`'s.
 *
 * @module
 */
import { type Protocol, PROTOCOL_METRICS } from "../eval/protocol.ts";
import { MODEL_FAMILIES, type ModelFamily } from "../models/model.ts";
export { formatGain, REFERENCE_FAMILIES } from "./improvement.ts";
import { aggregateRows, checkOneProtocol, type ResultRow } from "./aggregate.ts";
import { renderMarkdown } from "./render.ts";
import {
  improvementIntervalRow,
  improvementPairs,
  improvementRow,
  isReference,
} from "./improvement.ts";
import { isAblation } from "./ablation_marks.ts";
import { significanceMarks } from "./significance_marks.ts";
import {
  ABLATIONS_UNRANKED_NOTE,
  FLOORS_NOTE,
  IMPROVEMENT_NOTE,
  improvementIntervalNote,
  ORACLE_NOTE,
  SAME_AS_FULL_NOTE,
  significanceNote,
  STILL_IMPROVING_NOTE,
  table3Caption,
  type TableMeta,
} from "./table_caption.ts";
import {
  type BodyRow,
  type Cell,
  type Column,
  formatMeanStd,
  markColumns,
  type Row,
  type Table,
} from "./table_model.ts";

/** Default columns per dataset: the paper's for item2user; Recall/NDCG @10/@20 for user2item. */
export const DEFAULT_TABLE_METRICS: Readonly<Record<Protocol, readonly string[]>> = {
  item2user: ["HR@5", "NDCG@5", "HR@10", "NDCG@10"],
  user2item: ["Recall@10", "NDCG@10", "Recall@20", "NDCG@20"],
};

/** Options of {@linkcode table3Table}. */
export interface Table3Options {
  /** Columns per dataset (default {@linkcode DEFAULT_TABLE_METRICS} of the protocol). */
  metrics?: string[];
  /**
   * Add the "Impr." row: per column, (best mean of the family "ours" rows of the full model −
   * best mean of the baseline rows) / best baseline mean, in %. The full model's rows are those
   * whose {@linkcode ResultRow.variant} is `full` or absent (when the table has none, its
   * variant rows stand in); baselines are the rows of any other family but the references
   * (floors and planted oracles never count). Negative when a baseline is better; `–` when
   * either side is missing or the best baseline mean is 0.
   */
  improvement?: boolean;
  /**
   * Under the "Impr." row, a row "Impr. 95 %" with the percentile bootstrap interval of each
   * gain over the test queries (cold items or users), where every seed of both rows compared
   * has its test metrics per query ({@linkcode ResultRow.queries}) on the same queries; absent
   * when no column has them. Its draws (default 10,000) come from a generator seeded per column,
   * so a report prints the same interval every time.
   */
  improvementInterval?: { resamples?: number };
  /**
   * Mark the best cell `*` when the paired two-sided t-test over at least 3 common seeds
   * against the second-best (never a reference floor, see {@linkcode table3Table}) has
   * p < 0.05 and, where every seed of both rows has its test metrics per query on the same
   * queries, the 95 % bootstrap interval of their per-query difference lies above 0
   * (`significance_marks.ts`; `resamples`, default 10,000).
   */
  significance?: boolean | { resamples?: number };
  /** Title (default `Table 3 layout (<protocol>)`). */
  title?: string;
}

/** Section headings of model families, in the paper's order (sanity floors first). */
export const FAMILY_ORDER: readonly ModelFamily[] = MODEL_FAMILIES;

const FAMILY_TEXT: Record<ModelFamily, string> = {
  sanity: "Reference floors",
  oracle: "Planted ceilings",
  contrastive: "Contrastive",
  "general generative": "General generative",
  "GAN-based": "GAN-based",
  "VAE-based": "VAE-based",
  ours: "Ours",
};

function checkMetrics(cols: readonly string[], protocol: Protocol): void {
  if (cols.length === 0) throw new RangeError("Cannot render a table without metrics");
  for (const m of cols) {
    const [prefix, k] = m.split("@");
    if (!PROTOCOL_METRICS[protocol].includes(prefix) || !/^[1-9]\d*$/.test(k ?? "")) {
      throw new RangeError(`Metric ${m} does not belong to the ${protocol} protocol`);
    }
  }
}

/**
 * Builds the paper's Table 3 layout from per-seed result rows.
 *
 * Rows are models in the order first seen — grouped under family headings when rows carry a
 * `family` — and column groups are datasets (order first seen) × metrics. A cell is
 * `mean ± std` over seeds (sample std, n − 1), or the bare mean for one seed, followed by
 * `(n=…)` when fewer runs than `meta.seeds` went into it, and `–` when the model has no result
 * there. Per column the best mean (compared as displayed, so ties share the mark) is marked
 * best and the second-best second; all metrics are higher-is-better. Reference floors (family
 * `sanity`, e.g. Random and Popularity) are not ranked: their cells never take a mark, even
 * when they are the highest. A cell of a (model, dataset) with a seed whose
 * {@linkcode ResultRow.stillImproving} is set gets `†` appended to its text, and the caption
 * then explains it. See {@linkcode Table3Options} for the "Impr." row and the `*` marks.
 *
 * Throws a RangeError when rows of two protocols (or of another protocol than `meta.protocol`)
 * are given, when a metric does not belong to the protocol, on duplicate (model, dataset, seed)
 * rows, on a row whose seed is not in `meta.seeds`, or on a dataset without `meta.splits` entry.
 */
export function table3Table(
  rows: readonly ResultRow[],
  meta: TableMeta,
  opts: Table3Options = {},
): Table {
  if (rows.length === 0) throw new RangeError("Cannot render a table without rows");
  checkOneProtocol(rows, meta.protocol);
  const cols = opts.metrics ?? [...DEFAULT_TABLE_METRICS[meta.protocol]];
  checkMetrics(cols, meta.protocol);
  const seeds = new Set(meta.seeds);
  let models: string[] = [];
  const datasets: string[] = [], family = new Map<string, ModelFamily>();
  const variant = new Map<string, string>();
  for (const r of rows) {
    if (!seeds.has(r.seed)) {
      throw new RangeError(`Row ${r.model}/${r.dataset} has seed ${r.seed}, not in meta.seeds`);
    }
    if (!models.includes(r.model)) models.push(r.model);
    if (!datasets.includes(r.dataset)) datasets.push(r.dataset);
    if (r.family) family.set(r.model, r.family);
    if (r.variant !== undefined && r.variant !== "full") variant.set(r.model, r.variant);
  }
  for (const d of datasets) {
    if (!(d in meta.splits)) throw new RangeError(`No split description for dataset ${d}`);
  }
  const grouped = family.size > 0;
  if (grouped) {
    const rank = (m: string) => FAMILY_ORDER.indexOf(family.get(m) ?? "ours");
    models = models.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
      .map((x) => x.m);
  }
  const agg = aggregateRows(rows, cols);
  const columns: Column[] = datasets.flatMap((d) => cols.map((name) => ({ group: d, name })));
  const body: Row[] = [];
  let lastFamily: ModelFamily | undefined;
  for (const m of models) {
    const f = family.get(m);
    if (grouped && f !== lastFamily && f) {
      body.push({ kind: "section", label: FAMILY_TEXT[f] });
      lastFamily = f;
    }
    const cells: Cell[] = columns.map(({ group, name }) => {
      const v = agg.get(m)?.get(group)?.get(name);
      return v ? { value: v, text: formatMeanStd(v, meta.seeds.length) } : { text: "–" };
    });
    body.push({ kind: "row", label: m, cells });
  }
  const isFloor = (r: BodyRow) => isReference(family.get(r.label));
  // An ablation beside the full model it ablates is no competitor (as for Impr.): ranked, it
  // could take the underline and be what the full model's `*` is tested against.
  const hasFull = models.some((m) => family.get(m) === "ours" && !variant.has(m));
  const unranked = (m: string) => hasFull && family.get(m) === "ours" && isAblation(variant.get(m));
  markColumns(body, (r) => !isFloor(r) && !unranked(r.label));
  const sig = opts.significance
    ? significanceMarks(rows, body, columns, significanceResamples(opts.significance))
    : undefined;
  let interval: Row | undefined;
  if (opts.improvement) {
    const pairs = improvementPairs(body, columns, family, variant);
    body.push(improvementRow(pairs));
    if (opts.improvementInterval) {
      const resamples = opts.improvementInterval.resamples ?? 10000;
      interval = improvementIntervalRow(rows, pairs, columns, resamples);
      if (interval) body.push(interval);
    }
  }
  const dagger = appendMarks(rows.filter((r) => r.stillImproving), body, columns, "†");
  const same = appendMarks(rows.filter((r) => r.sameAsFull), body, columns, "≡");
  const caption = table3Caption(meta, datasets) +
    (models.some((m) => family.get(m) === "sanity") ? ` ${FLOORS_NOTE}` : "") +
    (models.some(unranked) ? ` ${ABLATIONS_UNRANKED_NOTE}` : "") +
    (models.some((m) => family.get(m) === "oracle") ? ` ${ORACLE_NOTE}` : "") +
    (sig?.any || sig?.overQueries
      ? ` ${significanceNote(sig, meta.protocol === "item2user" ? "items" : "users")}`
      : "") +
    (opts.improvement ? ` ${IMPROVEMENT_NOTE}` : "") +
    (interval
      ? ` ${
        improvementIntervalNote(
          meta.protocol === "item2user" ? "items" : "users",
          opts.improvementInterval?.resamples ?? 10000,
        )
      }`
      : "") +
    (dagger ? ` ${STILL_IMPROVING_NOTE}` : "") +
    (same ? ` ${SAME_AS_FULL_NOTE}` : "");
  return {
    title: opts.title ?? `Table 3 layout (${meta.protocol})`,
    caption,
    corner: "Model",
    columns,
    rows: body,
  };
}

/** The bootstrap draws a `significance` option asks for (default 10,000). */
function significanceResamples(o: true | { resamples?: number }): number {
  return o === true ? 10000 : o.resamples ?? 10000;
}

/**
 * Appends `mark` to the text of every filled cell of a (model, dataset) that one of `flagged`
 * belongs to (`†`: a seed still improving at the epoch cap; `≡`: the same model as the full
 * one there); says whether any cell got one.
 */
function appendMarks(
  flaggedRows: readonly ResultRow[],
  body: Row[],
  columns: Column[],
  mark: string,
): boolean {
  const flagged = new Set(flaggedRows.map((r) => JSON.stringify([r.model, r.dataset])));
  let any = false;
  for (const r of body) {
    if (r.kind !== "row" || r.summary) continue;
    r.cells.forEach((cell, c) => {
      if (cell.value && flagged.has(JSON.stringify([r.label, columns[c].group]))) {
        cell.text += mark;
        any = true;
      }
    });
  }
  return any;
}

/**
 * Renders rows as a markdown table in the paper's Table 3 layout, preceded by a caption line
 * (see {@linkcode table3Table} for the layout, marks and errors).
 *
 * @example Usage
 * ```ts
 * const md = table3Markdown(rows, {
 *   protocol: "item2user", part: "test", seeds: [1, 2, 3], codeVersion: "abc1234",
 *   splits: { "ml-20m": splitLabel(split) },
 * });
 * ```
 */
export function table3Markdown(
  rows: readonly ResultRow[],
  meta: TableMeta,
  metrics?: string[],
): string {
  return renderMarkdown(table3Table(rows, meta, { metrics, title: "Table (Table 3 layout)" }));
}
