import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SCHEMA } from "./schema.ts";
import {
  continuation,
  release,
  statePath,
  tuneEntries,
  type TuneEntry,
  tuneRoles,
  tuneStates,
  writeTuning,
} from "./tuning.ts";

function db(): DatabaseSync {
  const d = new DatabaseSync(":memory:");
  d.exec(SCHEMA);
  const trial = d.prepare(
    `INSERT INTO trials (key, dataset, model, label, variant, family, point, point_label, seed,
     protocol, config, settings, dataset_spec, status) VALUES (?, 'ds', 'm', 'M', 'full', 'f',
     '{}', '', 0, 'item2user', '{}', ?, '{}', ?)`,
  );
  trial.run("r0", JSON.stringify({ epochs: 4 }), "done");
  trial.run("r1", JSON.stringify({ epochs: 12 }), "failed");
  trial.run("s1", JSON.stringify({ epochs: 12 }), "pending");
  d.prepare("INSERT INTO metrics VALUES ('r0', 'valid', 'NDCG@10', 0.25)").run();
  return d;
}

const ENTRIES: TuneEntry[] = [
  { dataset: "ds", label: "M", config: 0, rung: 0, seed: 0, trial: "r0", metric: "NDCG@10" },
  { dataset: "ds", label: "M", config: 0, rung: 1, seed: 0, trial: "r1", metric: "NDCG@10" },
  { dataset: "ds", label: "M", config: 0, rung: -1, seed: 1, trial: "s1", metric: "NDCG@10" },
];

Deno.test("tuning rows: written, read back, replaced per dataset", () => {
  const d = db();
  writeTuning(d, "exp", ["ds"], ENTRIES);
  assert.deepEqual(tuneEntries(d, "exp").map((e) => e.trial), ["s1", "r0", "r1"]);
  writeTuning(d, "exp", ["ds"], ENTRIES.slice(0, 1));
  assert.deepEqual(tuneEntries(d, "exp").map((e) => e.trial), ["r0"]);
  writeTuning(d, "exp", ["other"], []);
  assert.equal(tuneEntries(d, "exp").length, 1);
  assert.deepEqual([...tuneRoles(ENTRIES)], [["r0", "tune"], ["r1", "tune"], ["s1", "result"]]);
});

Deno.test("tuning: states, continuation and release", () => {
  const d = db();
  writeTuning(d, "exp", ["ds"], ENTRIES);
  assert.deepEqual(
    tuneStates(d, ["r0", "nope"]),
    new Map([["r0", { status: "done", valid: { "NDCG@10": 0.25 } }]]),
  );
  const none: string[] = [];
  assert.deepEqual(continuation(d, "r0"), {
    resumeFrom: undefined,
    previous: [],
    save: true,
    keep: false,
    waiting: ["exp"],
  });
  assert.deepEqual(continuation(d, "r1"), {
    resumeFrom: "r0",
    previous: ["r0"],
    save: false,
    keep: true,
    waiting: none,
  });
  assert.deepEqual(continuation(d, "s1"), {
    resumeFrom: undefined,
    previous: [],
    save: false,
    keep: true,
    waiting: none,
  });
  // Releasing a failed rung links it and retries it; releasing it again adds nothing.
  assert.equal(release(d, "exp", [{ key: "r1", role: "tune", priority: 1 }]), 1);
  assert.equal(tuneStates(d, ["r1"]).get("r1")?.status, "pending");
  assert.equal(release(d, "exp", [{ key: "r1", role: "result", priority: 1 }]), 0);
  const link = d.prepare("SELECT role, priority FROM experiment_trials WHERE trial = 'r1'").get();
  assert.deepEqual({ ...link }, { role: "result", priority: 1 });
  assert.equal(statePath("/s/artifacts/r0"), "/s/artifacts/r0/train_state.safetensors");
});

Deno.test("release: a link carries this experiment's point and label, not the trial's first one", () => {
  const d = db();
  // s1 was registered first by another experiment, without a search point ('{}', '').
  const point = JSON.stringify({ "settings.lr": [0.001] });
  writeTuning(d, "exp", ["ds"], [
    { ...ENTRIES[2], label: "M tuned", point, pointLabel: "settings.lr=0.001" },
    { ...ENTRIES[0] }, // a row written without a point keeps the trial's
  ]);
  assert.equal(
    release(d, "exp", [
      { key: "s1", role: "result", priority: 2 },
      { key: "r0", role: "tune", priority: 0 },
    ]),
    2,
  );
  const link = (t: string) => ({
    ...d.prepare(
      "SELECT point, point_label, label FROM experiment_trials WHERE experiment = 'exp' AND trial = ?",
    ).get(t),
  });
  assert.deepEqual(link("s1"), { point, point_label: "settings.lr=0.001", label: "M tuned" });
  assert.deepEqual(link("r0"), { point: "{}", point_label: "", label: "M" });
  // A link released before the rows kept points is given this experiment's on the next release.
  d.exec("UPDATE experiment_trials SET point = '{}', point_label = '' WHERE trial = 's1'");
  assert.equal(release(d, "exp", [{ key: "s1", role: "result", priority: 2 }]), 0);
  assert.deepEqual(link("s1"), { point, point_label: "settings.lr=0.001", label: "M tuned" });
});
