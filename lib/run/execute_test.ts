import assert from "node:assert/strict";
import { RUN_DEFAULTS, type RunSettings } from "../config/train_defaults.ts";
import { initTf } from "../tf/mod.ts";
import { executeTrial } from "./execute.ts";
import type { TrialSpec } from "./plan.ts";

await initTf();

function popularity(candidates: RunSettings["candidates"]): TrialSpec {
  return {
    key: `pop-${candidates}`,
    dataset: "tiny",
    datasetSpec: { kind: "synthetic", users: 200, items: 160, seed: 1 } as TrialSpec["datasetSpec"],
    model: "popularity",
    label: "Popularity",
    variant: "full",
    family: "sanity",
    point: {},
    pointLabel: "",
    config: {},
    settings: { ...RUN_DEFAULTS, protocol: "user2item", selectMetric: "Recall@20", candidates },
    seed: 1,
  };
}

Deno.test("user2item candidates: all cold items compete with the part's, so recall can only drop", async () => {
  const ctx = { codeVersion: "t", silent: true };
  const part = (await executeTrial(popularity("part"), ctx)).report.test;
  const all = (await executeTrial(popularity("all-cold"), ctx)).report.test;
  assert.notDeepEqual(all, part);
  for (const k of [5, 10, 20]) assert.ok(all[`Recall@${k}`] <= part[`Recall@${k}`], `Recall@${k}`);
});
