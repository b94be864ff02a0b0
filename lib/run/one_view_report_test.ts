import assert from "node:assert/strict";
import { initTf } from "../tf/mod.ts";
import { runAndReport } from "./_report_test_utils.ts";

await initTf();
const SMALL = "dim: 8, decoderHidden: 8, attnHidden: 4, gateHidden: 4, sharedNegatives: 8";

/** Runs M2VAE and its `w/o M-MoE` on a synthetic set with `modalities` dense views; reports. */
async function report(modalities: number) {
  const t = await runAndReport(
    `name: one_view
datasets:
  synthetic: { users: 60, items: 40, seed: 2, modalities: ${modalities} }
models:
  m2vae: { ${SMALL} }
  m2vae (w/o M-MoE): { ${SMALL} }
  m2vae (w/o SG): { ${SMALL} }
  m2vae (w/o V-MoE): { ${SMALL} }
  m2vae (w/o common): { ${SMALL} }
  other: { model: m2vae, variant: "w/o M-MoE", label: "M2VAE w/o M-MoE, β 0.1", ${SMALL}, beta: 0.1 }
seeds: 1
settings: { epochs: 1, patience: 0, batchSize: 256 }
`,
    "one_view",
    ["table3", "table4"],
  );
  return { table3: t.table3!, table4: t.table4! };
}

Deno.test("report: on one content view, the variants that train the full model are marked ≡", async () => {
  const one = await report(0);
  assert.match(
    one.table3.caption,
    /On synthetic M2VAE has one content view, so these parts cannot act: modality gates \(M-MoE\)/,
  );
  const marked = (label: string) => {
    const row = one.table4.rows.find((r) => r.kind === "row" && r.label === label);
    assert.ok(row?.kind === "row" && row.cells.length > 0, `no row ${label}`);
    return row.cells.filter((c) => c.value).every((c) => c.text.endsWith("≡"));
  };
  for (const v of ["w/o M-MoE", "w/o SG", "w/o V-MoE"]) assert.ok(marked(`M2VAE ${v}`), v);
  // The full row, a variant whose part acts, and one that runs another configuration: unmarked.
  for (const label of ["M2VAE", "M2VAE w/o common", "M2VAE w/o M-MoE, β 0.1"]) {
    const row = one.table4.rows.find((r) => r.kind === "row" && r.label === label);
    assert.ok(row?.kind === "row", `no row ${label}`);
    assert.ok(row.cells.every((c) => !c.text.includes("≡")), label);
  }
  assert.match(one.table4.caption, /≡ the full model on that dataset, up to its initial draws/);
  // Two views: the gates act, so nothing is marked.
  const two = await report(1);
  assert.doesNotMatch(two.table3.caption, /one content view/);
  assert.ok(
    two.table4.rows.every((r) => r.kind !== "row" || r.cells.every((c) => !c.text.includes("≡"))),
  );
});
