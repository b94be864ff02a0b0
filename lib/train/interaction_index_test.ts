import assert from "node:assert/strict";
import {
  buildAdjacency,
  buildInteractionIndex,
  hasNeighbour,
  neighbours,
} from "./interaction_index.ts";

Deno.test("buildAdjacency sorts each node's neighbours and leaves empty nodes empty", () => {
  const adj = buildAdjacency(Int32Array.of(1, 0, 1, 3), Int32Array.of(5, 3, 2, 7), 4);
  assert.deepEqual([...adj.offsets], [0, 1, 3, 3, 4]);
  assert.deepEqual([...adj.values], [3, 2, 5, 7]);
  assert.deepEqual([...neighbours(adj, 2)], []);
  assert.ok(hasNeighbour(adj, 1, 5) && hasNeighbour(adj, 1, 2) && !hasNeighbour(adj, 1, 3));
  assert.ok(!hasNeighbour(adj, 2, 0));
});

Deno.test("buildInteractionIndex: by-user side equals buildAdjacency, by-item its transpose", () => {
  const users = Int32Array.of(0, 2, 1, 0, 2), items = Int32Array.of(4, 1, 1, 0, 3);
  const index = buildInteractionIndex({ users, items }, 3, 5);
  assert.deepEqual(index.byUser, buildAdjacency(users, items, 3));
  for (let u = 0; u < 3; u++) {
    for (const i of neighbours(index.byUser, u)) assert.ok(hasNeighbour(index.byItem, i, u));
  }
  assert.equal(index.byItem.values.length, users.length);
});
