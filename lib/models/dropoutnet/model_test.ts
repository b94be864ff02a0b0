import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
import { dropoutnetSpec } from "./model.ts";

const cfg = {
  ...dropoutnetSpec.defaults,
  dim: 16,
  hidden1: 32,
  hidden2: 16,
  attrDim: 8,
  warmDim: 16,
  warmEpochs: 3,
};

Deno.test("DropoutNet scores an item the same whatever else is scored with it (BN uses running stats)", async () => {
  const { ds, split } = await conformanceFixture();
  const model = dropoutnetSpec.create(cfg, { dataset: ds, split, rng: new Rng(2), seed: 1 });
  try {
    trainSteps(model, split, 5, { batchSize: 128, seed: 9 });
    const users = split.trainUsers.slice(0, 20), cold = split.testItems;
    const all = await model.scorer().score(users, cold);
    const one = await model.scorer().score(users, cold.slice(3, 4));
    for (let u = 0; u < users.length; u++) {
      assert.ok(Math.abs(one[u] - all[u * cold.length + 3]) < 1e-5);
    }
  } finally {
    model.dispose();
  }
});

Deno.test("DropoutNet keeps BatchNorm running averages as non-trainable checkpointed variables", async () => {
  const { ds, split } = await conformanceFixture();
  const model = dropoutnetSpec.create(cfg, { dataset: ds, split, rng: new Rng(2), seed: 1 });
  try {
    const running = model.params.denseVars.get("item.1.runningMean")!;
    assert.equal(running.trainable, false);
    const before = running.dataSync().slice();
    trainSteps(model, split, 2, { batchSize: 128, seed: 9 });
    assert.notDeepEqual(running.dataSync(), before);
    assert.ok(running.dataSync().every(Number.isFinite));
    const numTensors = tf.memory().numTensors;
    const snap = model.params.snapshot();
    model.params.restore(snap);
    model.params.disposeSnapshot(snap);
    assert.equal(tf.memory().numTensors, numTensors);
  } finally {
    model.dispose();
  }
});

conformanceTests(dropoutnetSpec, cfg);
