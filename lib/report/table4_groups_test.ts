import assert from "node:assert/strict";
import type { TrialInfo } from "../store/mod.ts";
import type { Selection } from "./select.ts";
import { table4Groups } from "./table4_groups.ts";

/** A selected row whose chosen trial ran `config` (with `variant`) on `dataset`. */
function row(label: string, variant: string, config: Record<string, unknown>, dataset = "d") {
  const key = `${label}@${dataset}`;
  const sel = {
    protocol: "item2user",
    dataset,
    model: "m2vae",
    label,
    variant,
    family: "ours",
    metric: "NDCG@10",
    candidates: [{
      pointLabel: "",
      point: {},
      score: { mean: 0, std: 0, n: 1 },
      keys: [key],
      seeds: [1],
    }],
    chosen: 0,
  } as unknown as Selection;
  const info = {
    spec: { key, config: { ...config, variant }, settings: { epochs: 10 } },
  } as unknown as TrialInfo;
  return { sel, info };
}

function groups(rows: ReturnType<typeof row>[]) {
  const byKey = new Map(rows.map((r) => [r.sel.candidates[0].keys[0], r.info]));
  return table4Groups(
    rows.map((r) => r.sel),
    ["m2vae"],
    (s) => byKey.get(s.candidates[s.chosen].keys[0])!,
  );
}

Deno.test("table4Groups: one full row takes every ablation, as before", () => {
  assert.deepEqual(
    groups([row("M2VAE", "full", { dim: 16 }), row("w/o DCL", "w/o DCL", { dim: 8 })]),
    [{ full: "M2VAE", labels: ["M2VAE", "w/o DCL"] }],
  );
});

Deno.test("table4Groups: with several full rows each ablation is tested against the one it ablates", () => {
  const g = groups([
    row("M2VAE d=8", "full", { dim: 8 }),
    row("w/o M-MoE d=8", "w/o M-MoE", { dim: 8 }),
    row("M2VAE d=16", "full", { dim: 16 }),
    row("w/o M-MoE d=16", "w/o M-MoE", { dim: 16 }),
    row("M2VAE d=16 τ=1", "full", { dim: 16, tauGate: 1 }),
    row("w/o M-MoE d=32", "w/o M-MoE", { dim: 32 }),
  ]);
  assert.deepEqual(g, [
    { full: "M2VAE d=8", labels: ["M2VAE d=8", "w/o M-MoE d=8"] },
    { full: "M2VAE d=16", labels: ["M2VAE d=16", "w/o M-MoE d=16"] },
    // No full row ran its configuration: shown, not tested.
    { labels: ["w/o M-MoE d=32"] },
  ]);
});
