import assert from "node:assert/strict";
import { RUN_DEFAULTS } from "../train/settings.ts";
import { trialSpec } from "../store/_test_utils.ts";
import type { TrialInfo } from "../store/mod.ts";
import { tableMeta } from "./captions.ts";

/** A finished user2item trial of row `label` with `settings` over the defaults. */
function done(key: string, label: string, settings: Partial<typeof RUN_DEFAULTS>): TrialInfo {
  return {
    spec: trialSpec(key, 1, { label, settings: { ...RUN_DEFAULTS, ...settings } }),
    status: "done",
    role: "result",
    worker: null,
    protocol: "user2item",
    splitDescription: "item split",
    splitFingerprint: "fp",
    datasetFingerprint: "ds",
    codeVersion: "abc1234",
    toolkitVersion: "0.3.0",
    backend: "wasm",
    bestStep: 10,
    steps: 20,
    parameters: 1,
    setupSeconds: 0,
    trainSeconds: 1,
    evalSeconds: 0,
    error: null,
  };
}

Deno.test("tableMeta: one candidate set and one early stop when every row shares them", () => {
  const m = tableMeta(
    "user2item",
    [],
    [
      done("a1", "A", { candidates: "part", patience: 3, epochs: 10 }),
      done("b1", "B", { candidates: "part", patience: 3, epochs: 10 }),
    ],
    "exp",
    "NDCG@10",
  );
  assert.equal(m.candidates, "part");
  assert.match(m.note!, /synthetic at most 10 epochs, stop after 3 validations without gain;/);
});

Deno.test("tableMeta: rows that differ in candidates or stopping say which is which", () => {
  const m = tableMeta(
    "user2item",
    [],
    [
      done("a1", "A", { candidates: "part", patience: 0 }),
      done("b1", "B", { candidates: "all-cold", patience: 3 }),
      done("c1", "C", { candidates: "all-cold", patience: 3 }),
    ],
    "exp",
    "NDCG@10",
  );
  // Not "all-cold/part", which the caption read as all cold items for every row.
  assert.equal(m.candidates, "part: A; all-cold: B, C");
  // Not "stop after 0/3 validations": patience 0 is no early stop.
  assert.match(m.note!, /, no early stop \/ stop after 3 validations without gain;/);
  const never = tableMeta("user2item", [], [done("a1", "A", { patience: 0 })], "exp", "NDCG@10");
  assert.match(never.note!, /, no early stop;/);
});
