import assert from "node:assert/strict";
import { loadDataset } from "../data/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { attributeBag, meanPool } from "./attribute_bag.ts";
import {
  contentInput,
  contentInputDim,
  contentParts,
  contentTensors,
  gatherContent,
  standardise,
} from "./content.ts";

await initTf();

Deno.test("standardise uses the warm rows' statistics only (std floored at 1e-6)", () => {
  // 3 items × 2 columns; warm items 0 and 2. Column 1 is constant on them.
  const m = { name: "x", dim: 2, data: Float32Array.of(1, 5, 100, -7, 3, 5) };
  const out = standardise(m, 3, Int32Array.of(0, 2));
  assert.deepEqual(Array.from(out.subarray(0, 2)), [-1, 0]);
  assert.deepEqual(Array.from(out.subarray(4, 6)), [1, 0]);
  assert.equal(out[2], 98); // the cold item is scaled by the warm statistics
  assert.equal(out[3], -12e6);
});

Deno.test("contentTensors and gatherContent: one standardised tensor per modality", async () => {
  const ds = await loadDataset({ kind: "synthetic", users: 60, items: 40, modalities: 2 });
  const warm = Int32Array.from({ length: 30 }, (_, i) => i);
  const content = contentTensors(ds, warm);
  assert.deepEqual(content.map((c) => c.name), ds.modalities.map((m) => m.name));
  const rows = gatherContent(content, Int32Array.of(3, 35));
  rows.forEach((r, m) => {
    assert.deepEqual(r.shape, [2, ds.modalities[m].dim]);
    const want = standardise(ds.modalities[m], 40, warm);
    const d = ds.modalities[m].dim;
    assert.deepEqual(Array.from(r.dataSync()), [
      ...want.subarray(3 * d, 4 * d),
      ...want.subarray(35 * d, 36 * d),
    ]);
  });
  tf.dispose([...rows, ...content.map((c) => c.values)]);
});

Deno.test("contentInput: pooled attributes, then each modality, contentInputDim wide", async () => {
  const ds = await loadDataset({ kind: "synthetic", users: 60, items: 40, modalities: 2 });
  const content = contentTensors(ds, Int32Array.from({ length: 30 }, (_, i) => i));
  const items = Int32Array.of(3, 35, 3);
  const table = tf.randomNormal([ds.attributes.vocab.length + 1, 5], 0, 1, "float32", 7);
  tf.tidy(() => {
    const x = contentInput(ds.attributes, table, content, items);
    assert.deepEqual(x.shape, [3, contentInputDim(5, content)]);
    const want = tf.concat([
      meanPool(table as tf.Tensor2D, attributeBag(ds.attributes, items)),
      ...gatherContent(content, items),
    ], 1);
    assert.deepEqual(Array.from(x.dataSync()), Array.from(want.dataSync()));
    const parts = contentParts(ds.attributes, table, content, items);
    assert.deepEqual(parts.map((p) => p.shape[1]), [5, ...content.map((c) => c.dim)]);
  });
  tf.dispose([table, ...content.map((c) => c.values)]);
});
