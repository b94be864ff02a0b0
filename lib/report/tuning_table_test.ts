import assert from "node:assert/strict";
import { renderTable } from "./render.ts";
import { placedPresets, type TunedPlan } from "./tuned_rows.ts";
import { type TuningLadder, tuningTable } from "./tuning_table.ts";

const ladder = (chosen: boolean): TuningLadder => ({
  dataset: "synthetic",
  label: "CLCRec",
  metric: "NDCG@10",
  epochs: [4, 12],
  topSeeds: 1,
  finals: { done: chosen ? 2 : 0, total: chosen ? 3 : 0 },
  configurations: [
    {
      config: 0,
      kind: "defaults",
      pointLabel: "lr=0.001",
      seconds: 75,
      chosen,
      rungs: [
        { status: "done", valid: 0.41, keptEpoch: 4, lastEpoch: 4 },
        chosen
          ? { status: "done", valid: 0.45678, keptEpoch: 9, lastEpoch: 12 }
          : { status: "running" },
      ],
    },
    {
      config: 1,
      kind: "preset warm",
      pointLabel: "lr=0.01, tau=0.5",
      seconds: 8,
      chosen: false,
      rungs: [{ status: "done", valid: 0.2, keptEpoch: 0, lastEpoch: 4 }, undefined],
    },
    {
      config: 2,
      kind: "draw",
      pointLabel: "lr=0.1",
      seconds: 0,
      chosen: false,
      rungs: [{ status: "failed" }, undefined],
    },
  ],
});

