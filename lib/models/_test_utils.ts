/**
 * Test support for model tests: checks several models' tests share.
 *
 * @example Usage
 * ```ts
 * import { assertSameLossesThroughMatmul } from "./_test_utils.ts";
 * import { clcrecSpec } from "./clcrec.ts";
 *
 * Deno.test("CLCRec: matMul scores and row dots agree", () =>
 *   assertSameLossesThroughMatmul(clcrecSpec, clcrecSpec.defaults, ["loss", "userItem"]));
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadDataset } from "../data/mod.ts";
import { setPairMatmulMax } from "../nn/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { trainSteps } from "../train/mod.ts";
import type { ModelSpec } from "./model.ts";
import { conformanceFixture } from "./_conformance.ts";

/**
 * Asserts that a few training steps' loss `terms` are the same (to 1e-4 relative) whether the
 * contrastive scores go through one matMul (`setPairMatmulMax` large) or through row dots
 * (`setPairMatmulMax(0)`), on a small synthetic set.
 */
export async function assertSameLossesThroughMatmul<C extends Record<string, unknown>>(
  spec: ModelSpec<C>,
  cfg: C,
  terms: readonly string[],
): Promise<void> {
  const ds = await loadDataset({ kind: "synthetic", users: 120, items: 90, seed: 3 });
  const split = coldItemSplit(ds, { seed: 0 });
  const losses = (max: number) => {
    const old = setPairMatmulMax(max);
    const m = spec.create(cfg, { dataset: ds, split, rng: new Rng(1) });
    try {
      return trainSteps(m, split, 3, { lr: 1e-2, batchSize: 32, seed: 9 });
    } finally {
      setPairMatmulMax(old);
      m.dispose();
    }
  };
  const a = losses(4096), b = losses(0);
  a.forEach((v, k) => {
    for (const key of terms) {
      const x = v[key], y = b[k][key];
      assert.ok(Number.isFinite(x) && Math.abs(x - y) <= 1e-4 * Math.abs(y), `${k} ${key}`);
    }
  });
}

/**
 * Asserts that a model, after a few training steps on the conformance set, scores a cold item
 * from its content alone: scoring one cold item gives the same column (to `tol`) as scoring it
 * among all the cold items.
 */
export async function assertColdColumnAlone<C extends Record<string, unknown>>(
  spec: ModelSpec<C>,
  cfg: C,
  tol: number,
): Promise<void> {
  const { ds, split } = await conformanceFixture();
  const model = spec.create(cfg, { dataset: ds, split, rng: new Rng(2), seed: 1 });
  try {
    trainSteps(model, split, 4, { batchSize: 64, seed: 3 });
    const users = split.trainUsers.slice(0, 40);
    const cold = Int32Array.from([...split.validItems, ...split.testItems]);
    const all = await model.scorer().score(users, cold);
    // Per-item work is row-independent: scoring one cold item alone gives the same column.
    const one = await model.scorer().score(users, cold.subarray(3, 4));
    assert.ok(all.every(Number.isFinite));
    one.forEach((v, r) => assert.ok(Math.abs(v - all[r * cold.length + 3]) < tol));
  } finally {
    model.dispose();
  }
}
