/**
 * The diagnostics layout: for every (dataset, row) at its selected configuration, the model's
 * own measurements at the kept checkpoint (posterior health, gates, loss terms against their
 * chance level, inference gaps; see `ColdStartModel.diagnostics`), mean ± std over seeds, and
 * the same at the untrained start, so that a mechanism that never moved is visible.
 *
 * @module
 */
import { meanStd } from "./aggregate.ts";
import { pairedTTest } from "./significance.ts";
import { type Cell, type Column, formatMeanStd, type Row, type Table } from "./table_model.ts";

/** One seed's record of one row: diagnostics and loss terms at its kept checkpoint. */
export interface DiagnosticsSeed {
  /** Diagnostics at the kept checkpoint. */
  kept: Record<string, number>;
  /** Diagnostics before training (step 0). */
  start: Record<string, number>;
  /** Mean loss terms over the steps before the kept checkpoint's validation. */
  losses: Record<string, number>;
  /** Kept step and steps run. */
  bestStep: number;
  steps: number;
}

/** A column of the table: one (dataset, row label) and its seeds. */
export interface DiagnosticsEntry {
  dataset: string;
  label: string;
  seeds: DiagnosticsSeed[];
}

/** Order of key groups in the table; other keys follow alphabetically. */
const GROUPS = ["gap.", "post.", "raw.", "gates.", "alpha.", "dcl.", "co.", "loss.", "chance."];

function groupRank(k: string): number {
  const g = GROUPS.findIndex((p) => k.startsWith(p));
  return g < 0 ? GROUPS.length : g;
}

function cell(values: number[], n: number, gap = false): Cell {
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  if (finite.length === 0) return { text: "–" };
  const value = meanStd(finite);
  const out: Cell = { value, text: formatMeanStd(value, n) };
  // A gap is a paired difference (two inference modes, same checkpoint): with 3 or more
  // seeds, `*` marks a mean gap whose paired two-sided t-test against 0 has p < 0.05.
  if (gap && finite.length >= 3 && pairedTTest(finite, finite.map(() => 0)).p < 0.05) {
    out.sig = "*";
  }
  return out;
}

/**
 * Builds the table: one column per entry, one row per diagnostic (`<key>` at the kept
 * checkpoint, `<key> @start` for gates, gaps and active units before training) and per loss
 * term (`loss.<term>`), plus the kept step.
 */
export function diagnosticsTable(entries: readonly DiagnosticsEntry[], caption: string): Table {
  const keys = new Set<string>();
  for (const e of entries) {
    for (const s of e.seeds) {
      for (const k of Object.keys(s.kept)) keys.add(k);
      for (const k of Object.keys(s.losses)) keys.add(`loss.${k}`);
    }
  }
  const ordered = [...keys].sort((a, b) => groupRank(a) - groupRank(b) || a.localeCompare(b));
  const columns: Column[] = entries.map((e) => ({ group: e.dataset, name: e.label }));
  const value = (s: DiagnosticsSeed, k: string) =>
    k.startsWith("loss.") ? s.losses[k.slice(5)] : s.kept[k];
  const rows: Row[] = [{
    kind: "row",
    label: "kept step / steps",
    cells: entries.map((e) => ({
      text: e.seeds.map((s) => `${s.bestStep}/${s.steps}`).join(", "),
    })),
  }];
  for (const k of ordered) {
    rows.push({
      kind: "row",
      label: k,
      cells: entries.map((e) =>
        cell(e.seeds.map((s) => value(s, k)), e.seeds.length, k.startsWith("gap."))
      ),
    });
    const atStart = /^(gap\.|gates\.sd|gates\.truthCorr|alpha\.sd|post\..*\.active|dcl\.ratio)/
      .test(k);
    if (atStart) {
      rows.push({
        kind: "row",
        label: `${k} @start`,
        cells: entries.map((e) => cell(e.seeds.map((s) => s.start[k]), e.seeds.length)),
      });
    }
  }
  return { title: "Diagnostics", caption, corner: "Diagnostic", columns, rows };
}
