import assert from "node:assert/strict";
import { generateSynthetic } from "../data/synthetic.ts";
import { evaluate } from "../eval/mod.ts";
import { clcrecSpec } from "../models/clcrec.ts";
import { initTf } from "../tf/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { RUN_DEFAULTS } from "../train/settings.ts";
import { validationFigure, validationTiming } from "./validation.ts";

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

Deno.test("validationFigure: one validation of the model's defaults, named after the set", async () => {
  await initTf("wasm");
  const { dataset } = generateSynthetic({ seed: 3, users: 120, items: 90 });
  const split = coldItemSplit(dataset, { seed: 0 });
  const set = {
    name: "tiny",
    ds: dataset,
    split,
    settings: { ...RUN_DEFAULTS, userChunk: 50 },
    loadSeconds: 1.5,
  };
  const cacheDir = await Deno.makeTempDir();
  const f = await validationFigure(set, clcrecSpec, cacheDir).finally(() =>
    Deno.remove(cacheDir, { recursive: true })
  );
  assert.equal(f.name, "CLCRec one item2user validation, tiny");
  assert.equal(f.unit, "s");
  assert.ok(f.value >= 0);
  assert.match(f.note ?? "", new RegExp(`^\\d+ cold items × ${split.trainUsers.length} users`));
  assert.match(f.note ?? "", /; loaded in 1\.5 s$/);
});
