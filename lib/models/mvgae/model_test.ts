import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
import { mvgaeSpec } from "./model.ts";

const cfg = { ...mvgaeSpec.defaults, dim: 16, hidden: 16, attrDim: 8 };

Deno.test("MVGAE: sampled-neighbourhood training lowers the loss and scores cold items", async () => {
  const { ds, split } = await conformanceFixture();
  const m = mvgaeSpec.create({ ...cfg, fullGraphMaxEdges: 0, fanout: 4 }, {
    dataset: ds,
    split,
    rng: new Rng(1),
  });
  try {
    const losses = trainSteps(m, split, 20, { lr: 1e-2, batchSize: 128, seed: 9 }).map((t) =>
      t.loss
    );
    const head = losses.slice(0, 4).reduce((a, b) => a + b),
      tail = losses.slice(-4).reduce((a, b) => a + b);
    assert.ok(tail < head, `${head} → ${tail}`);
    const scorer = m.scorer();
    const s = await scorer.score(split.trainUsers, split.testItems);
    assert.ok(s.every(Number.isFinite));
    assert.deepEqual(await m.scorer().score(split.trainUsers, split.testItems), s);
  } finally {
    m.dispose();
  }
});

conformanceTests(mvgaeSpec, cfg);
