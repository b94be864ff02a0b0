/**
 * Result tables: the paper's Table 3 layout in markdown (mean ± std over seeds, best bold,
 * second-best underlined, a caption with protocol, part, split fingerprints, seeds and code
 * version) and a long-format CSV of every result.
 *
 * @example Usage
 * ```ts
 * import { resultsCsv, splitLabel, table3Markdown } from "./mod.ts";
 * const md = table3Markdown(rows, {
 *   protocol: "item2user", part: "test", seeds: [1, 2], codeVersion: "abc1234",
 *   splits: { "ml-20m": splitLabel(split) },
 * });
 * const csv = resultsCsv(rows);
 * ```
 *
 * @module
 */
export {
  aggregateRows,
  checkOneProtocol,
  type MeanStd,
  meanStd,
  type ResultRow,
  rowProtocol,
} from "./aggregate.ts";
export { DEFAULT_TABLE_METRICS, table3Markdown } from "./table3.ts";
export { splitLabel, table3Caption, type TableMeta } from "./table_caption.ts";
export { RESULTS_CSV_COLUMNS, resultsCsv } from "./csv.ts";
export {
  type Cell,
  type Column,
  formatMeanStd,
  markColumns,
  type Row,
  type Table,
} from "./table_model.ts";
export {
  LATEX_PACKAGES,
  renderCsv,
  renderLatex,
  renderMarkdown,
  renderTable,
  type ReportFormat,
} from "./render.ts";
export { FAMILY_ORDER, type Table3Options, table3Table } from "./table3.ts";
export { table4Table } from "./table4.ts";
export { besidePaperTable, kendallTau } from "./beside_paper.ts";
export {
  PAPER_COLUMN_NOTES,
  PAPER_IMPROVEMENT,
  PAPER_METRICS,
  PAPER_TABLE3,
  type PaperColumn,
  paperColumnOf,
} from "./paper_table3.ts";
export { gridTable, gridTables, selectionAxes } from "./grid_table.ts";
export {
  type Candidate,
  type Selection,
  selectOnValidation,
  type ValidationRecord,
} from "./select.ts";
export {
  bootstrapGain,
  type BootstrapInterval,
  bootstrapMean,
  type GainInterval,
  incompleteBeta,
  type PairedTest,
  pairedTTest,
  studentTwoSidedP,
} from "./significance.ts";
export {
  type Layout,
  LAYOUTS,
  reportedExperiments,
  type StoreReport,
  storeReport,
} from "./from_store.ts";
export {
  type DiagnosticsEntry,
  type DiagnosticsSeed,
  diagnosticsTable,
} from "./diagnostics_table.ts";
export { placedPresets, reportedConfig, rowEntries, type TunedPlan } from "./tuned_rows.ts";
export {
  type TuningCell,
  type TuningConfiguration,
  type TuningLadder,
  tuningLadders,
  tuningTable,
} from "./tuning_table.ts";
export {
  escapeHtml,
  type HtmlFigure,
  type HtmlPage,
  renderHtmlPage,
  renderHtmlTable,
} from "./html.ts";
