import assert from "node:assert/strict";
import { RUN_DEFAULTS, type RunSettings } from "../config/train_defaults.ts";
import { initTf } from "../tf/mod.ts";
import { executeTrial, trialDataset } from "./execute.ts";
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

Deno.test("loading a dataset: a terminal sees which one while it loads; a fast load leaves nothing", async () => {
  const t = popularity("part");
  const spec = { kind: "synthetic", users: 50, items: 40, seed: 9 } as TrialSpec["datasetSpec"];
  const out: string[] = [];
  const { ds } = await trialDataset({ ...t, dataset: "small", datasetSpec: spec }, {
    write: (text) => out.push(text),
    tty: true,
  });
  assert.equal(ds.itemIds.length, 40);
  assert.deepEqual(out, ["\rloading dataset small (synthetic)...\x1b[K", "\r\x1b[K"]);
  // A log gets no line for a load under LOG_SECONDS, and a cached load says nothing.
  const log: string[] = [];
  await trialDataset({ ...t, datasetSpec: { ...spec, seed: 10 } as TrialSpec["datasetSpec"] }, {
    write: (x) => log.push(x),
    tty: false,
  });
  await trialDataset({ ...t, dataset: "small", datasetSpec: spec }, {
    write: (x) => log.push(x),
    tty: true,
  });
  assert.deepEqual(log, []);
});
