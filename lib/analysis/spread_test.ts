import * as assert from "node:assert/strict";
import { degreeGroups, hitSpread } from "./spread.ts";
import type { ColdSplit } from "../split/types.ts";
import { functionScorer } from "./_scorer.ts";

// 12 users; cold test items 10 (users 0–7), 11 (users 8, 9) and 12 (user 10).
function split(): ColdSplit {
  const test = {
    users: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    items: Int32Array.from([10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 12]),
  };
  return {
    numUsers: 12,
    numItems: 13,
    trainItems: Int32Array.from({ length: 10 }, (_, i) => i),
    validItems: new Int32Array(0),
    testItems: Int32Array.from([10, 11, 12]),
    train: { users: Int32Array.from({ length: 12 }, (_, u) => u), items: new Int32Array(12) },
    valid: { users: new Int32Array(0), items: new Int32Array(0) },
    test,
    trainUsers: Int32Array.from({ length: 12 }, (_, u) => u),
    description: "hand-made",
    fingerprint: "x",
  };
}

const scorer = functionScorer;

Deno.test("degreeGroups: powers of two, the open last group merged until it holds its share", () => {
  assert.deepEqual(degreeGroups(Int32Array.from([1, 1, 2, 5, 9]), 0.3), [[1, 1], [2, 3], [
    4,
    Infinity,
  ]]);
  assert.deepEqual(degreeGroups(Int32Array.from([1, 1, 2, 5, 9]), 0), [
    [1, 1],
    [2, 3],
    [4, 7],
    [8, Infinity],
  ]);
  // Empty power-of-two groups are left out.
  assert.deepEqual(degreeGroups(Int32Array.from([1, 40]), 0), [[1, 1], [32, Infinity]]);
  assert.deepEqual(degreeGroups(Int32Array.from([3, 3]), 0.5), [[2, Infinity]]);
  assert.throws(() => degreeGroups(new Int32Array(0)), RangeError);
  assert.throws(() => degreeGroups(Int32Array.from([0, 2])), RangeError);
});

Deno.test("hitSpread: level by HR@2, apart by reach and NDCG; per group of items; distinct users", async () => {
  const s = split();
  // Every item ranks users 0, 1 first: two hits on item 10, none elsewhere.
  const piled = await hitSpread(scorer((u) => -u), s, "test", { ks: [2] });
  // Items 10 and 11 rank one of their own users first, then user 11 (no item's); item 12 ranks
  // user 11 first, then user 0: one hit on each of two items, the same 2 / (3 × 2) HR@2.
  const own: Record<number, number> = { 10: 0, 11: 8 };
  const spread = await hitSpread(
    scorer((u, i) => (u === own[i] ? 2 : u === 11 ? 1 : 0)),
    s,
    "test",
    {
      ks: [2],
    },
  );
  assert.equal(piled.overall["HR@2"], 2 / 6);
  assert.equal(spread.overall["HR@2"], 2 / 6);
  assert.equal(piled.overall["Reach@2"], 1 / 3);
  assert.equal(spread.overall["Reach@2"], 2 / 3);
  assert.equal(piled.overall["HitsPerReached@2"], 2);
  assert.equal(spread.overall["HitsPerReached@2"], 1);
  assert.ok(spread.overall["NDCG@2"] > piled.overall["NDCG@2"]);
  // Users 0 and 1 top every item: 2 distinct of 6 places; the other lists hold users 0, 8, 11.
  assert.equal(piled.overall["Distinct@2"], 2 / 6);
  assert.equal(spread.overall["Distinct@2"], 3 / 6);
  // Groups by the items' number of users: 1 (item 12), 2–3 (item 11), 8+ (item 10).
  assert.deepEqual(piled.groups.map((g) => [g.lo, g.hi, g.items]), [[1, 1, 1], [2, 3, 1], [
    8,
    Infinity,
    1,
  ]]);
  assert.deepEqual(piled.groups.map((g) => g.metrics["Reach@2"]), [0, 0, 1]);
  assert.deepEqual(spread.groups.map((g) => g.metrics["Reach@2"]), [0, 1, 1]);
  assert.deepEqual(piled.ks, [2]);
});
