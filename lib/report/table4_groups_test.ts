import assert from "node:assert/strict";
import type { TrialInfo } from "../store/mod.ts";
import type { Selection } from "./select.ts";
import { table4Groups } from "./table4_groups.ts";

/**
 * A selected row whose candidates ran `config` (with `variant`) on `dataset`, one per learning
 * rate of `lrs` (a searched row has several), the first chosen.
 */
function row(
  label: string,
  variant: string,
  config: Record<string, unknown>,
  dataset = "d",
  lrs = [1e-3],
) {
  const infos = lrs.map((lr, i) =>
    ({
      spec: {
        key: `${label}@${dataset}#${i}`,
        model: "m2vae",
        config: { ...config, variant },
        settings: { epochs: 10, lr, userChunk: 64 * (i + 1) },
      },
    }) as unknown as TrialInfo
  );
  const sel = {
    protocol: "item2user",
    dataset,
    model: "m2vae",
    label,
    variant,
    family: "ours",
    metric: "NDCG@10",
    candidates: infos.map((t) => ({
      pointLabel: "",
      point: {},
      score: { mean: 0, std: 0, n: 1 },
      keys: [t.spec.key],
      seeds: [1],
    })),
    chosen: 0,
  } as unknown as Selection;
  return { sel, infos };
}

function groups(rows: ReturnType<typeof row>[]) {
  const byKey = new Map(rows.flatMap((r) => r.infos.map((t) => [t.spec.key, t])));
  return table4Groups(rows.map((r) => r.sel), ["m2vae"], (k) => byKey.get(k));
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

Deno.test("table4Groups: tuned rows pair on what they did not search, and settings that change no result do not count", () => {
  // Each row searched the learning rate (its candidates differ there, and in a block size).
  const g = groups([
    row("M2VAE d=8", "full", { dim: 8 }, "d", [1e-3, 1e-2]),
    row("M2VAE d=16", "full", { dim: 16 }, "d", [1e-3, 1e-2]),
    row("w/o DCL d=16", "w/o DCL", { dim: 16 }, "d", [3e-3, 1e-2]),
  ]);
  assert.deepEqual(g, [{ full: "M2VAE d=16", labels: ["M2VAE d=16", "w/o DCL d=16"] }]);
});
