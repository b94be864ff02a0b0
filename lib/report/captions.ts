/**
 * The captions of an experiment's report tables, from what the store holds of its trials: the
 * table meta (backend, training budget, selection, splits, seeds, code version) and the
 * sentences a caption adds (tuning protocol and CPU time, rows still improving at the cap, an
 * unfinished experiment, rows rebuilt without public code), and the diagnostics and grid
 * tables' captions.
 *
 * @example Usage
 * ```ts
 * import { gridCaption, missingNote } from "./captions.ts";
 *
 * gridCaption("table3", "item2user"); // "Experiment table3; protocol item2user; cold …"
 * missingNote([], []); // "": nothing is missing
 * ```
 *
 * @module
 */
import type { Protocol } from "../eval/mod.ts";
import { tuneConfigurations } from "../config/search.ts";
import { modelInfo } from "../models/catalog.ts";
import { recordedSeconds, type ResultStore, type TrialInfo, type TuneEntry } from "../store/mod.ts";
import { formatDuration } from "../train/progress.ts";
import type { Selection } from "./select.ts";
import type { TableMeta } from "./table_caption.ts";
import { budgetSensitivity, halfBudgetSentence, noiseSentence } from "./budget_table.ts";
import { placedPresets, rowEntries, type TunedPlan } from "./tuned_rows.ts";

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** The caption of the diagnostics table of an experiment's `protocol`. */
export function diagnosticsCaption(experiment: string, protocol: string, metric: string): string {
  return `Experiment ${experiment}; protocol ${protocol}; the models' own ` +
    `measurements on cold-validation items at the kept checkpoint (and "@start" before ` +
    `training), mean ± std over seeds; loss.* are the mean training terms before that ` +
    `validation. gap.shared = validation ${metric} of exact minus shared (common-view) ` +
    `inference (* : paired t-test over ≥ 3 seeds, p < 0.05); active = dimensions with Cov(μ) > 0.01; dcl.ratio = L_disentangle / its ` +
    `chance level.`;
}

/** The caption of the grid tables of an experiment's `protocol`. */
export function gridCaption(experiment: string, protocol: string): string {
  return `Experiment ${experiment}; protocol ${protocol}; cold validation items ` +
    `(test metrics are never used for selection); cells are mean ± std over seeds.`;
}

/**
 * The caption sentence naming rows with a seed whose kept checkpoint was its last validation
 * (label → "dataset n of m seeds" for each dataset): their numbers are a lower bound.
 */
export function improvingNote(improving: ReadonlyMap<string, readonly string[]>): string {
  return `Still improving at the cap (kept checkpoint = last validation): ` +
    [...improving].map(([label, where]) => `${label} (${where.join("; ")})`).join(", ") + ".";
}

/**
 * The caption sentence of a merged report naming each row that several experiments hold and the
 * one it was taken from.
 *
 * @example Usage
 * ```ts
 * import { preferredNote } from "./captions.ts";
 * preferredNote([{ dataset: "lastfm", label: "GAR", from: "fair_gar", over: ["fair"] }]);
 * // "Rows held by more than one experiment, taken from the preferred one: GAR on lastfm from fair_gar (not fair)."
 * ```
 */
