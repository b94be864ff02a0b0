/**
 * The budget layout: would a tuned row have chosen the same configuration with half its
 * configurations, or with more of each rung promoted? Successive halving is replayed from the
 * stored trials ({@linkcode replayHalving}, the protocol's own rule) at the row's first ⌈B/2⌉
 * configurations (its defaults, presets, then the same draws) with the experiment's η and with
 * η 2, and at the run's own B and η, always at the run's rungs (a run planned with ⌈B/2⌉ could
 * have had fewer rungs). Selection stays on validation only.
 *
 * It is the tuning budget's counterpart of `†` for the epoch cap. A row whose reported choice is
 * one of its later configurations (numbered ⌈B/2⌉ or above, which half the budget never draws)
 * was still finding better configurations when its budget ran out, so a larger one may move it
 * too; a row whose half-budget replay chooses another of the first configurations had its choice
 * made by a rung's cut (fewer promoted at half the budget), and the η 2 column shows whether
 * promoting more would have kept it.
 *
 * @example Usage
 * ```ts
 * import { budgetTable } from "./budget_table.ts";
 *
 * const t = budgetTable([{
 *   dataset: "synthetic", label: "CLCRec", metric: "NDCG@10", budget: 4, eta: 3, rungs: [4, 12],
 *   reported: 3,
 *   replays: [
 *     { budget: 2, eta: 3, counts: [2, 1], epochs: 16, chosen: 0, valid: 0.41, missing: 0, failed: false },
 *     { budget: 2, eta: 2, counts: [2, 1], epochs: 16, chosen: 0, valid: 0.41, missing: 0, failed: false },
 *     { budget: 4, eta: 3, counts: [4, 2], epochs: 32, chosen: 3, valid: 0.45, missing: 0, failed: false },
 *   ],
 * }], "synthetic", "Experiment demo.");
 * t.rows[0].kind === "row" && t.rows[0].cells.at(-1)?.text; // "changed: a later configuration"
 * ```
 *
 * @module
 */
import {
  type ChoiceMargin,
  choiceMargin,
  type HalvingReplay,
  type HalvingScenario,
  planRule,
  replayHalving,
  type ResultStore,
  type TrialInfo,
  tuneRows,
  withinNoise,
} from "../store/mod.ts";
import type { Cell, Column, Row, Table } from "./table_model.ts";
import { reportedConfig, rowEntries } from "./tuned_rows.ts";

/** One tuned (dataset, row) replayed at the scenarios of {@linkcode budgetScenarios}. */
export interface BudgetSensitivity {
  dataset: string;
  label: string;
  /** The validation metric that ranks configurations. */
  metric: string;
  /** The configurations the row had: the experiment's budget. */
  budget: number;
  /** The experiment's η. */
  eta: number;
  /** The epoch count of each rung. */
  rungs: number[];
  /** One replay per scenario, in {@linkcode budgetScenarios}' order; the run's own among them. */
  replays: HalvingReplay[];
  /**
   * The configuration whose final runs the experiment reports; undefined before the choice. The
   * replay at the run's own budget and η gives the same one unless a trial's state changed since
   * (a failed trial retried, a store copied in).
   */
  reported?: number;
  /** The choice's lead at the top rung against its seeds' validation spread, where known. */
  margin?: ChoiceMargin;
}

/**
 * The scenarios a row with `budget` configurations and `eta` is replayed at: ⌈budget/2⌉ with
 * `eta` and with η 2 (more of the first rung promoted; one scenario where they coincide), then
 * the run's own. (The whole budget at η 2 would promote configurations the run never continued.)
 *
 * @example Usage
 * ```ts
 * budgetScenarios(12, 3); // 6 with η 3, 6 with η 2, 12 with η 3
 * budgetScenarios(1, 2); // [{ budget: 1, eta: 2 }]
 * ```
 */
