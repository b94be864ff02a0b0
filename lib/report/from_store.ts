/**
 * Builds an experiment's report tables from the result store: selection on validation, then
 * Table 3 (every row at its selected configuration), Table 4 (when the experiment has model
 * variants) and the grid tables (for rows with more than one search point), one set per
 * protocol — the two protocols never share a table. Their captions are `captions.ts`'s.
 *
 * @module
 */
import type { Protocol } from "../eval/mod.ts";
import { canonicalJson, type ResultStore, shownStore, type TrialInfo } from "../store/mod.ts";
import type { ResultRow } from "./aggregate.ts";
import {
  diagnosticsCaption,
  gridCaption,
  improvingNote,
  missingNote,
  oneViewNote,
  rebuiltNote,
  tableMeta,
  tuningNote,
} from "./captions.ts";
import { type DiagnosticsEntry, diagnosticsTable } from "./diagnostics_table.ts";
import { gridTables } from "./grid_table.ts";
import { type Selection, selectOnValidation, type ValidationRecord } from "./select.ts";
import { REFERENCE_FAMILIES, table3Table } from "./table3.ts";
import { table4Table } from "./table4.ts";
import type { Table } from "./table_model.ts";
import { BUILTIN_MODEL_NAMES } from "../models/catalog.ts";
import { M2VAE_DEFAULTS, type M2vaeConfig } from "../models/m2vae/config.ts";
import { inertParts, sameAsFull } from "../models/m2vae/variants.ts";

/** Which layouts to build. */
export type Layout = "table3" | "table4" | "grid" | "diagnostics";

/** Every layout, in the order reports print them. */
export const LAYOUTS: readonly Layout[] = ["table3", "table4", "grid", "diagnostics"];

/** The tables of one experiment, and how many trials they rest on. */
export interface StoreReport {
  tables: { layout: Layout; protocol: string; table: Table }[];
  /** Trials done / planned, and failed ones (label and error). */
  done: number;
  planned: number;
  failed: { label: string; error: string }[];
}

