import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import { trainSteps } from "../train/mod.ts";
import { Optimizer } from "../nn/mod.ts";
import { buildInteractionIndex } from "../train/interaction_index.ts";
import { splitBatches } from "../train/sampler.ts";
import { conformanceFixture, conformanceTests } from "./_conformance.ts";
import { vmoseSpec } from "./vmose.ts";

const cfg = { ...vmoseSpec.defaults, dim: 16, hidden: 16 };

Deno.test("VMoSE gate is a distribution over the views (attributes + each modality)", async () => {
  const { ds, split } = await conformanceFixture();
  const model = vmoseSpec.create(cfg, { dataset: ds, split, rng: new Rng(2) }) as unknown as {
    experts(items: Int32Array): { q: unknown[]; gate: tf.Tensor2D };
    dispose(): void;
  };
  try {
    const { q, gate } = model.experts(split.testItems);
    assert.equal(q.length, 1 + ds.modalities.length);
    const g = await gate.array();
    for (const row of g) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
    tf.dispose([
      gate,
      ...(q as { mu: tf.Tensor; logVar: tf.Tensor }[]).flatMap((e) => [e.mu, e.logVar]),
    ]);
  } finally {
    model.dispose();
  }
});

Deno.test("VMoSE scores an item the same whatever else is scored with it", async () => {
  const { ds, split } = await conformanceFixture();
  const model = vmoseSpec.create(cfg, { dataset: ds, split, rng: new Rng(3) });
  try {
    trainSteps(model, split, 5, { batchSize: 128, seed: 9 });
    const users = split.trainUsers.slice(0, 20);
    const cold = Int32Array.from([...split.validItems, ...split.testItems]);
    const all = await model.scorer().score(users, cold);
    const one = await model.scorer().score(users, cold.slice(3, 4));
    for (let r = 0; r < users.length; r++) {
      assert.ok(Math.abs(all[r * cold.length + 3] - one[r]) < 1e-4);
    }
  } finally {
    model.dispose();
  }
});

Deno.test("VMoSE's fused KL is the mixture's bound per item, mean_i Σ_v g_iv KL_iv", async () => {
  const { ds, split } = await conformanceFixture();
  // β = 1 and no expert terms: loss − fused BPR = the fused-KL term alone.
  const model = vmoseSpec.create(
    { ...cfg, beta: 1, expertWeight: 0 },
    { dataset: ds, split, rng: new Rng(4) },
  ) as unknown as ReturnType<typeof vmoseSpec.create> & {
    experts(
      items: Int32Array,
    ): { q: { mu: tf.Tensor2D; logVar: tf.Tensor2D }[]; gate: tf.Tensor2D };
  };
  const opt = new Optimizer(model.params, { lr: 1e-2 });
  try {
    // Train a little first, so that gates and KLs differ between items.
    trainSteps(model, split, 30, { batchSize: 64, seed: 3, opt });
    const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
    const batch = splitBatches(split, index, 64, model.needs!, new Rng(11)).next().value!;
    const items = Int32Array.from(new Set([...batch.items, ...batch.negItems]));
    const { q, gate } = model.experts(items);
    const g = await gate.array();
    const kl: number[][] = []; // [view][item]
    for (const e of q) {
      const mu = await e.mu.array(), lv = await e.logVar.array();
      kl.push(
        mu.map((row, i) =>
          0.5 * row.reduce((s, m, d) => s + Math.exp(lv[i][d]) + m * m - 1 - lv[i][d], 0)
        ),
      );
    }
    tf.dispose([gate, ...q.flatMap((e) => [e.mu, e.logVar])]);
    let perItem = 0;
    const meanGate = kl.map(() => 0), meanKl = kl.map(() => 0);
    for (let i = 0; i < items.length; i++) {
      for (let v = 0; v < kl.length; v++) {
        perItem += g[i][v] * kl[v][i] / items.length;
        meanGate[v] += g[i][v] / items.length;
        meanKl[v] += kl[v][i] / items.length;
      }
    }
    const batchMeans = meanGate.reduce((s, gv, v) => s + gv * meanKl[v], 0);
    // The fixture separates the two readings; otherwise this test would prove nothing.
    assert.ok(Math.abs(perItem - batchMeans) > 1e-3 * Math.abs(perItem));
    const out = model.trainStep(batch, opt);
    const term = out.loss - out.fused;
    assert.ok(
      Math.abs(term - perItem) < 1e-4 * Math.max(1, Math.abs(perItem)),
      `fused KL term ${term}, per-item bound ${perItem}, product of batch means ${batchMeans}`,
    );
  } finally {
    opt.dispose();
    model.dispose();
  }
});

conformanceTests(vmoseSpec, cfg);
