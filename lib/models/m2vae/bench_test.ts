import assert from "node:assert/strict";
import { generateSynthetic } from "../../data/synthetic.ts";
import type { TrainBatch } from "../../train/sampler.ts";
import { stepSizes } from "./bench.ts";

Deno.test("stepSizes: rows, distinct anchors with their tokens, distinct L_co candidates", () => {
  const { dataset } = generateSynthetic({ seed: 3, users: 40, items: 30 });
  const off = dataset.attributes.offsets;
  const tokens = (i: number) => off[i + 1] - off[i];
  const batch = {
    users: Int32Array.of(0, 1, 2, 3),
    items: Int32Array.of(5, 5, 7, 9),
    posItems: Int32Array.of(1, 2, 2, 3),
    negItems: Int32Array.of(3, 4),
  } as unknown as TrainBatch;
  assert.deepEqual(stepSizes(dataset, batch), {
    batch: 4,
    anchors: 3,
    tokens: tokens(5) + tokens(7) + tokens(9),
    candidates: 4,
  });
});
