import assert from "node:assert/strict";
import type { HalvingReplay } from "../store/mod.ts";
import {
  budgetScenarios,
  type BudgetSensitivity,
  budgetTable,
  halfBudgetSentence,
  halfBudgetVerdict,
  noiseSentence,
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

const sensitivity = (
  label: string,
  replays: HalvingReplay[],
  reported?: number,
  budget = 12,
): BudgetSensitivity => ({
  dataset: "lastfm",
  label,
  metric: "NDCG@10",
  budget,
  eta: 3,
  rungs: [13, 40],
  replays,
  reported,
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

Deno.test("halfBudgetVerdict: a later configuration is known without the half replay; a cut needs it decided", () => {
  const undecided = replay(6, 3, undefined);
  // Reported 9: half the budget never draws it, whatever its replay lacks.
  assert.equal(halfBudgetVerdict(sensitivity("A", [undecided, replay(12, 3, 9)], 9)), "later");
  assert.equal(halfBudgetVerdict(sensitivity("B", [replay(6, 3, 2), replay(12, 3, 2)], 2)), "same");
  assert.equal(halfBudgetVerdict(sensitivity("C", [replay(6, 3, 0), replay(12, 3, 5)], 5)), "cut");
  assert.equal(halfBudgetVerdict(sensitivity("D", [undecided, replay(12, 3, 5)], 5)), "unknown");
  // The reported choice rules where the replay at the run's own budget differs from it.
  assert.equal(halfBudgetVerdict(sensitivity("E", [replay(6, 3, 0), replay(12, 3, 0)], 1)), "cut");
  // Before any choice, the replay's own; with none, unknown.
  assert.equal(halfBudgetVerdict(sensitivity("F", [replay(6, 3, 0), replay(12, 3, 0)])), "same");
  assert.equal(
    halfBudgetVerdict(sensitivity("G", [undecided, replay(12, 3, undefined)])),
    "unknown",
  );
  assert.equal(halfBudgetVerdict(sensitivity("H", [replay(1, 3, 0)], 0, 1)), "n/a");
});

Deno.test("budgetTable: a column per scenario with its epochs, each row's choice, and whether it holds at half", () => {
  const rows = [
    sensitivity("PAD-CLRec", [
      replay(6, 3, 0, 0.5338),
      replay(6, 2, 5, 0.5669),
      replay(12, 3, 5, 0.5669),
    ], 5),
    {
      ...sensitivity("VMoSE", [
        replay(6, 3, 3, 0.5522),
        replay(6, 2, undefined),
        replay(12, 3, 3, 0.5522),
      ], 3),
      margin: { margin: 0.0163, sd: 0.0143, seeds: 5, topSeeds: 1 },
    },
    {
      ...sensitivity("GoRec", [
        replay(6, 3, undefined),
        replay(6, 2, undefined),
        replay(12, 3, 8, 0.5207),
      ], 8),
      margin: { margin: 0.0011, sd: 0.0103, seeds: 5, topSeeds: 2 },
    },
    sensitivity("CCFCRec", [
      { ...replay(6, 3, undefined), failed: true, missing: 0 },
      replay(6, 2, 1, 0.4),
      replay(12, 3, 1, 0.45),
    ], 1),
  ];
  const t = budgetTable([...rows, { ...rows[0], dataset: "other" }], "lastfm", "Experiment e.");
  assert.deepEqual(t.columns.map((c) => c.name), [
    "6 configurations, η 3: 132 epochs",
    "6 configurations, η 2: 159 epochs",
    "12 configurations, η 3: 264 epochs (the run)",
    "choice at half the budget",
    "top-rung lead vs seed sd",
  ]);
  const body = t.rows.filter((r) => r.kind === "row");
  assert.deepEqual(body.map((r) => r.label), ["PAD-CLRec", "VMoSE", "GoRec", "CCFCRec"]);
  assert.deepEqual(body.map((r) => r.cells.map((c) => c.text)), [
    ["#0 0.5338", "#5 0.5669", "#5 0.5669", "changed: a rung's cut", "–"],
    ["#3 0.5522", "needs ≥ 1 trial", "#3 0.5522", "same", "+0.0163 ≥ 0.0143 (5 seeds)"],
    [
      "needs ≥ 1 trial",
      "needs ≥ 1 trial",
      "#8 0.5207",
      "changed: a later configuration",
      "+0.0011 < 0.0073 (5 seeds, sd/√2)",
    ],
    ["failed", "#1 0.4000", "#1 0.4500", "unknown", "–"],
  ]);
  assert.equal(body[0].cells[1].value?.mean, 0.5669);
  assert.equal(body[1].cells[1].value, undefined);
  assert.match(t.caption, /^Experiment e\. Successive halving replayed .*rungs \(13\/40 epochs\)/);
  assert.match(renderTable(t, "md"), /\| PAD-CLRec +\| +#0 0\.5338 \|/);
  // Rows whose scenarios train different epochs (another rung or failure) leave them out of the
  // header rather than print one row's.
  const mixed = budgetTable(
    [rows[0], {
      ...rows[1],
      replays: rows[1].replays.map((r) => ({ ...r, epochs: r.epochs + 1 })),
    }],
    "lastfm",
    "",
  );
  assert.equal(mixed.columns[0].name, "6 configurations, η 3");
});

Deno.test("halfBudgetSentence: the rows by verdict, datasets named where there are several, budget 1 left out", () => {
  const rows = [
    sensitivity("VMoSE", [replay(6, 3, 3), replay(12, 3, 3)], 3),
    sensitivity("GoRec", [replay(6, 3, undefined), replay(12, 3, 8)], 8),
    sensitivity("PAD-CLRec", [replay(6, 3, 0), replay(12, 3, 5)], 5),
    sensitivity("MVGAE", [replay(6, 3, undefined), replay(12, 3, 2)], 2),
    sensitivity("Popular", [replay(1, 3, 0)], 0, 1),
  ];
  assert.equal(
    halfBudgetSentence(rows),
    "With half the configurations (each row's first 6, replayed from the stored trials at the " +
      "same rungs: report --layout budget) the same choice for 1 of 4 rows; GoRec chose a " +
      "configuration half the budget never draws (still finding better ones: a larger budget " +
      "may move them); a rung's cut with fewer promoted chooses another for PAD-CLRec; " +
      "undecided for MVGAE (rung trials not finished). ",
  );
  assert.equal(
    // At a budget of 6 the same choice, configuration 3, is one its first 3 never draw.
    halfBudgetSentence([rows[0], { ...rows[0], dataset: "citeulike-a", budget: 6 }]),
    "With half the configurations (each row's first 6/3, replayed from the stored trials at the " +
      "same rungs: report --layout budget) the same choice for 1 of 2 tuned (dataset, row) " +
      "pairs; VMoSE (citeulike-a) chose a configuration half the budget never draws (still " +
      "finding better ones: a larger budget may move them). ",
  );
  assert.equal(halfBudgetSentence([rows[4]]), "");
});

Deno.test("noiseSentence: the rows whose top rung was decided by less than one seed's spread", () => {
  const at = (label: string, margin: number, sd: number, topSeeds = 1, dataset = "lastfm") => ({
    ...sensitivity(label, []),
    dataset,
    margin: { margin, sd, seeds: 5, topSeeds },
  });
  assert.equal(noiseSentence([at("VMoSE", 0.0163, 0.0143), sensitivity("X", [])]), "");
  assert.equal(
    noiseSentence([
      at("GoRec", 0.0011, 0.0103),
      at("VMoSE", 0.0163, 0.0143),
      at("M", 0.008, 0.01, 2),
    ]),
    "The top rung was decided by less than one seed's spread (the choice's lead over the " +
      "runner-up below the sd over seeds of its own validation: report --layout budget) for " +
      "GoRec (search.topSeeds chooses by a mean over seeds). ",
  );
  assert.match(
    noiseSentence([at("GoRec", 0.0011, 0.0103), at("GoRec", 0.0011, 0.0103, 1, "citeulike-a")]),
    /for GoRec \(lastfm\), GoRec \(citeulike-a\) \(/,
  );
});
