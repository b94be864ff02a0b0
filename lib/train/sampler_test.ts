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
