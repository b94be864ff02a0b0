import assert from "node:assert/strict";
import { readYamlFile } from "../config/yaml_file.ts";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { attentionPool, ccfcrecSpec } from "./ccfcrec.ts";
import { conformanceTests } from "./_conformance.ts";

await initTf();
const cfg = { ...ccfcrecSpec.defaults, dim: 16, cp: 3, cn: 8 };

Deno.test("CCFCRec attention: a one-attribute item gets that row, weights sum to one", () => {
  const rng = new Rng(3);
  const table = tf.tensor2d(rng.normalArray(4 * 3), [4, 3]);
  const w1 = tf.tensor2d(rng.normalArray(9), [3, 3]), b1 = tf.zeros([3]) as tf.Tensor1D;
  const w2 = tf.tensor2d(rng.normalArray(3), [3, 1]);
  // Bag 0 = {2}; bag 1 = {1, 3}; bag 2 = {0, 0} (equal rows: the pool is that row).
  const bag = {
    tokens: Int32Array.of(2, 1, 3, 0, 0),
    rows: Int32Array.of(0, 1, 1, 2, 2),
    counts: Float32Array.of(1, 2, 2),
    size: 3,
  };
  const out = attentionPool(table, w1, b1, w2, bag).arraySync();
  const t = table.arraySync();
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(out[0][c] - t[2][c]) < 1e-5);
    assert.ok(Math.abs(out[2][c] - t[0][c]) < 1e-5);
    const lo = Math.min(t[1][c], t[3][c]), hi = Math.max(t[1][c], t[3][c]);
    assert.ok(out[1][c] >= lo - 1e-5 && out[1][c] <= hi + 1e-5, "a convex combination");
  }
  tf.dispose([table, w1, b1, w2]);
});

Deno.test("configs/models/ccfcrec.yaml holds exactly the defaults", async () => {
  const url = new URL("../../configs/models/ccfcrec.yaml", import.meta.url);
  const { tune: _tune, ...file } = await readYamlFile(url.pathname) as Record<string, unknown>;
  assert.deepEqual(file, { ...ccfcrecSpec.defaults });
});

conformanceTests(ccfcrecSpec, cfg, { itemTable: "item" });
