import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { conformanceFixture, conformanceTests } from "./_conformance.ts";
import { randomSpec } from "./random.ts";

conformanceTests(randomSpec, {}, { trains: false });

Deno.test("Random: scores in [0, 1), fixed by the seed, the same whatever else is scored with them", async () => {
  const { ds, split } = await conformanceFixture();
  const build = (seed: number) => randomSpec.create({}, { dataset: ds, split, rng: new Rng(seed) });
  const users = split.trainUsers, cold = split.testItems;
  const a = await build(1).scorer().score(users, cold);
  assert.ok(a.every((s) => s >= 0 && s < 1));
  assert.deepEqual(await build(1).scorer().score(users, cold), a);
  assert.notDeepEqual(await build(2).scorer().score(users, cold), a);
  // One pair scored alone gets its score from the full grid.
  const u = 5, i = 3;
  const alone = await build(1).scorer().score(users.subarray(u, u + 1), cold.subarray(i, i + 1));
  assert.equal(alone[0], a[u * cold.length + i]);
});

Deno.test("Random: uniform over the pairs (mean ≈ 1/2, variance ≈ 1/12)", async () => {
  const { ds, split } = await conformanceFixture();
  const m = randomSpec.create({}, { dataset: ds, split, rng: new Rng(3) });
  const s = await m.scorer().score(
    split.trainUsers,
    Int32Array.from({ length: split.numItems }, (_, i) => i),
  );
  const mean = s.reduce((x, y) => x + y, 0) / s.length;
  const variance = s.reduce((x, y) => x + (y - mean) ** 2, 0) / s.length;
  assert.ok(s.length > 20000, `${s.length} pairs`);
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.005, `variance ${variance}`);
});
