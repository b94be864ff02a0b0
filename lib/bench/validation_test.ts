import assert from "node:assert/strict";
import { generateSynthetic } from "../data/synthetic.ts";
import { evaluate } from "../eval/mod.ts";
import { clcrecSpec } from "../models/clcrec.ts";
import { initTf } from "../tf/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { validationTiming } from "./validation.ts";

Deno.test("validationTiming: item2user over the validation items and every training user", async () => {
  await initTf("wasm");
  const { dataset } = generateSynthetic({ seed: 3, users: 120, items: 90 });
  const split = coldItemSplit(dataset, { seed: 0 });
  const model = clcrecSpec.create({ ...clcrecSpec.defaults, dim: 8, hidden: 16, attrDim: 8 }, {
    dataset,
    split,
    rng: new Rng(1),
  });
  try {
    const t = await validationTiming(model, split, { evalOptions: { userChunk: 50 } });
    const r = await evaluate(model.scorer(), split, "valid", "item2user");
    assert.equal(t.queries, r.queries);
    assert.equal(t.candidates, split.trainUsers.length);
    assert.ok(t.epochSeconds >= t.seconds);
  } finally {
    model.dispose();
  }
});
