import assert from "node:assert/strict";
import { loadDataset } from "../data/mod.ts";
import { evaluate } from "../eval/mod.ts";
import { resolveModel } from "../models/registry.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { trainAndEvaluate, type TrainOptions } from "./trainer.ts";

await initTf();
const ds = await loadDataset({ kind: "synthetic", users: 300, items: 200, seed: 4 });
const split = coldItemSplit(ds, { seed: 0 });
const opts: TrainOptions = {
  epochs: 3,
  batchSize: 256,
  lr: 3e-3,
  weightDecay: 0,
  evalEvery: 5,
  selectMetric: "NDCG@10",
  protocol: "item2user",
  patience: 0,
  silent: true,
};
const cfg = { ...resolveModel("clcrec").defaults, negatives: 16, dim: 16, hidden: 32, attrDim: 16 };

async function run(seed: number) {
  const model = resolveModel("clcrec").create(cfg, { dataset: ds, split, rng: new Rng(seed) });
  try {
    const report = await trainAndEvaluate(model, split, opts, new Rng(seed));
    const again = await evaluate(model.scorer(), split, "valid", "item2user");
    return { report, again };
  } finally {
    model.dispose();
  }
}

Deno.test("trainAndEvaluate gives the same metrics for the same seed", async () => {
  const a = await run(1), b = await run(1), c = await run(2);
  assert.deepEqual(a.report.test, b.report.test);
  assert.deepEqual(a.report.curve.map((p) => p.losses), b.report.curve.map((p) => p.losses));
  assert.notDeepEqual(a.report.test, c.report.test);
});

Deno.test("trainAndEvaluate keeps the best validation checkpoint and tests only it", async () => {
  const { report, again } = await run(3);
  const best = Math.max(...report.curve.map((p) => p.metrics["NDCG@10"]));
  assert.equal(report.valid["NDCG@10"], best);
  // The restored parameters reproduce the kept checkpoint's validation metrics exactly.
  assert.deepEqual(again.metrics, report.valid);
  assert.ok(report.bestStep > 0, "training improved on the initial parameters");
});

Deno.test("training does not leak tensors", async () => {
  const before = tf.memory().numTensors;
  await run(4);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("trainAndEvaluate rejects a selection metric the protocol does not report", async () => {
  const model = resolveModel("random").create({}, { dataset: ds, split, rng: new Rng(1) });
  await assert.rejects(
    trainAndEvaluate(model, split, { ...opts, selectMetric: "Recall@10" }, new Rng(1)),
    /Cannot select on "Recall@10"/,
  );
});

Deno.test("a model's diagnostics and inference gaps are recorded at every validation", async () => {
  const spec = resolveModel("m2vae");
  const config = { ...spec.defaults, dim: 16, decoderHidden: 16, attnHidden: 8, gateHidden: 8 };
  const model = spec.create(config, { dataset: ds, split, rng: new Rng(1) });
  try {
    const report = await trainAndEvaluate(model, split, { ...opts, epochs: 1 }, new Rng(1));
    assert.ok(report.curve.length >= 2);
    for (const p of report.curve) {
      const d = p.diagnostics!;
      assert.ok(d !== undefined, `no diagnostics at step ${p.step}`);
      for (const k of ["gap.shared", "post.fused.sigma", "gates.sdUsers", "dcl.ratio"]) {
        assert.ok(Number.isFinite(d[k]), `${k} = ${d[k]} at step ${p.step}`);
      }
    }
  } finally {
    model.dispose();
  }
  // A model without the hooks records none.
  const plain = resolveModel("clcrec").create(cfg, { dataset: ds, split, rng: new Rng(1) });
  try {
    const r = await trainAndEvaluate(plain, split, { ...opts, epochs: 1 }, new Rng(1));
    assert.ok(r.curve.every((p) => p.diagnostics === undefined));
  } finally {
    plain.dispose();
  }
});
