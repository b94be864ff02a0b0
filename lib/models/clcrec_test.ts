import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf } from "../tf/mod.ts";
import { clcrecSpec, contentMask } from "./clcrec.ts";
import { conformanceTests } from "./_conformance.ts";

await initTf();
const cfg = { ...clcrecSpec.defaults, negatives: 16, dim: 16, hidden: 32, attrDim: 16 };

conformanceTests(clcrecSpec, cfg, { itemTable: "item" });

Deno.test("contentMask: randint marks ≈ 1 − e^(−numSample) of the positions, bernoulli ≈ numSample", () => {
  const n = 20000;
  const frac = (mixing: string) =>
    contentMask(n, 0.5, new Rng(3), mixing).reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(frac("randint") - (1 - Math.exp(-0.5))) < 0.01, `${frac("randint")}`);
  assert.ok(Math.abs(frac("bernoulli") - 0.5) < 0.01, `${frac("bernoulli")}`);
});
