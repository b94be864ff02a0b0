import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
import { assertColdColumnAlone } from "../_test_utils.ts";
import { garSpec } from "./model.ts";

const cfg = {
  ...garSpec.defaults,
  warmDim: 16,
  warmEpochs: 5,
  attrDim: 8,
  genHidden: 32,
  towerHidden: 32,
  towerOut: 32,
};

Deno.test("GAR scores a cold item from its content alone, whatever else is scored", () =>
  assertColdColumnAlone(garSpec, cfg, 1e-4));

Deno.test("GAR keeps its BatchNorm moving averages in the checkpoint, out of Adam", async () => {
  const { ds, split } = await conformanceFixture();
  const model = garSpec.create(cfg, { dataset: ds, split, rng: new Rng(2), seed: 1 });
  try {
    const moving = [...model.params.denseVars].filter(([n]) => n.includes(".moving"));
    assert.ok(moving.length > 0 && moving.every(([, v]) => !v.trainable));
    const before = moving.map(([, v]) => v.dataSync().slice());
    trainSteps(model, split, 2, { batchSize: 64, seed: 3 });
    // Every BN layer was used in training mode, so every moving average moved.
    moving.forEach(([n, v], k) => assert.notDeepEqual(v.dataSync(), before[k], n));
  } finally {
    model.dispose();
  }
});

conformanceTests(garSpec, cfg, { term: "dLoss" });