function record(t: TrialInfo, valid: Record<string, number>): ValidationRecord {
  const s = t.spec;
  return {
    key: s.key,
    protocol: t.protocol,
    dataset: s.dataset,
    model: s.model,
    label: s.label,
    variant: s.variant,
    family: s.family,
    point: s.point,
    pointLabel: s.pointLabel,
    seed: s.seed,
    valid,
  };
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

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** An experiment's finished result trials and the selection on validation over them. */
export interface ExperimentSelection {
  /** Every trial linked to the experiment (any status or role). */
  infos: TrialInfo[];
  /** Finished trials with role `result` (tuning rungs are never reported), by key. */
  trials: Map<string, TrialInfo>;
  selections: Selection[];
  /** The validation metric that selects. */
  metric: string;
}

/**
 * The selection on validation of an experiment, as its report tables make it.
 *
 * @throws RangeError for an unknown experiment or one without a finished trial.
 */
export async function experimentSelection(
  store: ResultStore,
  experiment: string,
): Promise<ExperimentSelection> {
  const infos = await store.trials(experiment);
  if (infos.length === 0) {
    const known = (await store.experiments()).map((e) => `"${e.name}"`).join(", ") || "none";
    throw new RangeError(
      `No experiment "${experiment}" in ${shownStore(store.path)} (stored: ${known})`,
    );
  }
  // Tuning rungs are never reported: selection and tables read the final runs only.
  const done = infos.filter((t) => t.status === "done" && t.role === "result");
  if (done.length === 0) {
    throw new RangeError(`Experiment "${experiment}" has no finished trial yet`);
  }
  const valid = await store.metrics(done.map((t) => t.spec.key), "valid");
  const metric = done[0].spec.settings.selectMetric;
  const selections = selectOnValidation(
    done.map((t) => record(t, valid.get(t.spec.key) ?? {})),
    metric,
  );
  return { infos, trials: new Map(done.map((t) => [t.spec.key, t])), selections, metric };
}

/** Builds the requested layouts for `experiment` (throws a RangeError when nothing is done). */
export async function storeReport(
  store: ResultStore,
  experiment: string,
  layouts: readonly Layout[] = ["table3", "table4", "grid"],
): Promise<StoreReport> {
  const { infos, trials: byKey, selections, metric } = await experimentSelection(store, experiment);
  const done = [...byKey.values()];
  const tables: StoreReport["tables"] = [];
  for (const protocol of uniq(selections.map((s) => s.protocol))) {
    const sel = selections.filter((s) => s.protocol === protocol);
    const chosenKeys = sel.flatMap((s) => s.candidates[s.chosen].keys);
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
    // M2VAE's content views per dataset, where its trials recorded their modality gates: with
    // one, some of its parts cannot act, and the variants that remove only those are the full
    // model (marked ≡ in Table 4; Table 3's caption says which parts).
    const views = await m2vaeViews(store, sel, byKey);
    const chosenTrial = (s: Selection) => byKey.get(s.candidates[s.chosen].keys[0])!;
    const sameModel = (s: Selection): boolean => {
      const full = sel.find((f) =>
        f.model === "m2vae" && f.variant === "full" && f.dataset === s.dataset
      );
      if (s.model !== "m2vae" || !views.has(s.dataset) || full === undefined) return false;
      const mine = chosenTrial(s);
      return sameRun(mine, chosenTrial(full)) &&
        sameAsFull(s.variant, views.get(s.dataset)!, m2vaeConfig(mine)) !== undefined;
    };
    const rows: ResultRow[] = byCatalogOrder(sel).flatMap((s) =>
      s.candidates[s.chosen].keys.map((k) => ({
        model: s.label,
        dataset: s.dataset,
        seed: byKey.get(k)!.spec.seed,
        metrics: test.get(k) ?? {},
        protocol: protocol as Protocol,
        family: s.family,
        variant: byKey.get(k)!.spec.variant,
        stillImproving: stillImproving(byKey.get(k)!),
        sameAsFull: sameModel(s),
      }))
    );
    const meta = tableMeta(protocol as Protocol, sel, done, experiment, metric);
    const tuned = await tuningNote(store, experiment, infos, sel.map((s) => s.label));
    if (tuned) meta.note += ` ${tuned}`;
    if (improving.size > 0) meta.note += ` ${improvingNote(improving)}`;
    const missing = missingNote(infos, await store.tuneEntries(experiment));
    if (missing) meta.note += ` ${missing}`;
    const rebuilt = rebuiltNote(uniq(sel.map((s) => s.model)));
    if (rebuilt) meta.note += ` ${rebuilt}`;
    const oneView = sel.filter((s) => s.model === "m2vae" && s.variant === "full");
    const inert = uniq(oneView.map((s) => s.dataset)).flatMap((dataset) => {
      const s = oneView.find((x) => x.dataset === dataset)!;
      const n = views.get(dataset);
      const cfg = m2vaeConfig(byKey.get(s.candidates[s.chosen].keys[0])!);
      return n === undefined ? [] : [{ dataset, parts: inertParts(n, cfg) }];
    }).filter((d) => d.parts.length > 0);
    const oneViewText = oneViewNote(inert);
    if (oneViewText) meta.note += ` ${oneViewText}`;
    if (layouts.includes("table3")) {
      tables.push({
        layout: "table3",
        protocol,
        table: table3Table(rows, meta, { improvement: true, significance: true }),
      });
    }
    // Variants of the reference rows (the planted oracle's) are ceilings, not ablations.
    const ablated = uniq(
      sel.filter((s) => s.variant !== "full" && !REFERENCE_FAMILIES.includes(s.family))
        .map((s) => s.model),
    );
    if (layouts.includes("table4") && ablated.length > 0) {
      const names = new Set(sel.filter((s) => ablated.includes(s.model)).map((s) => s.label));
      const full = sel.find((s) => ablated.includes(s.model) && s.variant === "full")?.label;
      tables.push({
        layout: "table4",
        protocol,
        table: table4Table(rows.filter((r) => names.has(r.model)), meta, full),
      });
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
    if (layouts.includes("grid")) {
      const caption = gridCaption(experiment, protocol);
      for (const s of sel) {
        for (const table of gridTables(s, caption)) {
          tables.push({ layout: "grid", protocol, table });
        }
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

/**
 * M2VAE's number of content views on each dataset of `sel`, counted from the modality gates
 * (`gates.mean.<view>`) its chosen trials recorded at their last diagnosed validation; a dataset
 * whose M2VAE trials recorded none (weighted-PoE fusion, or stored before the diagnostics) is
 * absent.
 */
async function m2vaeViews(
  store: ResultStore,
  sel: readonly Selection[],
  byKey: ReadonlyMap<string, TrialInfo>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of sel) {
    if (s.model !== "m2vae" || out.has(s.dataset)) continue;
    for (const k of s.candidates[s.chosen].keys) {
      if (!byKey.has(k)) continue;
      const diagnosed = (await store.curve(k)).filter((p) =>
        Object.keys(p.diagnostics ?? {}).some((x) => x.startsWith("gates.mean."))
      );
      const last = diagnosed.at(-1)?.diagnostics ?? {};
      const n = Object.keys(last).filter((x) => x.startsWith("gates.mean.")).length;
      if (n > 0) {
        out.set(s.dataset, n);
        break;
      }
    }
  }
  return out;
}

/** A stored M2VAE trial's config over today's defaults (the switches `inertParts` reads). */
function m2vaeConfig(t: TrialInfo): Pick<M2vaeConfig, "fusion" | "commonView" | "earlyGenerate"> {
  return { ...M2VAE_DEFAULTS, ...t.spec.config } as M2vaeConfig;
}

/** Whether two trials ran the same configuration (their variants aside) and settings. */
function sameRun(a: TrialInfo, b: TrialInfo): boolean {
  const config = (t: TrialInfo) => {
    const { variant: _, ...rest } = t.spec.config;
    return canonicalJson(rest);
  };
  return config(a) === config(b) &&
    canonicalJson(a.spec.settings) === canonicalJson(b.spec.settings);
}

/** Whether a trial's kept checkpoint was its last validation (it was still improving). */
function stillImproving(t: TrialInfo): boolean {
  return (t.steps ?? 0) > 0 && t.bestStep === t.steps;
}
