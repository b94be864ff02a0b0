import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
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

Deno.test("GAR scores a cold item from its content alone, whatever else is scored", async () => {
  const { ds, split } = await conformanceFixture();
  const model = garSpec.create(cfg, { dataset: ds, split, rng: new Rng(2), seed: 1 });
  try {
    trainSteps(model, split, 4, { batchSize: 64, seed: 3 });
    const users = split.trainUsers.slice(0, 40);
    const cold = Int32Array.from([...split.validItems, ...split.testItems]);
    const all = await model.scorer().score(users, cold);
    const one = await model.scorer().score(users, cold.subarray(3, 4));
    assert.ok(all.every(Number.isFinite));
    one.forEach((v, r) => assert.ok(Math.abs(v - all[r * cold.length + 3]) < 1e-4));
  } finally {
    model.dispose();
  }
});

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
