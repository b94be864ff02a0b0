/**
 * Long-format CSV of result rows.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { type ResultRow, rowProtocol } from "./aggregate.ts";

/** Column names of {@linkcode resultsCsv}, in order. */
export const RESULTS_CSV_COLUMNS: readonly string[] = [
  "model",
  "dataset",
  "seed",
  "protocol",
  "metric",
  "value",
];

/**
 * One CSV line per (row, metric), with a header: `model,dataset,seed,protocol,metric,value`.
 * `protocol` is the row's protocol (given or inferred from its metric names; empty when
 * unknown); `value` is written with full precision (the shortest text that reads back exactly).
 *
 * @example Usage
 * ```ts
 * resultsCsv([{ model: "M2VAE", dataset: "ml", seed: 1, metrics: { "HR@5": 0.3 } }]);
 * // "model,dataset,seed,protocol,metric,value\nM2VAE,ml,1,item2user,HR@5,0.3\n"
 * ```
 */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const records: string[][] = [];
  for (const row of rows) {
    const protocol = rowProtocol(row) ?? "";
    for (const [metric, value] of Object.entries(row.metrics)) {
      records.push([row.model, row.dataset, String(row.seed), protocol, metric, String(value)]);
    }
  }
  return stringify(records, { header: true, columns: [...RESULTS_CSV_COLUMNS] });
}
