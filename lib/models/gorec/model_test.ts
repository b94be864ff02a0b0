import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
import { gorecSpec } from "./model.ts";
import { contentClusters } from "./clusters.ts";

const cfg = {
  ...gorecSpec.defaults,
  warmDim: 16,
  warmEpochs: 2,
  latentDim: 16,
  hidden: 16,
  attrDim: 16,
  clusters: 8,
};

Deno.test("GoRec clusters: seeded, fitted on warm items only, every item labelled", async () => {
  const { ds, split } = await conformanceFixture();
  const a = contentClusters(ds, split.trainItems, 8, new Rng(5));
  assert.deepEqual(contentClusters(ds, split.trainItems, 8, new Rng(5)), a);
  assert.equal(a.labels.length, ds.itemIds.length);
  assert.ok(a.labels.every((l) => l >= 0 && l < a.k));
  assert.equal(new Set(Array.from(split.trainItems, (i) => a.labels[i])).size, a.k);
  // Rewriting cold items' content moves no centroid: warm labels stay the same.
  const warm = new Set(split.trainItems);
  const modalities = ds.modalities.map((m) => {
    const data = m.data.slice();
    for (let i = 0; i < ds.itemIds.length; i++) {
      if (!warm.has(i)) data.fill(100 * (i % 3), i * m.dim, (i + 1) * m.dim);
    }
    return { ...m, data };
  });
  const b = contentClusters({ ...ds, modalities }, split.trainItems, 8, new Rng(5));
  for (const i of split.trainItems) assert.equal(b.labels[i], a.labels[i]);
});

Deno.test("GoRec: BatchNorm running statistics move in training and are snapshotted", async () => {
  const { ds, split } = await conformanceFixture();
  const m = gorecSpec.create(cfg, { dataset: ds, split, rng: new Rng(1) });
  try {
    const rm = m.params.denseVars.get("encoder.bn.mean")!;
    assert.equal(rm.trainable, false);
    const snap = m.params.snapshot();
    trainSteps(m, split, 3, { batchSize: 128 });
    assert.ok((rm.dataSync() as Float32Array).some((v) => v !== 0));
    m.params.restore(snap);
    assert.ok((rm.dataSync() as Float32Array).every((v) => v === 0));
    m.params.disposeSnapshot(snap);
  } finally {
    m.dispose();
  }
});

conformanceTests(gorecSpec, cfg, { warm: { dim: cfg.warmDim, epochs: cfg.warmEpochs } });
