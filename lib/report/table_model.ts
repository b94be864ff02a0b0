/**
 * A result table independent of its output format: a caption, column groups, section rows and
 * cells that carry both their numbers and their marks (best, second-best, significance), so
 * markdown, CSV and LaTeX render the same content.
 *
 * @module
 */
import type { MeanStd } from "./aggregate.ts";

/** One cell. */
export interface Cell {
  /** The numbers behind it (absent for an empty cell or a text-only one). */
  value?: MeanStd;
  /** Display text without marks, e.g. `0.3100 ± 0.0141`, `–`, `+3.2%`. */
  text: string;
  /** Best or second-best in its column. */
  mark?: "best" | "second";
  /** The selected configuration (grid tables). */
  selected?: boolean;
  /** Significance marker, e.g. `*` (p < 0.05), explained in the caption. */
  sig?: string;
}

/** A column: its group (dataset) and name (metric or axis value). */
export interface Column {
  group: string;
  name: string;
  /** Alignment of its cells where the format has one: `r` (numbers, the default) or `l` (text). */
  align?: "l" | "r";
}

/** A run of adjacent columns with the same group: one spanning header cell. */
export interface ColumnGroup {
  name: string;
  span: number;
}

/** The header groups of `columns`: adjacent columns of one group merge into one span. */
export function columnGroups(columns: Column[]): ColumnGroup[] {
  const groups: ColumnGroup[] = [];
  for (const c of columns) {
    const last = groups[groups.length - 1];
    if (last && last.name === c.group) last.span++;
    else groups.push({ name: c.group, span: 1 });
  }
  return groups;
}

/** A body row: a section heading (a model family) or a labelled row of cells. */
export type Row =
  | { kind: "section"; label: string }
  | { kind: "row"; label: string; cells: Cell[]; summary?: boolean };

/** A whole table. */
export interface Table {
  /** Short title, e.g. `Table 3 (item2user)`. */
  title: string;
  /** Everything a reader needs to know: protocol, part, splits, seeds, code version. */
  caption: string;
  /** Header of the label column. */
  corner: string;
  columns: Column[];
  rows: Row[];
}

/** Formats mean ± std with 4 decimals (just the mean for one value) and `(n=…)` when short. */
export function formatMeanStd(c: MeanStd, expectedN: number): string {
  const text = c.n > 1 ? `${c.mean.toFixed(4)} ± ${c.std.toFixed(4)}` : c.mean.toFixed(4);
  return c.n === expectedN ? text : `${text} (n=${c.n})`;
}

/** A labelled body row of a {@linkcode Table} (not a section heading). */
export type BodyRow = Extract<Row, { kind: "row" }>;

/**
 * Marks the best and second-best cell of every column among `rows` (compared as displayed, to
 * 4 decimals, so ties share a mark; higher is better). Section and summary rows are skipped,
 * and so is every row for which `ranked` returns false (e.g. Table 3's reference floors): such
 * a row takes no mark even when it is the highest, and does not push the others down. By
 * default every row is ranked. A column needs at least two filled cells among ranked rows.
 */
export function markColumns(
  rows: Row[],
  ranked: (row: BodyRow) => boolean = () => true,
): void {
  const body = rows.filter((r): r is BodyRow => r.kind === "row" && !r.summary && ranked(r));
  if (body.length === 0) return;
  for (let c = 0; c < body[0].cells.length; c++) {
    const shown = body.map((r) =>
      r.cells[c].value ? Number(r.cells[c].value!.mean.toFixed(4)) : undefined
    );
    const present = shown.filter((v) => v !== undefined) as number[];
    if (present.length < 2) continue;
    const distinct = [...new Set(present)].sort((a, b) => b - a);
    body.forEach((r, i) => {
      if (shown[i] === undefined) return;
      if (shown[i] === distinct[0]) r.cells[c].mark = "best";
      else if (distinct.length > 1 && shown[i] === distinct[1]) r.cells[c].mark = "second";
    });
  }
}
