/**
 * Builds an experiment's report tables from the result store: selection on validation
 * (`stored_selection.ts`), then Table 3 (every row at its selected configuration), Table 4 (when
 * the experiment has model variants), the grid tables (for rows with more than one search point) and, for a dataset that
 * stands for a column of the paper's Table 3, the rows beside that column; one set per
 * protocol — the two protocols never share a table. Their captions are `captions.ts`'s. Several
 * experiments can make one report (`storeReport(store, ["a", "b"])`): each row then comes from
 * the one experiment that ran it, on the same split, selected by the same metric.
 *
 * @module
 */
import type { Protocol, QueryMetrics } from "../eval/mod.ts";
import { readQueryMetrics, type ResultStore, type TrialInfo } from "../store/mod.ts";
import type { ResultRow } from "./aggregate.ts";
import {
  atChoiceNote,
  diagnosticsCaption,
  gridCaption,
  improvingNote,
  missingNote,
  preferredNote,
  rebuiltNote,
  tableMeta,
  tuningNote,
} from "./captions.ts";
import { besidePaperTable } from "./beside_paper.ts";
import { type DiagnosticsEntry, diagnosticsTable } from "./diagnostics_table.ts";
import { paperColumnOf } from "./paper_table3.ts";
import { gridTables } from "./grid_table.ts";
import { oneViewMarks } from "./one_view.ts";
import { splitColumns } from "./split_columns.ts";
import { table4Groups } from "./table4_groups.ts";
import type { Selection } from "./select.ts";
import { mergedSelection } from "./stored_selection.ts";
import { REFERENCE_FAMILIES, table3Table } from "./table3.ts";
import { table4Table } from "./table4.ts";
import type { Table } from "./table_model.ts";
import { tuningLadders, tuningTable } from "./tuning_table.ts";
import { rowEntries } from "./tuned_rows.ts";
import { budgetSensitivity, budgetTable } from "./budget_table.ts";
import { BUILTIN_MODEL_NAMES } from "../models/catalog.ts";

/** Which layouts to build. */
export type Layout =
  | "table3"
  | "table4"
  | "grid"
  | "diagnostics"
  | "paper"
  | "tuning"
  | "budget";

/** Every layout, in the order reports print them. */
export const LAYOUTS: readonly Layout[] = [
  "table3",
  "table4",
  "grid",
  "diagnostics",
  "paper",
  "tuning",
  "budget",
];

export {
  type ExperimentSelection,
  experimentSelection,
  mergedSelection,
  reportedExperiments,
} from "./stored_selection.ts";

/** The tables of one experiment, and how many trials they rest on. */
export interface StoreReport {
  tables: { layout: Layout; protocol: string; table: Table }[];
  /** Trials done / planned, and failed ones (label and error). */
  done: number;
  planned: number;
  failed: { label: string; error: string }[];
}

/**
 * Rows in the toolkit's model order (the registry's: the paper's Table 3 order), whatever order
 * they ran in; a model not built in (a plugin's) follows, in first-seen order, as do a model's
 * variants after its full row.
 */
export function byCatalogOrder(sel: readonly Selection[]): Selection[] {
  const rank = (m: string) => {
    const i = BUILTIN_MODEL_NAMES.indexOf(m);
    return i < 0 ? BUILTIN_MODEL_NAMES.length : i;
  };
  return [...sel].sort((a, b) => rank(a.model) - rank(b.model));
}

/**
 * Draws of the items behind Table 3's "Impr. 95 %" row: 2,000 keep a report of a user2item table
 * (one bootstrap over tens of thousands of users per column) to seconds; `compare` takes 10,000.
 */
const REPORT_RESAMPLES = 2000;

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Builds the requested layouts for `experiment`, or for several experiments as one report
 * ({@linkcode mergedSelection}); throws a RangeError when nothing is done.
 */