export function preferredNote(
  rows: readonly { dataset: string; label: string; from: string; over: readonly string[] }[],
): string {
  return "Rows held by more than one experiment, taken from the preferred one: " +
    rows.map((r) => `${r.label} on ${r.dataset} from ${r.from} (not ${r.over.join(", ")})`)
      .join("; ") +
    ".";
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

/**
 * The caption sentence of an experiment whose rows ran at a tuned experiment's choice
 * (`atChoice:`, `lib/run/at_choice.ts`); "" for any other.
 *
 * @example Usage
 * ```ts ignore
 * await atChoiceNote(store, "table4_lastfm");
 * // "Every row with a tune space ran at the configuration its model's full row chose in …"
 * ```
 */
export async function atChoiceNote(store: ResultStore, experiment: string): Promise<string> {
  const plan = (await store.experimentPlan(experiment)) as { atChoice?: string } | undefined;
  if (!plan?.atChoice) return "";
  return `Every row with a tune space ran at the configuration its model's full row chose in ` +
    `the tuned experiment ${plan.atChoice} on the same dataset (its point of the tune space ` +
    "over this experiment's own settings; axes a variant pins stay the variant's), not tuned " +
    "on its own.";
}

/**
 * The caption sentence of the tuning protocol: what it was, the budget per row, and the CPU
 * time every row used (tuning rungs and final runs together); "" for an untuned experiment.
 */
export async function tuningNote(
  store: ResultStore,
  experiment: string,
  infos: TrialInfo[],
  labels: string[],
): Promise<string> {
  const entries = await rowEntries(store, experiment, infos);
  if (entries.length === 0) return "";
  const plan = (await store.experimentPlan(experiment)) as TunedPlan | undefined;
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
      (cpu.get(id) ?? 0) + recordedSeconds(t),
    );
  }
  const tunedLabels = uniq(entries.map((e) => e.label));
  // A plan stored before `search.defaults` existed always had the defaults (parseSearch's default).
  const { budget = 0, eta, seed, defaults = true, topSeeds = 1 } = plan?.search ?? {};
  const rungText = uniq(tunedLabels.map((l) => (rungs.get(l) ?? []).join("/"))).join("; ");
  const placed = new Map(
    [...placedPresets(plan, entries)].map(([label, ps]) => [label, ps.map((p) => p.name)]),
  );
  const withPresets = [...placed];
  const drew = `had ${budget} configurations (${
    tuneConfigurations({ budget, defaults, presets: withPresets.length > 0 })
  }, draw seed ${seed})`;
  const presetText = withPresets.length === 0
    ? ""
    : ` Presets (configurations named in the model's file from earlier runs, each one of its ` +
      `row's ${budget}): ${
        withPresets.map(([label, names]) => `${label} ${names.join(", ")}`).join("; ")
      }; the other rows had none.`;
  const sensitivity = await budgetSensitivity(store, experiment, infos);
  const robustness = halfBudgetSentence(sensitivity) + noiseSentence(sensitivity);
  return `Tuned: each of ${tunedLabels.length} rows ${drew}; successive halving (eta ${eta}, rungs of ` +
    `${rungText} epochs, later rungs continuing from the saved state) on seed ` +
    (topSeeds > 1
      ? `${plan?.seeds?.[0]}, every configuration finishing its top rung then also run on the ` +
        `${topSeeds - 1} lowest other seeds, picked one by mean validation over ${topSeeds} ` +
        `seeds; only that one's runs are reported.`
      : `${plan?.seeds?.[0]} picked one by validation; only that one's runs are reported.`) +
    `${presetText} ${robustness}` +
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
    const stop = earlyStop(uniq(mine.map((t) => t.spec.settings.patience)));
    return `${ds} at most ${epochs} epoch${epochs === "1" ? "" : "s"}, ${stop}`;
  });
  return `budget: ${parts.join("; ")}`;
}

/**
 * The user2item candidate set of the rows: `part` or `all-cold` where every row ranks the same
 * set, else each set with the rows that rank it ("part: A, B; all-cold: C").
 */
function candidatesByRow(trials: TrialInfo[]): string {
  const rows = new Map<string, string[]>();
  for (const t of trials) {
    const set = String(t.spec.settings.candidates ?? "part");
    rows.set(set, uniq([...(rows.get(set) ?? []), t.spec.label]));
  }
  if (rows.size <= 1) return [...rows.keys()][0] ?? "part";
  return [...rows].map(([set, labels]) => `${set}: ${labels.join(", ")}`).join("; ");
}

/**
 * The early stop of `patience` values, e.g. "stop after 3 validations without gain", or per
 * value where rows differ ("no early stop / stop after 3 validations without gain").
 */
function earlyStop(patience: number[]): string {
  const after = patience.filter((p) => p > 0);
  const stop = after.length ? `stop after ${after.join("/")} validations without gain` : "";
  return patience.includes(0) ? (stop ? `no early stop / ${stop}` : "no early stop") : stop;
}

/** The table meta of an experiment's `protocol`: its caption's facts and note. */
export function tableMeta(
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
    candidates: candidatesByRow(mine),
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
