import assert from "node:assert/strict";
import { readYamlFile } from "../config/yaml_file.ts";
import { initTf } from "../tf/mod.ts";
import { setPairMatmulMax } from "../nn/mod.ts";
import { loadDataset } from "../data/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { trainSteps } from "../train/mod.ts";
import { ccfcrecSpec } from "./ccfcrec.ts";
import { conformanceTests } from "./_conformance.ts";

await initTf();
const cfg = { ...ccfcrecSpec.defaults, dim: 16, cp: 3, cn: 8 };

Deno.test("configs/models/ccfcrec.yaml holds exactly the defaults", async () => {
  const url = new URL("../../configs/models/ccfcrec.yaml", import.meta.url);
  const { tune: _tune, ...file } = await readYamlFile(url.pathname) as Record<string, unknown>;
  assert.deepEqual(file, { ...ccfcrecSpec.defaults });
});

conformanceTests(ccfcrecSpec, cfg, { itemTable: "item" });

Deno.test("CCFCRec: a few steps' losses are the same through the matMul scores and the row dots", async () => {
  const ds = await loadDataset({ kind: "synthetic", users: 120, items: 90, seed: 3 });
  const split = coldItemSplit(ds, { seed: 0 });
  const losses = (max: number) => {
    const old = setPairMatmulMax(max);
    const m = ccfcrecSpec.create(cfg, { dataset: ds, split, rng: new Rng(1) });
    try {
      return trainSteps(m, split, 3, { lr: 1e-2, batchSize: 32, seed: 9 });
    } finally {
      setPairMatmulMax(old);
      m.dispose();
    }
  };
  const a = losses(4096), b = losses(0);
  a.forEach((v, k) => {
    for (const key of ["loss", "co", "self"]) {
      const x = v[key], y = b[k][key];
      assert.ok(Number.isFinite(x) && Math.abs(x - y) <= 1e-4 * Math.abs(y), `${k} ${key}`);
    }
  });
});