export async function storeReport(
  store: ResultStore,
  experiments: string | readonly string[],
  layouts: readonly Layout[] = ["table3", "table4", "grid"],
  options: {
    /** Merged experiments whose rows win over the same rows of the others, first named first. */
    prefer?: readonly string[];
  } = {},
): Promise<StoreReport> {
  const names = typeof experiments === "string" ? [experiments] : experiments;
  if (names.length === 0) throw new RangeError("No experiment to report");
  const merged = await mergedSelection(store, names, options);
  const { infos, trials: byKey, selections, metric, from, infosOf, preferred } = merged;
  // Captions name the experiment, or every merged one.
  const experiment = names.join(" + ");
  const done = [...byKey.values()];
  const tables: StoreReport["tables"] = [];
  for (const protocol of uniq(selections.map((s) => s.protocol))) {
    const sel = selections.filter((s) => s.protocol === protocol);
    const chosenKeys = sel.flatMap((s) => s.candidates[s.chosen].keys);
    const column = splitColumns(sel, byKey);
    const test = await store.metrics(chosenKeys, "test");
    // The caption names every row with a seed whose kept checkpoint was its last validation: it
    // was still improving when the budget ran out, so its numbers are a lower bound.
    const improving = new Map<string, string[]>();
    for (const s of sel) {
      const ts = s.candidates[s.chosen].keys.map((k) => byKey.get(k)!);
      const last = ts.filter(stillImproving).length;
      if (last > 0) {
        improving.set(s.label, [
          ...(improving.get(s.label) ?? []),
          `${s.dataset} ${last} of ${ts.length} seeds`,
        ]);
      }
    }
    // M2VAE's parts that cannot act here: ≡ in Table 4, named in Table 3's caption.
    const oneView = await oneViewMarks(store, sel, byKey);
    // Each trial's test metrics per query, where it stored them: Impr.'s interval over queries.
    // A file that cannot be read leaves its trial without one (its cell prints "–").
    const queries = new Map<string, QueryMetrics>();
    // Table 3's Impr. interval and `*`, and Table 4's tests against the full model, read them.
    const perQuery = layouts.includes("table3") || layouts.includes("table4");
    for (const k of perQuery ? chosenKeys : []) {
      const q = await readQueryMetrics(store.testQueriesPath(k)).catch((e) => {
        console.warn(`warning: ${e instanceof Error ? e.message : e}`);
        return undefined;
      });
      if (q) queries.set(k, q);
    }
    const rows: ResultRow[] = byCatalogOrder(sel).flatMap((s) =>
      s.candidates[s.chosen].keys.map((k) => ({
        model: s.label,
        dataset: column.of(s),
        seed: byKey.get(k)!.spec.seed,
        metrics: test.get(k) ?? {},
        protocol: protocol as Protocol,
        family: s.family,
        variant: byKey.get(k)!.spec.variant,
        stillImproving: stillImproving(byKey.get(k)!),
        sameAsFull: oneView.sameAsFull(s),
        queries: queries.get(k),
      }))
    );
    const meta = tableMeta(protocol as Protocol, sel, done, experiment, metric);
    column.describe(meta.splits);
    for (const e of names) {
      // Each merged experiment's own protocol note, for its own rows.
      const mine = infosOf.get(e)!;
      const labels = sel.filter((s) => from.get(s) === e).map((s) => s.label);
      if (names.length > 1 && labels.length === 0) continue; // no row of it in this table
      const tuned = await tuningNote(store, e, mine, labels);
      if (tuned) meta.note += names.length > 1 ? ` ${e}: ${tuned}` : ` ${tuned}`;
      const atChoice = await atChoiceNote(store, e);
      if (atChoice) meta.note += names.length > 1 ? ` ${e}: ${atChoice}` : ` ${atChoice}`;
    }
    const taken = preferred.filter((p) => p.protocol === protocol);
    if (taken.length > 0) meta.note += ` ${preferredNote(taken)}`;
    if (improving.size > 0) meta.note += ` ${improvingNote(improving)}`;
    for (const e of names) {
      const mine = infosOf.get(e)!;
      const missing = missingNote(mine, await rowEntries(store, e, mine));
      if (missing) meta.note += names.length > 1 ? ` ${e}: ${missing}` : ` ${missing}`;
    }
    const rebuilt = rebuiltNote(uniq(sel.map((s) => s.model)));
    if (rebuilt) meta.note += ` ${rebuilt}`;
    if (oneView.note) meta.note += ` ${oneView.note}`;
    if (layouts.includes("table3")) {
      tables.push({
        layout: "table3",
        protocol,
        table: table3Table(rows, meta, {
          improvement: true,
          improvementInterval: { resamples: REPORT_RESAMPLES },
          significance: { resamples: REPORT_RESAMPLES },
        }),
      });
    }
    // Variants of the reference rows (the planted oracle's) are ceilings, not ablations.
    const ablated = uniq(
      sel.filter((s) => s.variant !== "full" && !REFERENCE_FAMILIES.includes(s.family))
        .map((s) => s.model),
    );
    if (layouts.includes("table4") && ablated.length > 0) {
      const groups = table4Groups(sel, ablated, (k) => byKey.get(k));
      for (const { full, labels } of groups) {
        const names = new Set(labels);
        const table = table4Table(
          rows.filter((r) => names.has(r.model)),
          meta,
          full,
          REPORT_RESAMPLES,
        );
        // Several tables: each says which full row its ablations are tested against.
        if (groups.length > 1) {
          table.title += full === undefined ? " matching no full row (untested)" : ` of ${full}`;
        }
        tables.push({ layout: "table4", protocol, table });
      }
    }
    if (layouts.includes("diagnostics")) {
      const entries: DiagnosticsEntry[] = await Promise.all(sel.map(async (s) => ({
        dataset: s.dataset,
        label: s.label,
        seeds: await Promise.all(s.candidates[s.chosen].keys.map(async (k) => {
          const t = byKey.get(k)!, curve = await store.curve(k);
          const kept = curve.find((p) => p.step === t.bestStep) ?? curve[0];
          return {
            kept: kept?.diagnostics ?? {},
            start: curve[0]?.diagnostics ?? {},
            losses: kept?.losses ?? {},
            bestStep: t.bestStep ?? 0,
            steps: t.steps ?? 0,
          };
        })),
      })));
      // Only rows whose model records diagnostics get a column.
      const measured = entries.filter((e) => e.seeds.some((s) => Object.keys(s.kept).length > 0));
      if (measured.length > 0) {
        tables.push({
          layout: "diagnostics",
          protocol,
          table: diagnosticsTable(measured, diagnosticsCaption(experiment, protocol, metric)),
        });
      }
    }
    // Each dataset that stands for a column of the paper's Table 3, beside that column.
    if (layouts.includes("paper")) {
      // One per column group: a dataset whose rows ran on two splits stands beside it twice.
      for (const group of uniq(sel.map((s) => column.of(s)))) {
        const dataset = sel.find((s) => column.of(s) === group)!.dataset;
        const spec = done.find((t) => t.spec.dataset === dataset)?.spec.datasetSpec;
        const paper = spec ? paperColumnOf(spec) : undefined;
        const table = paper ? besidePaperTable(rows, group, paper, meta) : undefined;
        if (table) tables.push({ layout: "paper", protocol, table });
      }
    }
    if (layouts.includes("grid")) {
      const caption = gridCaption(experiment, protocol);
      for (const s of sel) {
        for (const table of gridTables(s, caption)) {
          tables.push({ layout: "grid", protocol, table });
        }
      }
    }
  }
  // Every configuration each tuned row tried, rung by rung: one table per (dataset, row) of
  // each experiment (a merged report's rows from the experiment that ran them).
  if (layouts.includes("tuning")) {
    for (const e of names) {
      const mine = infosOf.get(e)!;
      for (const ladder of await tuningLadders(store, e, mine)) {
        const protocol = mine.find((t) =>
          t.spec.label === ladder.label && t.spec.dataset === ladder.dataset
        )?.spec.settings.protocol;
        tables.push({
          layout: "tuning",
          protocol: protocol ?? "",
          table: tuningTable(ladder, `Experiment ${e}; selection on cold-validation items only.`),
        });
      }
    }
  }
  // Whether each tuned row's choice holds at half its budget and at η 2: one table per
  // (experiment, dataset).
  if (layouts.includes("budget")) {
    for (const e of names) {
      const mine = infosOf.get(e)!;
      const rows = await budgetSensitivity(store, e, mine);
      for (const dataset of [...new Set(rows.map((r) => r.dataset))]) {
        const protocol = mine.find((t) => t.spec.dataset === dataset)?.spec.settings.protocol;
        tables.push({
          layout: "budget",
          protocol: protocol ?? "",
          table: budgetTable(
            rows,
            dataset,
            `Experiment ${e}; selection on cold-validation items only.`,
          ),
        });
      }
    }
  }
  return {
    tables,
    done: infos.filter((t) => t.status === "done").length,
    planned: infos.length,
    failed: infos.filter((t) => t.status === "failed").map((t) => ({
      label: `${t.spec.dataset} ${t.spec.label} ${t.spec.pointLabel} seed ${t.spec.seed}`,
      error: t.error ?? "",
    })),
  };
}

/** Whether a trial's kept checkpoint was its last validation (it was still improving). */
function stillImproving(t: TrialInfo): boolean {
  return (t.steps ?? 0) > 0 && t.bestStep === t.steps;
}
