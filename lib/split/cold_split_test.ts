import assert from "node:assert/strict";
import { DataError } from "../data/errors.ts";
import { tinyDataset } from "./_test_utils.ts";
import { coldItemSplit } from "./cold_split.ts";
import type { ColdSplit } from "./types.ts";

function itemSetOf(items: Int32Array): Set<number> {
  return new Set(items);
}

function checkInvariants(split: ColdSplit, interacted: Set<number>) {
  const tr = itemSetOf(split.trainItems), va = itemSetOf(split.validItems);
  const te = itemSetOf(split.testItems);
  // Disjoint and covering exactly the interacted items.
  for (const i of va) assert.ok(!tr.has(i) && !te.has(i), `valid item ${i} in another part`);
  for (const i of te) assert.ok(!tr.has(i), `test item ${i} in train`);
  assert.equal(tr.size + va.size + te.size, interacted.size);
  for (const i of interacted) assert.ok(tr.has(i) || va.has(i) || te.has(i));
  // Cold items have no training interactions; every pair follows its item.
  for (const i of split.train.items) assert.ok(tr.has(i), `training pair on non-train item ${i}`);
  for (const i of split.valid.items) assert.ok(va.has(i));
  for (const i of split.test.items) assert.ok(te.has(i));
  // Sorted parts, trainUsers = users of the training pairs.
  for (const a of [split.trainItems, split.validItems, split.testItems, split.trainUsers]) {
    for (let k = 1; k < a.length; k++) assert.ok(a[k - 1] < a[k], "not strictly sorted");
  }
  assert.deepEqual([...split.trainUsers], [...new Set(split.train.users)].sort((a, b) => a - b));
}

Deno.test("coldItemSplit: disjoint parts cover the interacted items; cold items have no training rows", () => {
  const ds = tinyDataset(60, 130, 6, 1, 120); // items 120..129 never interacted with
  const split = coldItemSplit(ds, { seed: 3 });
  const interacted = new Set(ds.interactions.items);
  assert.equal(interacted.size <= 120, true);
  checkInvariants(split, interacted);
  for (let i = 120; i < 130; i++) {
    assert.ok(![split.trainItems, split.validItems, split.testItems].some((a) => a.includes(i)));
  }
  assert.equal(
    split.train.users.length + split.valid.users.length + split.test.users.length,
    ds.interactions.users.length,
  );
  assert.match(split.description, /^item split 70\/15\/15 seed=3 \(\d+ of 130 items without/);
  assert.match(split.fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(split.numUsers, 60);
  assert.equal(split.numItems, 130);
});

Deno.test("coldItemSplit: ratios are respected within one item", () => {
  const ds = tinyDataset(80, 301, 8, 2);
  const n = new Set(ds.interactions.items).size;
  for (const ratios of [[0.7, 0.15, 0.15], [0.5, 0.3, 0.2], [0.8, 0.1, 0.1]] as const) {
    const split = coldItemSplit(ds, { seed: 5, ratios: [...ratios] });
    const got = [split.trainItems.length, split.validItems.length, split.testItems.length];
    got.forEach((g, p) => assert.ok(Math.abs(g - n * ratios[p]) <= 1, `${g} vs ${n * ratios[p]}`));
  }
});

Deno.test("coldItemSplit: same seed gives the same split, another seed another one", () => {
  const ds = tinyDataset(50, 200, 5, 4);
  const a = coldItemSplit(ds, { seed: 11 }), b = coldItemSplit(ds, { seed: 11 });
  const c = coldItemSplit(ds, { seed: 12 });
  assert.equal(a.fingerprint, b.fingerprint);
  assert.deepEqual(a.testItems, b.testItems);
  assert.notEqual(a.fingerprint, c.fingerprint);
  assert.notDeepEqual(a.testItems, c.testItems);
});

Deno.test("coldItemSplit: bad ratios are rejected with a RangeError naming ratios", () => {
  const ds = tinyDataset(20, 50, 4, 1);
  const bad: [number, number, number][] = [
    [0.7, 0.2, 0.2],
    [0.8, 0.2, 0],
    [1.2, -0.1, -0.1],
    [NaN, 0.5, 0.5],
  ];
  for (const ratios of bad) {
    assert.throws(() => coldItemSplit(ds, { seed: 1, ratios }), (e: unknown) => {
      return e instanceof RangeError && /ratios/.test(e.message);
    });
  }
  assert.throws(
    () => coldItemSplit(ds, { seed: 1, ratios: [0.5, 0.5] as unknown as [number, number, number] }),
    /ratios/,
  );
  // Within the ±1e-6 tolerance is accepted.
  coldItemSplit(ds, { seed: 1, ratios: [0.7, 0.15, 0.1500005] });
});

Deno.test("coldItemSplit: a part that would be empty is an error", () => {
  const ds = tinyDataset(5, 4, 1, 1, 3); // at most 3 interacted items
  assert.throws(() => coldItemSplit(ds, { seed: 1 }), (e: unknown) => {
    return e instanceof DataError && /non-empty/.test(e.message);
  });
});
