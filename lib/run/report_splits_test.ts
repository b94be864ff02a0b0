import assert from "node:assert/strict";
import { initTf } from "../tf/mod.ts";
import { runAndReport } from "./_report_test_utils.ts";

await initTf();

Deno.test("report: rows of one dataset on two splits (a row's own splitSeed) never share a column", async () => {
  const { table3: t } = await runAndReport(
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
    "two_splits",
    ["table3"],
  );
  assert.ok(t);
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
});