Deno.test("tuningTable: a row per configuration, its value and epochs per rung, – where it stopped, the choice marked", () => {
  const t = tuningTable(ladder(true), "Experiment e.");
  assert.deepEqual(t.columns.map((c) => c.name), [
    "rung 1: 4 epochs",
    "rung 2: 12 epochs",
    "seconds",
    "hyperparameters",
  ]);
  const rows = t.rows.filter((r) => r.kind === "row");
  assert.deepEqual(rows.map((r) => r.label), ["0 (defaults)", "1 (preset warm)", "2 (draw)"]);
  assert.deepEqual(rows.map((r) => r.cells.map((c) => c.text)), [
    ["0.4100 (4/4)", "0.4568 (9/12)", "1m15s", "lr=0.001"],
    ["0.2000 (0/4)", "–", "8s", "lr=0.01, tau=0.5"],
    ["failed", "–", "0s", "lr=0.1"],
  ]);
  // Only the chosen configuration's top-rung cell is marked, with its exact value behind it.
  assert.deepEqual(
    rows.flatMap((r, i) => r.cells.map((c, j) => (c.selected ? [i, j] : null))).filter(Boolean),
    [[0, 1]],
  );
  assert.equal(rows[0].cells[1].value!.mean, 0.45678);
  assert.match(t.caption, /Chosen \(◀\): configuration 0 \(defaults\).*\(2 of 3 done/);
  const md = renderTable(t, "md");
  assert.match(md, /\| 0 \(defaults\) +\| +0\.4100 \(4\/4\) \| +0\.4568 \(9\/12\) ◀ \|/);
  // The hyperparameters are text: left-aligned; the numbers right-aligned.
  assert.match(md, /\| :-+ \| -+: \| -+: \| -+: \| :-+ \|/);
  assert.match(renderTable(t, "latex"), /\\begin\{tabular\}\{lrrrl\}/);
});

Deno.test("tuningTable: before the choice no cell is marked and the caption says why", () => {
  const t = tuningTable(ladder(false), "Experiment e.");
  assert.ok(t.rows.every((r) => r.kind !== "row" || r.cells.every((c) => !c.selected)));
  const rows = t.rows.filter((r) => r.kind === "row");
  assert.equal(rows[0].cells[1].text, "running");
  assert.match(t.caption, /No configuration is chosen yet/);
});

Deno.test("placedPresets: the row's presets in order after its defaults, as the protocol places them", () => {
  const plan: TunedPlan = {
    search: { presets: true, defaults: true },
    models: [{
      label: "M",
      presets: [
        { name: "warm", point: { tau: [0.5] } },
        { name: "same", point: { tau: [1] } }, // equals the defaults: not one of its own
        { name: "pinned", point: { klWeight: [1] } }, // an axis the row does not tune
        { name: "cold", point: { tau: [2] } },
        { name: "warm again", point: { tau: [0.5] } }, // equals an earlier preset
      ],
    }, { label: "Untuned", presets: [{ name: "x", point: { tau: [0.5] } }] }],
  };
  const entries = [
    { label: "M", config: 0, point: '{"tau":[1],"lr":[0.001]}' },
    { label: "M", config: 0, point: '{"tau":[1],"lr":[0.001]}' },
    { label: "M", config: 1, point: '{"tau":[0.5],"lr":[0.001]}' },
    { label: "M", config: 2, point: '{"tau":[2],"lr":[0.001]}' },
    // Draws: one with "same"'s and one with "warm"'s value of the axis they set.
    { label: "M", config: 3, point: '{"tau":[1],"lr":[0.01]}' },
    { label: "M", config: 4, point: '{"tau":[0.5],"lr":[0.1]}' },
  ];
  assert.deepEqual([...placedPresets(plan, entries)], [["M", [
    { config: 1, name: "warm" },
    { config: 2, name: "cold" },
  ]]]);
  assert.equal(
    placedPresets({ ...plan, search: { presets: false, defaults: true } }, entries).size,
    0,
  );
  assert.equal(placedPresets(undefined, entries).size, 0);
  // A plan stored before `search.defaults` existed had the defaults as configuration 0.
  const older = { ...plan, search: { presets: true } };
  assert.deepEqual(placedPresets(older, entries).get("M")?.map((p) => p.config), [1, 2]);
  // Without the defaults the presets come first, matched on the axes they set.
  const drawn = { ...plan, search: { presets: true, defaults: false } };
  const noDefaults = [
    { label: "M", config: 0, point: '{"tau":[0.5],"lr":[0.003]}' },
    { label: "M", config: 1, point: '{"tau":[1],"lr":[0.003]}' },
    { label: "M", config: 2, point: '{"tau":[2],"lr":[0.003]}' },
    { label: "M", config: 3, point: '{"tau":[0.5],"lr":[0.1]}' },
  ];
  assert.deepEqual(placedPresets(drawn, noDefaults).get("M"), [
    { config: 0, name: "warm" },
    { config: 1, name: "same" },
    { config: 2, name: "cold" },
  ]);
});

Deno.test("tuningTable with topSeeds: a column of means, the mark on the mean chosen by, or on the top rung when the tuning seed decided", () => {
  const base = ladder(true);
  const withSeeds = (chosenMean: boolean): TuningLadder => ({
    ...base,
    topSeeds: 3,
    configurations: [
      {
        ...base.configurations[0],
        selection: chosenMean
          ? { done: 2, total: 2, failed: false, mean: 0.43 }
          : { done: 1, total: 2, failed: true },
      },
      { ...base.configurations[1], selection: { done: 1, total: 2, failed: false } },
      { ...base.configurations[2], selection: { done: 2, total: 2, failed: false } },
    ],
  });
  let t = tuningTable(withSeeds(true), "Experiment e.");
  assert.deepEqual(t.columns.map((c) => c.name).slice(0, 3), [
    "rung 1: 4 epochs",
    "rung 2: 12 epochs",
    "top rung, mean of 3 seeds",
  ]);
  let body = t.rows.filter((r) => r.kind === "row");
  assert.deepEqual(body.map((r) => r.cells[2].text), ["0.4300", "1/2 seeds", "no value"]);
  const marked = (rows: typeof body) =>
    rows.flatMap((r, i) => r.cells.flatMap((c, j) => c.selected ? [[i, j]] : []));
  assert.deepEqual(marked(body), [[0, 2]]);
  assert.match(t.caption, /the highest mean validation NDCG@10 over 3 seeds at the top rung/);
  t = tuningTable(withSeeds(false), "Experiment e.");
  body = t.rows.filter((r) => r.kind === "row");
  assert.equal(body[0].cells[2].text, "a seed failed");
  assert.deepEqual(marked(body), [[0, 1]]);
  assert.match(t.caption, /at the top rung on the tuning seed \(every configuration there failed/);
});
