import assert from "node:assert/strict";
import { diagnosticsTable } from "./diagnostics_table.ts";
import { renderMarkdown } from "./render.ts";

Deno.test("diagnostics table: one column per row, kept-checkpoint means, @start rows, losses", () => {
  const seed = (gap: number, sd: number) => ({
    kept: { "gap.shared": gap, "gates.sdUsers": sd, "post.fused.active": 12 },
    start: { "gap.shared": 0, "gates.sdUsers": 0.001, "post.fused.active": 0 },
    losses: { bpr: 0.5, disentangle: 3 },
    bestStep: 40,
    steps: 60,
  });
  const t = diagnosticsTable([
    { dataset: "synthetic", label: "M2VAE", seeds: [seed(0.02, 0.1), seed(0.04, 0.3)] },
    { dataset: "synthetic", label: "M2VAE paper", seeds: [seed(0, 0.0001)] },
  ], "caption");
  assert.deepEqual(t.columns.map((c) => c.name), ["M2VAE", "M2VAE paper"]);
  const row = (label: string) => {
    const r = t.rows.find((x) => x.kind === "row" && x.label === label);
    assert.ok(r && r.kind === "row", `row ${label}`);
    return r.cells;
  };
  assert.equal(row("gap.shared")[0].text, "0.0300 ± 0.0141");
  assert.equal(row("gates.sdUsers @start")[0].text, "0.0010 ± 0.0000");
  assert.equal(row("loss.disentangle")[1].text, "3.0000");
  assert.equal(row("kept step / steps")[0].text, "40/60, 40/60");
  // Gaps first, then posteriors, gates, losses.
  const labels = t.rows.map((r) => r.label);
  assert.ok(labels.indexOf("gap.shared") < labels.indexOf("post.fused.active"));
  assert.ok(labels.indexOf("gates.sdUsers") < labels.indexOf("loss.bpr"));
  assert.match(renderMarkdown(t), /\| gates\.sdUsers/);
});

Deno.test("diagnostics table: a gap consistent over 3+ seeds is marked significant", () => {
  const seed = (gap: number) => ({
    kept: { "gap.shared": gap, "gates.sdUsers": gap },
    start: {},
    losses: {},
    bestStep: 1,
    steps: 2,
  });
  const t = diagnosticsTable([
    { dataset: "d", label: "steady", seeds: [seed(0.02), seed(0.021), seed(0.019)] },
    { dataset: "d", label: "noisy", seeds: [seed(0.05), seed(-0.04), seed(0.01)] },
    { dataset: "d", label: "two", seeds: [seed(0.02), seed(0.021)] },
  ], "c");
  const gap = t.rows.find((r) => r.label === "gap.shared");
  const sd = t.rows.find((r) => r.label === "gates.sdUsers");
  assert.ok(gap?.kind === "row" && sd?.kind === "row");
  assert.deepEqual(gap.cells.map((c) => c.sig), ["*", undefined, undefined]);
  assert.equal(sd.cells[0].sig, undefined, "only gaps are tested");
});

Deno.test("diagnostics table: a missing or non-finite value is a dash", () => {
  const t = diagnosticsTable([{
    dataset: "d",
    label: "A",
    seeds: [{ kept: { x: NaN }, start: {}, losses: {}, bestStep: 0, steps: 0 }],
  }], "c");
  const r = t.rows.find((x) => x.label === "x");
  assert.ok(r && r.kind === "row");
  assert.equal(r.cells[0].text, "–");
});
