import assert from "node:assert/strict";
import {
  COLDREC_DEFAULTS,
  epochSeconds,
  PYTORCH_REFERENCE,
  pytorchReference,
  REFERENCE_EPOCH_INTERACTIONS,
  referenceRatio,
  referenceShape,
  TARGET_RATIO,
} from "./reference.ts";

Deno.test("the reference table: the four PyTorch figures at their shapes, one row each", () => {
  const byModel = Object.fromEntries(PYTORCH_REFERENCE.map((r) => [r.model, r]));
  assert.equal(PYTORCH_REFERENCE.length, Object.keys(byModel).length);
  assert.deepEqual(
    Object.fromEntries(PYTORCH_REFERENCE.map((r) => [r.model, r.interactionsPerSecond])),
    { clcrec: 741, ccfcrec: 3098, dropoutnet: 10646, m2vae: 1030 },
  );
  for (const m of ["clcrec", "ccfcrec", "dropoutnet"]) {
    assert.deepEqual(referenceShape(m), COLDREC_DEFAULTS);
  }
  assert.deepEqual(referenceShape("m2vae"), { batch: 1024, dim: 128 });
  assert.equal(REFERENCE_EPOCH_INTERACTIONS, 36_309);
  assert.equal(TARGET_RATIO, 2);
});

Deno.test("a model without a reference: none, measured at ColdRec's defaults", () => {
  assert.equal(pytorchReference("gar"), undefined);
  assert.deepEqual(referenceShape("gar"), { batch: 4096, dim: 64 });
});

Deno.test("referenceRatio and epochSeconds: the arithmetic and its guards", () => {
  assert.equal(referenceRatio(1482, pytorchReference("clcrec")!), 2);
  assert.ok(Math.abs(epochSeconds(36_309, 741) - 49.0) < 0.01);
  assert.throws(() => epochSeconds(100, 0), /throughput must be positive/);
  assert.throws(() => referenceRatio(NaN, pytorchReference("clcrec")!), /invalid throughput/);
});
