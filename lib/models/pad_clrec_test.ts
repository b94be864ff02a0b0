import assert from "node:assert/strict";
import { loadDataset } from "../data/mod.ts";
import { readYamlFile } from "../config/yaml_file.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { initTf } from "../tf/mod.ts";
import { trainSteps } from "../train/mod.ts";
import { padClrecSpec } from "./pad_clrec.ts";
import { conformanceTests } from "./_conformance.ts";
import { assertSameLossesThroughMatmul } from "./_test_utils.ts";

await initTf();
const cfg = {
  ...padClrecSpec.defaults,
  dim: 16,
  hidden: 32,
  attrDim: 16,
  negatives: 16,
  groupSize: 4,
};

Deno.test("PAD-CLRec: the group-level term is trained and falls", async () => {
  const ds = await loadDataset({ kind: "synthetic", users: 240, items: 180, seed: 5 });
  const split = coldItemSplit(ds, { seed: 0 });
  const model = padClrecSpec.create({ ...cfg, tau: 0.2 }, { dataset: ds, split, rng: new Rng(1) });
  const g = trainSteps(model, split, 30, { lr: 1e-2, batchSize: 128, seed: 9 }).map((t) =>
    t.groupLevel
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
  assert.ok(g.every(Number.isFinite));
  assert.ok(
    mean(g.slice(-6)) < mean(g.slice(0, 6)),
    `${mean(g.slice(0, 6))} → ${mean(g.slice(-6))}`,
  );
  model.dispose();
});

Deno.test("configs/models/pad-clrec.yaml holds exactly the defaults", async () => {
  const url = new URL("../../configs/models/pad-clrec.yaml", import.meta.url);
  const { tune: _tune, ...file } = await readYamlFile(url.pathname) as Record<string, unknown>;
  assert.deepEqual(file, { ...padClrecSpec.defaults });
});

conformanceTests(padClrecSpec, cfg, { itemTable: "item" });

Deno.test("PAD-CLRec: a few steps' losses are the same through the matMul scores and the row dots", () =>
  assertSameLossesThroughMatmul(padClrecSpec, cfg, [
    "loss",
    "userItem",
    "itemLevel",
    "groupLevel",
  ]));
