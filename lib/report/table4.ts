/**
 * The paper's Table 4 layout: one row per model variant (the full model first), column groups
 * datasets × the first two metrics of the protocol (HR@5, NDCG@5 for item2user), mean ± std
 * over seeds, best bold and second-best underlined, and every variant cell tested against the
 * full model's (`↓` / `↑`, {@linkcode ablationMarks}): whether taking a part away changes the
 * result is what the table is for, and the best-against-second `*` does not answer it.
 *
 * @module
 */
import { ablationMarks, ablationNote } from "./ablation_marks.ts";
import { DEFAULT_TABLE_METRICS, table3Table } from "./table3.ts";
import type { TableMeta } from "./table_caption.ts";
import type { ResultRow } from "./aggregate.ts";
import type { Table } from "./table_model.ts";

/**
 * Builds Table 4 from per-seed rows whose `model` is the variant's row label. Variants keep
 * the order first seen, except that a row named like the full model (no variant suffix) leads.
 * Families are dropped (every variant is ranked), and significance and still-improving marks
 * follow {@linkcode table3Table} (`resamples`: the draws of the `*` marks' bootstrap over the
 * queries), with its caption prefixed by "Ablation study.". With `full` given, every variant
 * cell is also compared with the full row's ({@linkcode ablationMarks}) and the caption ends
 * with the verdict: which variants fall below the full model, which rise above it.
 */
export function table4Table(
  rows: readonly ResultRow[],
  meta: TableMeta,
  full?: string,
  resamples = 10000,
): Table {
  const metrics = DEFAULT_TABLE_METRICS[meta.protocol].slice(0, 2);
  const ordered = full
    ? [...rows.filter((r) => r.model === full), ...rows.filter((r) => r.model !== full)]
    : rows;
  const t = table3Table(ordered.map((r) => ({ ...r, family: undefined })), meta, {
    metrics,
    title: `Table 4 layout (${meta.protocol}): ablations`,
    significance: { resamples },
  });
  let caption = `Ablation study. ${t.caption}`;
  if (full !== undefined && ordered.some((r) => r.model !== full)) {
    const marks = ablationMarks(rows, t.rows, t.columns, full, resamples);
    caption += ` ${ablationNote(marks, full, meta.protocol === "item2user" ? "items" : "users")}`;
  }
  return { ...t, corner: "Variant", caption };
}
