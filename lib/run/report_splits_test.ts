import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { storeReport } from "../report/mod.ts";
import { ResultStore } from "../store/mod.ts";
import { initTf } from "../tf/mod.ts";
import { runExperiment } from "./experiment.ts";

await initTf();
const CONFIGS = fileURLToPath(new URL("../../configs", import.meta.url));

Deno.test("report: rows of one dataset on two splits (a row's own splitSeed) never share a column", async () => {
  const dir = await Deno.makeTempDir({ prefix: "report_splits_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(
      file,
      `name: two_splits
datasets:
  synthetic: { users: 60, items: 40, seed: 2 }
models:
  popularity: {}
  clcrec: { dim: 8, hidden: 8, attrDim: 8, negatives: 4 }
  other: { model: clcrec, label: "CLCRec, split 1", dim: 8, hidden: 8, attrDim: 8, negatives: 4, settings: { splitSeed: 1 } }
seeds: 1
settings: { epochs: 1, patience: 0, batchSize: 256 }
`,
    );
    const path = join(dir, "store.sqlite");
    const run = { file, store: path, out: join(dir, "out"), configsDir: CONFIGS, quiet: true };
    assert.equal((await runExperiment(run)).code, 0);
    const store = await ResultStore.open(path, { mustExist: true });
    try {
      const { tables } = await storeReport(store, "two_splits", ["table3"]);
      const t = tables[0].table;
      const groups = [...new Set(t.columns.map((c) => c.group))];
      assert.equal(groups.length, 2, groups.join(", "));
      for (const g of groups) assert.match(g, /^synthetic \[[0-9a-f]{16}\]$/);
      // Each column holds one CLCRec row: the other's cells there are empty.
      const filled = (label: string) => {
        const r = t.rows.find((x) => x.kind === "row" && x.label === label);
        assert.ok(r?.kind === "row");
        return new Set(t.columns.filter((_, i) => r.cells[i].value).map((c) => c.group));
      };
      const [a, b] = [filled("CLCRec"), filled("CLCRec, split 1")];
      assert.equal(a.size, 1);
      assert.equal(b.size, 1);
      assert.notDeepEqual([...a], [...b]);
      // The caption names both splits.
      for (const g of groups) assert.ok(t.caption.includes(`${g}: `), t.caption);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
