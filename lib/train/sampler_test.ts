import assert from "node:assert/strict";
import { loadDataset } from "../data/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { buildInteractionIndex, hasNeighbour, neighbours } from "./interaction_index.ts";
import { epochBatches } from "./sampler.ts";

const ds = await loadDataset({ kind: "synthetic", users: 200, items: 150, seed: 3 });
const split = coldItemSplit(ds, { seed: 0 });
const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
const needs = { negUsers: true, cp: 3, cn: 5 };
const epoch = (seed: number) => [
  ...epochBatches(split.train, index, split.trainItems, split.trainUsers, 64, needs, new Rng(seed)),
];

Deno.test("epochBatches covers every training pair once per epoch", () => {
  const batches = epoch(1);
  const total = batches.reduce((s, b) => s + b.users.length, 0);
  assert.equal(total, split.train.users.length);
  const seen = new Set<string>();
  for (const b of batches) {
    for (let r = 0; r < b.users.length; r++) seen.add(`${b.users[r]},${b.items[r]}`);
  }
  assert.equal(seen.size, split.train.users.length);
});

Deno.test("sampled negatives, negative users and co-occurring items obey their definitions", () => {
  const warm = new Set(split.trainItems);
  let violations = 0;
  for (const b of epoch(2)) {
    for (let r = 0; r < b.users.length; r++) {
      const u = b.users[r], i = b.items[r];
      assert.ok(hasNeighbour(index.byUser, u, i), "anchor is a training pair");
      if (hasNeighbour(index.byItem, i, b.negUsers[r])) violations++;
      for (let c = 0; c < b.cp; c++) {
        const j = b.posItems[r * b.cp + c];
        assert.ok(hasNeighbour(index.byUser, u, j), "co-occurring item belongs to the user");
        if (neighbours(index.byUser, u).length > 1) assert.notEqual(j, i);
      }
      for (let c = 0; c < b.cn; c++) {
        const j = b.negItems[r * b.cn + c];
        assert.ok(warm.has(j), "negatives are warm items");
        if (hasNeighbour(index.byUser, u, j)) violations++;
      }
    }
  }
  assert.equal(violations, 0);
});

Deno.test("epochBatches is reproducible per seed", () => {
  const a = epoch(5), b = epoch(5), c = epoch(6);
  assert.deepEqual(a[0].negItems, b[0].negItems);
  assert.deepEqual(a[3].users, b[3].users);
  assert.notDeepEqual(a[0].users, c[0].users);
});

/** The sampler as first written: every negative draw binary-searches the user's items. */
function referenceEpoch(seed: number, n: typeof needs, batchSize: number) {
  const rng = new Rng(seed);
  const order = new Int32Array(split.train.users.length).map((_, k) => k);
  rng.shuffle(order);
  const out: { negUsers: number[]; posItems: number[]; negItems: number[] }[] = [];
  const users = split.trainUsers, warm = split.trainItems;
  for (let start = 0; start < order.length; start += batchSize) {
    const b = { negUsers: [] as number[], posItems: [] as number[], negItems: [] as number[] };
    for (const row of order.subarray(start, start + batchSize)) {
      const u = split.train.users[row], i = split.train.items[row];
      if (n.negUsers) {
        let v = users[rng.int(users.length)];
        for (let t = 0; t < 50 && hasNeighbour(index.byItem, i, v); t++) {
          v = users[rng.int(users.length)];
        }
        b.negUsers.push(v);
      }
      const mine = neighbours(index.byUser, u);
      for (let c = 0; c < n.cp; c++) {
        let j = mine[rng.int(mine.length)];
        for (let t = 0; t < 50 && j === i && mine.length > 1; t++) j = mine[rng.int(mine.length)];
        b.posItems.push(j);
      }
      for (let c = 0; c < n.cn; c++) {
        let j = warm[rng.int(warm.length)];
        for (let t = 0; t < 50 && hasNeighbour(index.byUser, u, j); t++) {
          j = warm[rng.int(warm.length)];
        }
        b.negItems.push(j);
      }
    }
    out.push(b);
  }
  return out;
}

Deno.test("negative items drawn through the marked user items are the draws of a binary search", () => {
  // cn 1 searches for every user with more than 4 items, cn 64 marks every user's items: both
  // paths, and a mix of them within one batch at cn 5.
  const degrees = Array.from(
    { length: split.numUsers },
    (_, u) => neighbours(index.byUser, u).length,
  );
  assert.ok(Math.max(...degrees) > 4 * 5 && Math.min(...degrees.filter((d) => d > 0)) <= 4 * 5);
  for (const cn of [1, 5, 64]) {
    const n = { negUsers: true, cp: 2, cn };
    const got = [
      ...epochBatches(split.train, index, split.trainItems, split.trainUsers, 64, n, new Rng(9)),
    ];
    const want = referenceEpoch(9, n, 64);
    assert.equal(got.length, want.length);
    for (const [k, b] of got.entries()) {
      assert.deepEqual([...b.negItems], want[k].negItems, `cn ${cn}, batch ${k}`);
      assert.deepEqual([...b.negUsers], want[k].negUsers);
      assert.deepEqual([...b.posItems], want[k].posItems);
    }
  }
});
