import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
import { mvdgaeSpec } from "./model.ts";

const cfg = { ...mvdgaeSpec.defaults, dim: 16, hidden: 32, attrDim: 8, fanout: 4 };

Deno.test("MVDGAE: the Bayesian task weights learn and scoring is repeatable", async () => {
  const { ds, split } = await conformanceFixture();
  const m = mvdgaeSpec.create(cfg, { dataset: ds, split, rng: new Rng(3) });
  try {
    trainSteps(m, split, 10, { lr: 1e-2, batchSize: 128, seed: 9 });
    for (const name of ["task.userUser", "task.itemItem"]) {
      const s = m.params.denseVars.get(name)!.dataSync()[0];
      assert.ok(Number.isFinite(s) && s !== 0, `${name} = ${s}`);
    }
    const a = await m.scorer().score(split.trainUsers, split.testItems);
    assert.deepEqual(await m.scorer().score(split.trainUsers, split.testItems), a);
  } finally {
    m.dispose();
  }
});

conformanceTests(mvdgaeSpec, cfg);