export function budgetScenarios(budget: number, eta: number): HalvingScenario[] {
  const half = Math.ceil(budget / 2);
  const out: HalvingScenario[] = half < budget ? [{ budget: half, eta }] : [];
  if (half < budget && eta !== 2) out.push({ budget: half, eta: 2 });
  return [...out, { budget, eta }];
}

/** How a row's choice fares at half its budget (see {@linkcode halfBudgetVerdict}). */
export type HalfBudgetVerdict = "same" | "later" | "cut" | "unknown" | "n/a";

/**
 * How a row's reported choice fares with its first ⌈B/2⌉ configurations at the run's η: `same`;
 * `later` (the choice is one of the configurations half the budget never draws: the budget was
 * still finding better ones); `cut` (the half replay chooses another of the first
 * configurations: fewer promoted at a rung dropped the choice); `unknown` (no choice yet, or the
 * half replay needs trials that are not finished); `n/a` (a budget of 1 has no half).
 *
 * @example Usage
 * ```ts
 * halfBudgetVerdict({
 *   dataset: "d", label: "M", metric: "NDCG@10", budget: 12, eta: 3, rungs: [13, 40],
 *   reported: 9, replays: [],
 * }); // "later": configuration 9 is not among the first 6
 * ```
 */
export function halfBudgetVerdict(s: BudgetSensitivity): HalfBudgetVerdict {
  const half = Math.ceil(s.budget / 2);
  if (half === s.budget) return "n/a";
  const choice = s.reported ??
    s.replays.find((r) => r.budget === s.budget && r.eta === s.eta)?.chosen;
  if (choice === undefined) return "unknown";
  if (choice >= half) return "later";
  const replay = s.replays.find((r) => r.budget === half && r.eta === s.eta);
  if (replay?.chosen === undefined) return "unknown";
  return replay.chosen === choice ? "same" : "cut";
}

/** The verdict as the table's last column says it. */
const VERDICT_TEXT: Record<HalfBudgetVerdict, string> = {
  same: "same",
  later: "changed: a later configuration",
  cut: "changed: a rung's cut",
  unknown: "unknown",
  "n/a": "n/a (budget 1)",
};

/**
 * The budget sensitivity of every tuned row of `experiment` that `infos` (its trials) hold, in
 * the order its tuning entries list them; none for an untuned experiment. A trial counts
 * wherever it ran (the same key is the same run), so another experiment's trials in the store
 * can decide a replay this one's could not.
 */
export async function budgetSensitivity(
  store: ResultStore,
  experiment: string,
  infos: readonly TrialInfo[],
): Promise<BudgetSensitivity[]> {
  const entries = await rowEntries(store, experiment, infos);
  if (entries.length === 0) return [];
  const { eta, topSeeds } = planRule(await store.experimentPlan(experiment));
  const linked = new Map(infos.map((t) => [t.spec.key, t]));
  const keys = [...new Set(entries.map((e) => e.trial))];
  const [states, epochsOf] = await Promise.all([store.tuneStates(keys), store.trialEpochs(keys)]);
  return tuneRows(entries).map((row) => {
    const nRungs = Math.max(...row.map((e) => e.rung)) + 1;
    const rungs = Array.from({ length: nRungs }, (_, r) => {
      const e = row.find((x) => x.rung === r);
      return e ? epochsOf.get(e.trial) ?? 0 : 0;
    });
    const budget = new Set(row.map((e) => e.config)).size;
    const state = (k: string) => states.get(k);
    const reported = reportedConfig(row, linked);
    const margin = choiceMargin(row, eta, state, topSeeds, reported);
    return {
      dataset: row[0].dataset,
      label: row[0].label,
      metric: row[0].metric,
      budget,
      eta,
      rungs,
      replays: budgetScenarios(budget, eta).map((s) =>
        replayHalving(row, s, state, rungs, topSeeds)
      ),
      reported,
      ...(margin ? { margin } : {}),
    };
  });
}

