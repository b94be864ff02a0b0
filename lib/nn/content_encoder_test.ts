import assert from "node:assert/strict";
import { loadDataset } from "../data/mod.ts";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { ContentEncoder } from "./content_encoder.ts";
import { ParamSet } from "./params.ts";

await initTf();

Deno.test("ContentEncoder: named parameters, one output row per item from content only", async () => {
  const ds = await loadDataset({ kind: "synthetic", users: 60, items: 40, modalities: 2 });
  const p = new ParamSet();
  const warm = Int32Array.from({ length: 30 }, (_, i) => i);
  const enc = new ContentEncoder(ds, warm, p, { attrDim: 4, hidden: 8, out: 3 }, new Rng(1), {
    prefix: "f",
  });
  assert.deepEqual([...p.denseVars.keys()], ["attribute", "f.w1", "f.b1", "f.w2", "f.b2"]);
  const inDim = 4 + ds.modalities.reduce((s, m) => s + m.dim, 0);
  assert.deepEqual(p.denseVars.get("f.w1")!.shape, [inDim, 8]);
  const before = tf.memory().numTensors;
  const f = enc.encode(Int32Array.of(35, 0, 35));
  assert.deepEqual(f.shape, [3, 3]);
  const v = f.arraySync();
  assert.deepEqual(v[0], v[2], "the same item encodes the same");
  f.dispose();
  assert.equal(tf.memory().numTensors, before);
  enc.dispose();
  p.dispose();
});
