import assert from "node:assert/strict";
import type { HalvingReplay } from "../store/mod.ts";
import {
  budgetScenarios,
  type BudgetSensitivity,
  budgetTable,
  halfBudgetVerdict,
} from "./budget_table.ts";
import { renderTable } from "./render.ts";

const replay = (
  budget: number,
  eta: number,
  chosen: number | undefined,
  valid?: number,
): HalvingReplay => ({
  budget,
  eta,
  counts: [budget, Math.ceil(budget / eta)],
  epochs: budget * 13 + Math.ceil(budget / eta) * 27,
  chosen,
  valid,
  missing: chosen === undefined ? 1 : 0,
  failed: false,
});

const sensitivity = (label: string, replays: HalvingReplay[]): BudgetSensitivity => ({
  dataset: "lastfm",
  label,
  metric: "NDCG@10",
  budget: 12,
  eta: 3,
  rungs: [13, 40],
  replays,
});

Deno.test("budgetScenarios: half the budget with the run's η and η 2, then the run's own", () => {
  assert.deepEqual(budgetScenarios(12, 3), [
    { budget: 6, eta: 3 },
    { budget: 6, eta: 2 },
    { budget: 12, eta: 3 },
  ]);
  assert.deepEqual(budgetScenarios(5, 2), [{ budget: 3, eta: 2 }, { budget: 5, eta: 2 }]);
  assert.deepEqual(budgetScenarios(1, 3), [{ budget: 1, eta: 3 }]);
});

Deno.test("budgetTable: a column per scenario with its epochs, each row's choice, and whether it holds at half", () => {
  const rows = [
    sensitivity("PAD-CLRec", [
      replay(6, 3, 0, 0.5338),
      replay(6, 2, 5, 0.5669),
      replay(12, 3, 5, 0.5669),
    ]),
    sensitivity("VMoSE", [
      replay(6, 3, 3, 0.5522),
      replay(6, 2, undefined),
      replay(12, 3, 3, 0.5522),
    ]),
    sensitivity("GoRec", [
      replay(6, 3, undefined),
      replay(6, 2, undefined),
      replay(12, 3, 8, 0.5207),
    ]),
  ];
  assert.deepEqual(rows.map(halfBudgetVerdict), ["changed", "same", "unknown"]);
  const t = budgetTable([...rows, { ...rows[0], dataset: "other" }], "lastfm", "Experiment e.");
  assert.deepEqual(t.columns.map((c) => c.name), [
    "6 configurations, η 3: 132 epochs",
    "6 configurations, η 2: 159 epochs",
    "12 configurations, η 3: 264 epochs (the run)",
    "choice at half the budget",
  ]);
  const body = t.rows.filter((r) => r.kind === "row");
  assert.deepEqual(body.map((r) => r.label), ["PAD-CLRec", "VMoSE", "GoRec"]); // lastfm's only
  assert.deepEqual(body.map((r) => r.cells.map((c) => c.text)), [
    ["#0 0.5338", "#5 0.5669", "#5 0.5669", "changed"],
    ["#3 0.5522", "needs ≥ 1 trial", "#3 0.5522", "same"],
    ["needs ≥ 1 trial", "needs ≥ 1 trial", "#8 0.5207", "unknown"],
  ]);
  assert.equal(body[0].cells[1].value?.mean, 0.5669);
  assert.match(t.caption, /^Experiment e\. Successive halving replayed .*rungs \(13\/40 epochs\)/);
  assert.match(renderTable(t, "md"), /\| PAD-CLRec +\| +#0 0\.5338 \|/);
});