/** The lead cell: `+0.0006 < 0.0077 (5 seeds)`, the comparison saying whether it is noise. */
function marginCell(m: ChoiceMargin | undefined): Cell {
  if (m === undefined) return { text: "–" };
  const noise = m.sd / Math.sqrt(m.topSeeds);
  const sign = m.margin >= 0 ? "+" : "";
  return {
    text: `${sign}${m.margin.toFixed(4)} ${withinNoise(m) ? "<" : "≥"} ${noise.toFixed(4)} ` +
      `(${m.seeds} seeds${m.topSeeds > 1 ? `, sd/√${m.topSeeds}` : ""})`,
  };
}

/** A replay's cell: `#5 0.5669` (the chosen configuration, its top-rung value) or what it lacks. */
function replayCell(r: HalvingReplay | undefined): Cell {
  if (r === undefined) return { text: "–" };
  if (r.failed) return { text: "failed" };
  if (r.chosen === undefined) {
    return { text: `needs ≥ ${r.missing} trial${r.missing === 1 ? "" : "s"}` };
  }
  return {
    ...(r.valid === undefined ? {} : { value: { mean: r.valid, std: 0, n: 1 } }),
    text: `#${r.chosen} ${r.valid?.toFixed(4) ?? ""}`.trimEnd(),
  };
}

/**
 * The budget table of one dataset's tuned rows: a column per scenario (its budget and η, and the
 * epochs it trains on the tuning seed where every row shares them), a row per tuned row with
 * each scenario's choice, and whether the choice holds at half the budget.
 */
export function budgetTable(rows: BudgetSensitivity[], dataset: string, caption: string): Table {
  const mine = rows.filter((r) => r.dataset === dataset);
  const scenarios: HalvingScenario[] = [];
  for (const r of mine) {
    for (const s of r.replays) {
      if (!scenarios.some((x) => x.budget === s.budget && x.eta === s.eta)) {
        scenarios.push({ budget: s.budget, eta: s.eta });
      }
    }
  }
  const find = (r: BudgetSensitivity, s: HalvingScenario) =>
    r.replays.find((x) => x.budget === s.budget && x.eta === s.eta);
  const columns: Column[] = [
    ...scenarios.map((s) => {
      const epochs = [
        ...new Set(mine.map((r) => find(r, s)?.epochs).filter((e) => e !== undefined)),
      ];
      const own = mine.some((r) => r.budget === s.budget && r.eta === s.eta);
      return {
        group: "",
        name: `${s.budget} configurations, η ${s.eta}` +
          (epochs.length === 1 ? `: ${epochs[0]} epochs` : "") +
          (own ? " (the run)" : ""),
      };
    }),
    { group: "", name: "choice at half the budget", align: "l" },
    { group: "", name: "top-rung lead vs seed sd", align: "l" },
  ];
  const body: Row[] = mine.map((r) => ({
    kind: "row",
    label: r.label,
    cells: [
      ...scenarios.map((s) => replayCell(find(r, s))),
      { text: VERDICT_TEXT[halfBudgetVerdict(r)] },
      marginCell(r.margin),
    ],
  }));
  const rungs = [...new Set(mine.map((r) => r.rungs.join("/")))].join("; ");
  const metric = [...new Set(mine.map((r) => r.metric))].join("/");
  return {
    title: `Tuning budget: ${dataset}, validation ${metric} of the choice`,
    caption: `${caption} Successive halving replayed from the stored trials with fewer ` +
      `configurations (a row's first: its defaults, presets, then the same draws) and, at half ` +
      `the budget, with η 2 as well (1/η of a rung goes on), always at the experiment's rungs ` +
      `(${rungs} epochs); the run's own budget and η last. #c v: the configuration it chooses ` +
      `and that one's validation ${metric} at the top rung; epochs: what the scenario trains on ` +
      `the tuning seed, every trial to its rung's count; "needs ≥ n trials": rung trials the ` +
      `store does not hold finished (never run, or still pending or running; n at the first rung ` +
      `it cannot rank); failed: every configuration of a rung failed. Choice at half the budget, ` +
      `against the reported choice: "a later configuration" — one half the budget never draws, ` +
      `so the budget was still finding better configurations and a larger one may move the row ` +
      `too; "a rung's cut" — half the budget promotes fewer and chooses another. Top-rung lead: ` +
      `the choice's lead over the best other configuration at the top rung, on what it was ` +
      `chosen by, against the sample sd over seeds of its own validation (its final runs; ` +
      `sd/√k for a mean of k seeds); "<": the top rung was decided by less than one seed's ` +
      `spread, which search.topSeeds settles.`,
    corner: "row",
    columns,
    rows: body,
  };
}

