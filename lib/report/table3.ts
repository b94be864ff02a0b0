/**
 * Renders results in the layout of the paper's Table 3: models as rows, datasets × metrics as
 * column groups, mean ± std over seeds, best in bold and second-best underlined.
 *
 * @module
 */
import { markdownTable } from "markdown-table";
import { type Protocol, PROTOCOL_METRICS } from "../eval/protocol.ts";
import type { ColdSplit, EvalPart } from "../split/types.ts";
import { aggregateRows, checkOneProtocol, type MeanStd, type ResultRow } from "./aggregate.ts";

/** What the caption of a table states. */
export interface TableMeta {
  /** The protocol of every row. */
  protocol: Protocol;
  /** The evaluated part (Table 3 reports the cold test part). */
  part: EvalPart;
  /** Dataset name → its split's description and fingerprint (see {@linkcode splitLabel}). */
  splits: Record<string, string>;
  /** The seeds the runs used. */
  seeds: number[];
  /** Code version, e.g. a git commit. */
  codeVersion: string;
  /** Optional extra sentence for the caption. */
  note?: string;
}

/** Default columns per dataset: the paper's for item2user; Recall/NDCG @10/@20 for user2item. */
export const DEFAULT_TABLE_METRICS: Readonly<Record<Protocol, readonly string[]>> = {
  item2user: ["HR@5", "NDCG@5", "HR@10", "NDCG@10"],
  user2item: ["Recall@10", "NDCG@10", "Recall@20", "NDCG@20"],
};

/** `description [fingerprint]` of a split, for {@linkcode TableMeta.splits}. */
export function splitLabel(split: Pick<ColdSplit, "description" | "fingerprint">): string {
  return `${split.description} [split ${split.fingerprint}]`;
}

const PROTOCOL_TEXT: Record<Protocol, string> = {
  item2user:
    "Protocol: item2user (the paper's, from CCFCRec's code): each cold item ranks all training " +
    "users; HR@K is the paper's precision-style HR = hits / (items × K), not the usual hit " +
    "ratio or recall, and NDCG@K is CCFCRec's self-normalised NDCG (ideal = the retrieved " +
    "list re-sorted)",
  user2item: "Protocol: user2item (CLCRec/ColdRec): each user with an interaction in the part " +
    "ranks the part's cold items; standard Recall@K, Precision@K, NDCG@K (ideal over " +
    "min(|P_u|, K)) and HitRate@K, averaged over users",
};

const PART_TEXT: Record<EvalPart, string> = { test: "cold test", valid: "cold validation" };

function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function formatCell(c: MeanStd, seeds: number): string {
  const text = c.n > 1 ? `${c.mean.toFixed(4)} ± ${c.std.toFixed(4)}` : c.mean.toFixed(4);
  return c.n === seeds ? text : `${text} (n=${c.n})`;
}

/** The caption line: protocol, part, splits with fingerprints, seeds and code version. */
export function table3Caption(meta: TableMeta, datasets: readonly string[]): string {
  const splits = datasets.map((d) => `${d}: ${meta.splits[d]}`).join("; ");
  const seeds = meta.seeds.join(", ");
  const cells = meta.seeds.length > 1
    ? `cells are mean ± sample std over ${meta.seeds.length} seeds`
    : "cells are single-seed values";
  return `**Table (Table 3 layout).** Part: ${PART_TEXT[meta.part]} items. ` +
    `${PROTOCOL_TEXT[meta.protocol]}. Splits: ${splits}. Seeds: ${seeds} (${cells}). ` +
    `Code version: ${meta.codeVersion}. Best per column in **bold**, second-best <u>underlined</u>.` +
    (meta.note ? ` ${meta.note.replace(/\r?\n/g, " ")}` : "");
}

/**
 * Renders rows as a markdown table in the paper's Table 3 layout, preceded by a caption line.
 *
 * Rows are models in the order first seen; column groups are datasets (order first seen) ×
 * `metrics` (default {@linkcode DEFAULT_TABLE_METRICS} of the protocol). A cell is
 * `mean ± std` over seeds with 4 decimals (sample std, n − 1), or just the mean for one seed,
 * followed by `(n=…)` when fewer runs than `meta.seeds` went into it, and `–` when the model
 * has no result on that dataset. Per column the best mean (compared as
 * displayed, so ties share the mark) is **bold** and the second-best <u>underlined</u>; all
 * metrics are higher-is-better.
 *
 * Throws a RangeError when rows of two protocols (or of another protocol than `meta.protocol`)
 * are given, when a metric does not belong to the protocol, on duplicate (model, dataset, seed)
 * rows, on a row whose seed is not in `meta.seeds`, or on a dataset without `meta.splits` entry.
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
  if (rows.length === 0) throw new RangeError("Cannot render a table without rows");
  checkOneProtocol(rows, meta.protocol);
  const cols = metrics ?? [...DEFAULT_TABLE_METRICS[meta.protocol]];
  if (cols.length === 0) throw new RangeError("Cannot render a table without metrics");
  for (const m of cols) {
    const [prefix, k] = m.split("@");
    if (!PROTOCOL_METRICS[meta.protocol].includes(prefix) || !/^[1-9]\d*$/.test(k ?? "")) {
      throw new RangeError(`Metric ${m} does not belong to the ${meta.protocol} protocol`);
    }
  }
  const seeds = new Set(meta.seeds);
  const models: string[] = [], datasets: string[] = [];
  for (const r of rows) {
    if (!seeds.has(r.seed)) {
      throw new RangeError(`Row ${r.model}/${r.dataset} has seed ${r.seed}, not in meta.seeds`);
    }
    if (!models.includes(r.model)) models.push(r.model);
    if (!datasets.includes(r.dataset)) datasets.push(r.dataset);
  }
  for (const d of datasets) {
    if (!(d in meta.splits)) throw new RangeError(`No split description for dataset ${d}`);
  }
  const agg = aggregateRows(rows, cols);
  const header = ["Model"];
  const body = models.map((m) => [escapeCell(m)]);
  for (const d of datasets) {
    for (const metric of cols) {
      header.push(escapeCell(`${d} ${metric}`));
      const cells = models.map((m) => agg.get(m)?.get(d)?.get(metric));
      const shown = cells.map((c) => (c ? Number(c.mean.toFixed(4)) : undefined));
      const distinct = [...new Set(shown.filter((v) => v !== undefined))].sort((a, b) => b - a);
      const present = shown.filter((v) => v !== undefined).length;
      cells.forEach((c, row) => {
        if (!c) return void body[row].push("–");
        const text = formatCell(c, meta.seeds.length);
        const v = shown[row];
        if (present > 1 && v === distinct[0]) body[row].push(`**${text}**`);
        else if (present > 1 && distinct.length > 1 && v === distinct[1]) {
          body[row].push(`<u>${text}</u>`);
        } else body[row].push(text);
      });
    }
  }
  const table = markdownTable([header, ...body], {
    align: ["l", ...header.slice(1).map(() => "r")],
  });
  return `${table3Caption(meta, datasets)}\n\n${table}\n`;
}
