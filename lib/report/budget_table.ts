/**
 * The budget layout: would a tuned row have chosen the same configuration with half its budget,
 * or with more of each rung promoted? Successive halving is replayed from the stored trials
 * ({@linkcode replayHalving}, the protocol's own rule) at the row's budget B and ⌈B/2⌉ (the
 * row's first configurations: its defaults, presets, then the same draws), each with the
 * experiment's η, and ⌈B/2⌉ with η 2, at the experiment's rungs. Selection stays on validation
 * only.
 *
 * It is the tuning budget's counterpart of `†` for the epoch cap: a row whose choice at half the
 * budget differs from its choice was still finding better configurations when the budget ran
 * out, so a larger budget may move it too; a row whose choice moves with η was decided by the
 * first rung's cut, where a larger share promoted would have found another.
 *
 * @example Usage
 * ```ts
 * import { budgetTable } from "./budget_table.ts";
 *
 * const t = budgetTable([{
 *   dataset: "synthetic", label: "CLCRec", metric: "NDCG@10", budget: 4, eta: 3, rungs: [4, 12],
 *   replays: [
 *     { budget: 2, eta: 3, counts: [2, 1], epochs: 16, chosen: 0, valid: 0.41, missing: 0, failed: false },
 *     { budget: 2, eta: 2, counts: [2, 1], epochs: 16, chosen: 0, valid: 0.41, missing: 0, failed: false },
 *     { budget: 4, eta: 3, counts: [4, 2], epochs: 32, chosen: 3, valid: 0.45, missing: 0, failed: false },
 *   ],
 * }], "synthetic", "Experiment demo.");
 * t.rows[0].kind === "row" && t.rows[0].cells.at(-1)?.text; // "changed"
 * ```
 *
 * @module
 */
import {
  type HalvingReplay,
  type HalvingScenario,
  replayHalving,
  type ResultStore,
  type TrialInfo,
  tuneRows,
} from "../store/mod.ts";
import type { Cell, Column, Row, Table } from "./table_model.ts";
import { rowEntries } from "./tuning_table.ts";

/** One tuned (dataset, row) replayed at the scenarios of {@linkcode budgetScenarios}. */
export interface BudgetSensitivity {
  dataset: string;
  label: string;
  /** The validation metric that ranks configurations. */
  metric: string;
  /** The configurations the row had (its budget, or fewer when its space holds fewer). */
  budget: number;
  /** The experiment's η. */
  eta: number;
  /** The epoch count of each rung. */
  rungs: number[];
  /** One replay per scenario, in {@linkcode budgetScenarios}' order; the run's own among them. */
  replays: HalvingReplay[];
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

/**
 * Whether a row's choice holds at half its budget: `same`, `changed`, or `unknown` (a replay
 * needs trials the experiment never ran, or one of them chose nothing).
 */
export function halfBudgetVerdict(s: BudgetSensitivity): "same" | "changed" | "unknown" {
  const half = s.replays.find((r) => r.budget === Math.ceil(s.budget / 2) && r.eta === s.eta);
  const own = s.replays.find((r) => r.budget === s.budget && r.eta === s.eta);
  if (half?.chosen === undefined || own?.chosen === undefined) return "unknown";
  return half.chosen === own.chosen ? "same" : "changed";
}

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
  const plan = (await store.experimentPlan(experiment)) as { search?: { eta?: number } };
  const eta = plan?.search?.eta ?? 3;
  const keys = [...new Set(entries.map((e) => e.trial))];
  const [states, epochsOf] = await Promise.all([store.tuneStates(keys), store.trialEpochs(keys)]);
  return tuneRows(entries).map((row) => {
    const nRungs = Math.max(...row.map((e) => e.rung)) + 1;
    const rungs = Array.from({ length: nRungs }, (_, r) => {
      const e = row.find((x) => x.rung === r);
      return e ? epochsOf.get(e.trial) ?? 0 : 0;
    });
    const budget = new Set(row.map((e) => e.config)).size;
    return {
      dataset: row[0].dataset,
      label: row[0].label,
      metric: row[0].metric,
      budget,
      eta,
      rungs,
      replays: budgetScenarios(budget, eta).map((s) =>
        replayHalving(row, s, (k) => states.get(k), rungs)
      ),
    };
  });
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
  ];
  const body: Row[] = mine.map((r) => ({
    kind: "row",
    label: r.label,
    cells: [...scenarios.map((s) => replayCell(find(r, s))), { text: halfBudgetVerdict(r) }],
  }));
  const rungs = [...new Set(mine.map((r) => r.rungs.join("/")))].join("; ");
  const metric = [...new Set(mine.map((r) => r.metric))].join("/");
  return {
    title: `Tuning budget: ${dataset}, validation ${metric} of the choice`,
    caption: `${caption} Successive halving replayed from the stored trials at other budgets ` +
      `(a row's first configurations: its defaults, presets, then the same draws) and η (1/η of ` +
      `a rung goes on), at the experiment's rungs (${rungs} epochs); the run's own budget and η ` +
      `among them. #c v: the configuration it chooses and that one's validation ${metric} at the ` +
      `top rung; epochs: what the scenario trains on the tuning seed, every trial to its rung's ` +
      `count. "needs ≥ n trials": the replay needs rung trials the store does not hold finished ` +
      `(n at the first rung it cannot rank). A row whose choice at half the budget changed was ` +
      `still finding better configurations when its budget ran out: a larger one may move it too; ` +
      `a choice that moves with η was decided by a rung's cut.`,
    corner: "row",
    columns,
    rows: body,
  };
}