/**
 * The caption sentence of whether each tuned row's choice holds with half its configurations
 * (the protocol replayed from the stored trials at the run's rungs), rows with a budget of 1 left
 * out; "" when none is left. Rows whose choice is a configuration half the budget never draws
 * may move with a larger budget.
 *
 * @example Usage
 * ```ts
 * halfBudgetSentence([{
 *   dataset: "d", label: "GoRec", metric: "NDCG@10", budget: 12, eta: 3, rungs: [13, 40],
 *   reported: 8, replays: [],
 * }]);
 * // "With half the configurations (each row's first 6, …) the same choice for 0 of 1 row; GoRec
 * // chose a configuration half the budget never draws (…). "
 * ```
 */
export function halfBudgetSentence(all: readonly BudgetSensitivity[]): string {
  const rows = all.filter((r) => halfBudgetVerdict(r) !== "n/a");
  if (rows.length === 0) return "";
  const several = new Set(rows.map((r) => r.dataset)).size > 1;
  const by = (v: HalfBudgetVerdict) =>
    rows.filter((r) => halfBudgetVerdict(r) === v).map((r) =>
      several ? `${r.label} (${r.dataset})` : r.label
    );
  const noun = several ? "tuned (dataset, row) pairs" : rows.length === 1 ? "row" : "rows";
  const parts = [`the same choice for ${by("same").length} of ${rows.length} ${noun}`];
  if (by("later").length > 0) {
    parts.push(
      `${by("later").join(", ")} chose a configuration half the budget never draws (still ` +
        `finding better ones: a larger budget may move them)`,
    );
  }
  if (by("cut").length > 0) {
    parts.push(`a rung's cut with fewer promoted chooses another for ${by("cut").join(", ")}`);
  }
  if (by("unknown").length > 0) {
    parts.push(`undecided for ${by("unknown").join(", ")} (rung trials not finished)`);
  }
  const halves = [...new Set(rows.map((r) => Math.ceil(r.budget / 2)))].join("/");
  return `With half the configurations (each row's first ${halves}, replayed from the stored ` +
    `trials at the same rungs: report --layout budget) ${parts.join("; ")}. `;
}

/**
 * The caption sentence naming the tuned rows whose top rung was decided by less than one seed's
 * spread (see {@linkcode withinNoise}); "" when none was.
 *
 * @example Usage
 * ```ts
 * noiseSentence([{
 *   dataset: "d", label: "GoRec", metric: "NDCG@10", budget: 12, eta: 3, rungs: [13, 40],
 *   replays: [], margin: { margin: 0.0011, sd: 0.0101, seeds: 5, topSeeds: 1 },
 * }]);
 * // "The top rung was decided by less than one seed's spread … for GoRec (…). "
 * ```
 */
export function noiseSentence(rows: readonly BudgetSensitivity[]): string {
  const several = new Set(rows.map((r) => r.dataset)).size > 1;
  const noisy = rows.filter((r) => r.margin && withinNoise(r.margin)).map((r) =>
    several ? `${r.label} (${r.dataset})` : r.label
  );
  if (noisy.length === 0) return "";
  return `The top rung was decided by less than one seed's spread (the choice's lead over the ` +
    `runner-up below the sd over seeds of its own validation: report --layout budget) for ` +
    `${noisy.join(", ")} (search.topSeeds chooses by a mean over seeds). `;
}
