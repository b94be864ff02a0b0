/**
 * Builds an experiment's report tables from the result store: selection on validation, then
 * Table 3 (every row at its selected configuration), Table 4 (when the experiment has model
 * variants) and the grid tables (for rows with more than one search point), one set per
 * protocol — the two protocols never share a table.
 *
 * @module
 */
import type { Protocol } from "../eval/mod.ts";
import { modelInfo } from "../models/catalog.ts";
import type { ResultStore, TrialInfo, TuneEntry } from "../store/mod.ts";
import { formatDuration } from "../train/progress.ts";
import type { ResultRow } from "./aggregate.ts";
import { type DiagnosticsEntry, diagnosticsTable } from "./diagnostics_table.ts";
import { gridTables } from "./grid_table.ts";
import { type Selection, selectOnValidation, type ValidationRecord } from "./select.ts";
import { REFERENCE_FAMILIES, table3Table, type TableMeta } from "./table3.ts";
import { table4Table } from "./table4.ts";
import type { Table } from "./table_model.ts";

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
    throw new RangeError(`No experiment "${experiment}" in ${store.path} (stored: ${known})`);
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
    const rows: ResultRow[] = sel.flatMap((s) =>
      s.candidates[s.chosen].keys.map((k) => ({
        model: s.label,
        dataset: s.dataset,
        seed: byKey.get(k)!.spec.seed,
        metrics: test.get(k) ?? {},
        protocol: protocol as Protocol,
        family: s.family,
        stillImproving: stillImproving(byKey.get(k)!),
      }))
    );
    const meta = tableMeta(protocol as Protocol, sel, done, experiment, metric);
    const tuned = await tuningNote(store, experiment, infos, sel.map((s) => s.label));
    if (tuned) meta.note += ` ${tuned}`;
    if (improving.size > 0) {
      meta.note += ` Still improving at the cap (kept checkpoint = last validation): ` +
        [...improving].map(([label, where]) => `${label} (${where.join("; ")})`).join(", ") + ".";
    }
    const missing = missingNote(infos, await store.tuneEntries(experiment));
    if (missing) meta.note += ` ${missing}`;
    const rebuilt = rebuiltNote(uniq(sel.map((s) => s.model)));
    if (rebuilt) meta.note += ` ${rebuilt}`;
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
        const caption = `Experiment ${experiment}; protocol ${protocol}; the models' own ` +
          `measurements on cold-validation items at the kept checkpoint (and "@start" before ` +
          `training), mean ± std over seeds; loss.* are the mean training terms before that ` +
          `validation. gap.shared = validation ${metric} of exact minus shared (common-view) ` +
          `inference (* : paired t-test over ≥ 3 seeds, p < 0.05); active = dimensions with Cov(μ) > 0.01; dcl.ratio = L_disentangle / its ` +
          `chance level.`;
        tables.push({
          layout: "diagnostics",
          protocol,
          table: diagnosticsTable(measured, caption),
        });
      }
    }
    if (layouts.includes("grid")) {
      const caption = `Experiment ${experiment}; protocol ${protocol}; cold validation items ` +
        `(test metrics are never used for selection); cells are mean ± std over seeds.`;
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
 * The caption sentence of a report made while the experiment still runs: how many of its
 * reported trials are not finished (by state), and which tuned rows have no finished final run
 * yet (they are absent from the table); "" once everything is done.
 */
export function missingNote(
  infos: readonly Pick<TrialInfo, "status" | "role" | "spec">[],
  entries: readonly Pick<TuneEntry, "dataset" | "label">[],
): string {
  const results = infos.filter((t) => t.role === "result");
  const open = results.filter((t) => t.status !== "done");
  const byState = uniq(open.map((t) => t.status)).map((s) =>
    `${open.filter((t) => t.status === s).length} ${s}`
  );
  const finished = new Set(
    results.filter((t) => t.status === "done").map((t) => `${t.spec.dataset}\u0000${t.spec.label}`),
  );
  const tuning = uniq(
    entries.filter((e) => !finished.has(`${e.dataset}\u0000${e.label}`)).map((e) =>
      `${e.label} (${e.dataset})`
    ),
  );
  const parts: string[] = [];
  if (open.length > 0) {
    parts.push(
      `${open.length} of ${results.length} reported trials not finished (${byState.join(", ")})`,
    );
  }
  if (tuning.length > 0) parts.push(`still tuning, not in the table: ${tuning.join(", ")}`);
  return parts.length === 0 ? "" : `Incomplete: ${parts.join("; ")}.`;
}

/**
 * The caption sentence naming rows whose model had no public implementation to follow (what
 * each was rebuilt from), "" when there is none; models the catalog does not know are skipped.
 */
export function rebuiltNote(models: string[]): string {
  const named = models.flatMap((m) => {
    try {
      const info = modelInfo(m);
      return info.rebuiltFrom ? [`${info.label} (from ${info.rebuiltFrom})`] : [];
    } catch {
      return [];
    }
  });
  return named.length === 0
    ? ""
    : `Rebuilt without public code, so checked against nothing but text: ${named.join("; ")}.`;
}

/** Whether a trial's kept checkpoint was its last validation (it was still improving). */
function stillImproving(t: TrialInfo): boolean {
  return (t.steps ?? 0) > 0 && t.bestStep === t.steps;
}

/**
 * The caption sentence of the tuning protocol: what it was, the budget per row, and the CPU
 * time every row used (tuning rungs and final runs together); "" for an untuned experiment.
 */
async function tuningNote(
  store: ResultStore,
  experiment: string,
  infos: TrialInfo[],
  labels: string[],
): Promise<string> {
  const entries = await store.tuneEntries(experiment);
  if (entries.length === 0) return "";
  const plan = (await store.experimentPlan(experiment)) as {
    search?: { budget?: number; eta?: number; seed?: number; defaults?: boolean };
    seeds?: number[];
  };
  const rungEntries = entries.filter((e) => e.rung >= 0);
  const epochs = await store.trialEpochs(rungEntries.map((e) => e.trial));
  const rungs = new Map<string, number[]>();
  for (const e of rungEntries) {
    const id = e.label;
    rungs.set(id, uniq([...(rungs.get(id) ?? []), epochs.get(e.trial)!]).sort((a, b) => a - b));
  }
  const cpu = new Map<string, number>();
  for (const t of infos) {
    const id = `${t.spec.label} (${t.spec.dataset})`;
    cpu.set(
      id,
      (cpu.get(id) ?? 0) + (t.setupSeconds ?? 0) + (t.trainSeconds ?? 0) + (t.evalSeconds ?? 0),
    );
  }
  const tunedLabels = uniq(entries.map((e) => e.label));
  const { budget = 0, eta, seed, defaults = false } = plan?.search ?? {};
  const rungText = uniq(tunedLabels.map((l) => (rungs.get(l) ?? []).join("/"))).join("; ");
  const drew = defaults
    ? `had ${budget} configurations (its defaults and ${budget - 1} draws from its model's ` +
      `tune: space, draw seed ${seed})`
    : `drew ${budget} configurations from its model's tune: space (draw seed ${seed})`;
  return `Tuned: each of ${tunedLabels.length} rows ${drew}; successive halving (eta ${eta}, rungs of ` +
    `${rungText} epochs, later rungs continuing from the saved state) on seed ` +
    `${plan?.seeds?.[0]} picked one by validation; only that one's runs are reported. ` +
    `Untuned rows: ${
      uniq([...labels, ...infos.map((t) => t.spec.label)]).filter((l) => !tunedLabels.includes(l))
        .join(", ") || "none"
    }. ` +
    `CPU time per row (tuning and final runs): ` +
    [...cpu].map(([id, s]) => `${id} ${formatDuration(s)}`).join(", ") + ".";
}

/**
 * The training budget per dataset, e.g. "budget: lastfm at most 10 epochs, stop after 3
 * validations without gain; sports at most 2 epochs, no early stop" (rows with different
 * budgets on one dataset are joined with "/").
 */
function budget(trials: TrialInfo[]): string {
  const parts = uniq(trials.map((t) => t.spec.dataset)).map((ds) => {
    const mine = trials.filter((t) => t.spec.dataset === ds);
    const epochs = uniq(mine.map((t) => t.spec.settings.epochs)).join("/");
    const patience = uniq(mine.map((t) => t.spec.settings.patience));
    const stop = patience.length === 1 && patience[0] === 0
      ? "no early stop"
      : `stop after ${patience.join("/")} validations without gain`;
    return `${ds} at most ${epochs} epoch${epochs === "1" ? "" : "s"}, ${stop}`;
  });
  return `budget: ${parts.join("; ")}`;
}

function tableMeta(
  protocol: Protocol,
  sel: Selection[],
  done: TrialInfo[],
  experiment: string,
  metric: string,
): TableMeta {
  const splits: Record<string, string> = {};
  for (const t of done) {
    if (t.protocol === protocol && !(t.spec.dataset in splits)) {
      splits[t.spec.dataset] = `${t.splitDescription} [split ${t.splitFingerprint}]`;
    }
  }
  const mine = done.filter((t) => t.protocol === protocol);
  const seeds = uniq(mine.map((t) => t.spec.seed)).sort((a, b) => a - b);
  const searched = sel.some((s) => s.candidates.length > 1);
  return {
    protocol,
    part: "test",
    splits,
    seeds,
    candidates: uniq(mine.map((t) => String(t.spec.settings.candidates ?? "part"))).join("/"),
    codeVersion: uniq(mine.map((t) => t.codeVersion ?? "unknown")).join(", ") +
      ` (toolkit ${uniq(mine.map((t) => t.toolkitVersion ?? "?")).join(", ")})`,
    note:
      `Experiment ${experiment}; backend ${uniq(mine.map((t) => t.backend ?? "?")).join(", ")}; ` +
      `${budget(mine)}; checkpoint by validation ${metric}` +
      (searched
        ? `; each row's configuration chosen by mean validation ${metric} over seeds, test reported for it only.`
        : "."),
  };
}
