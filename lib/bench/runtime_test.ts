import assert from "node:assert/strict";
import { tf } from "../tf/mod.ts";
import { medianMs, runtimeBenchmarks } from "./runtime.ts";

Deno.test("medianMs: median of the measured runs, warm-up excluded", () => {
  let calls = 0;
  const ms = medianMs(() => calls++, 2, 5);
  assert.equal(calls, 7);
  assert.ok(ms >= 0 && ms < 50);
});

Deno.test("runtimeBenchmarks (quick) returns every figure, finite and positive, leak-free", async () => {
  const figures = await runtimeBenchmarks({ quick: true });
  const before = tf.memory().numTensors;
  assert.equal(figures.length, 7);
  for (const f of figures) {
    assert.ok(Number.isFinite(f.value) && f.value > 0, `${f.name}: ${f.value}`);
    assert.ok(f.unit.length > 0);
  }
  assert.ok(figures.some((f) => f.unit === "steps/s" && f.target === "≥ 15"));
  await runtimeBenchmarks({ quick: true });
  assert.equal(tf.memory().numTensors, before);
});
