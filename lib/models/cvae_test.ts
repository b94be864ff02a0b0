import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { trainSteps } from "../train/mod.ts";
import { conformanceFixture, conformanceTests } from "./_conformance.ts";
import { cvaeSpec } from "./cvae.ts";

const cfg = { ...cvaeSpec.defaults, dim: 16, hidden1: 32, hidden2: 16 };

Deno.test("CVAE reports every loss term, all finite", async () => {
  const { ds, split } = await conformanceFixture();
  const model = cvaeSpec.create(cfg, { dataset: ds, split, rng: new Rng(3) });
  try {
    const [t] = trainSteps(model, split, 1, { batchSize: 64, seed: 1 });
    for (const k of ["loss", "bpr", "recon", "kl", "offset", "userPrior"]) {
      assert.ok(Number.isFinite(t[k]), `${k} = ${t[k]}`);
    }
  } finally {
    model.dispose();
  }
});

conformanceTests(cvaeSpec, cfg, { itemTable: "item.offset" });

Deno.test("CVAE pretrainSteps: the first steps train the content ELBO alone, then the joint objective", async () => {
  const { ds, split } = await conformanceFixture();
  const model = cvaeSpec.create({ ...cfg, pretrainSteps: 30 }, {
    dataset: ds,
    split,
    rng: new Rng(3),
  });
  try {
    const log = trainSteps(model, split, 32, { batchSize: 64, seed: 1 });
    for (const t of log.slice(0, 30)) {
      assert.equal(t.bpr, undefined, "no ranking term while pretraining");
      assert.ok(Number.isFinite(t.recon) && Number.isFinite(t.kl), JSON.stringify(t));
    }
    const first = log[0].recon, last = (log[27].recon + log[28].recon + log[29].recon) / 3;
    assert.ok(last < 0.9 * first, `reconstruction ${first} → ${last}`);
    assert.ok(Number.isFinite(log[30].bpr) && Number.isFinite(log[31].offset), "joint after");
  } finally {
    model.dispose();
  }
});
