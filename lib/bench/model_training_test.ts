import assert from "node:assert/strict";
import { generateSynthetic } from "../data/synthetic.ts";
import { clcrecSpec } from "../models/clcrec.ts";
import { initTf } from "../tf/mod.ts";
import { trainingFiguresOf, widthOverride } from "./model_training.ts";
import { measureTraining } from "./training.ts";

const M = {
  interactionsPerSecond: 1482,
  steps: 10,
  seconds: 27.6,
  epochInteractions: 39_440,
  epochSeconds: 39_440 / 1482,
};

Deno.test("trainingFiguresOf: rate with the reference's target, epoch seconds, ratio", () => {
  const [rate, epoch, ratio] = trainingFiguresOf("clcrec", "CLCRec", "lastfm", M, {
    batch: 4096,
    dim: 64,
  });
  assert.equal(rate.name, "CLCRec training, lastfm (batch 4096, d 64)");
  assert.equal(rate.target, "≥ 1,482");
  assert.match(rate.note!, /PyTorch reference 741\/s/);
  assert.equal(epoch.unit, "s");
  assert.equal(epoch.value, M.epochSeconds);
  assert.match(epoch.note!, /39,440 training interactions; reference epoch 49\.0 s for 36,309/);
  assert.equal(ratio.value, 2);
  assert.equal(ratio.target, "≥ 2");
});

Deno.test("trainingFiguresOf: no reference, or one left out, gives no ratio", () => {
  const gar = trainingFiguresOf("gar", "GAR", "lastfm", M, { batch: 4096, dim: 64 });
  assert.equal(gar.length, 2);
  assert.equal(gar[0].target, undefined);
  const off = trainingFiguresOf("m2vae", "M2VAE", "scale", M, { batch: 1024, dim: null }, false);
  assert.equal(off.length, 2);
  assert.equal(off[0].name, "M2VAE training, scale (batch 1024)");
});

Deno.test("widthOverride: only for a model with a dim key", () => {
  assert.deepEqual(widthOverride({ dim: 128, hidden: 5 }, 64), { dim: 64 });
  assert.deepEqual(widthOverride({ hidden: 5 }, 64), {});
});

Deno.test("measureTraining: counts the timed steps' rows and the split's epoch", async () => {
  await initTf("wasm");
  const { dataset } = generateSynthetic({ seed: 3, users: 120, items: 90 });
  const seen: number[] = [];
  const m = measureTraining(dataset, clcrecSpec, {
    batchSize: 64,
    steps: 4,
    warmup: 1,
    config: { dim: 8, hidden: 16, attrDim: 8, negatives: 4 },
    onStep: (b) => seen.push(b.users.length),
  });
  assert.equal(m.steps, 4);
  assert.equal(seen.length, 4);
  assert.ok(m.epochInteractions > 0);
  assert.equal(m.epochSeconds, m.epochInteractions / m.interactionsPerSecond);
  assert.ok(Math.abs(m.interactionsPerSecond * m.seconds - seen.reduce((a, b) => a + b)) < 1e-6);
});
