import assert from "node:assert/strict";
import { buildAttributeCsr } from "./attribute_csr.ts";
import { uniquePairs } from "./pairs.ts";

Deno.test("uniquePairs keeps first occurrences in input order and only reads n entries", () => {
  const u = Int32Array.of(2, 0, 2, 1, 0, 9), i = Int32Array.of(1, 0, 1, 1, 0, 9);
  const r = uniquePairs(u, i, 5, 3);
  assert.deepEqual([Array.from(r.users), Array.from(r.items), r.dropped], [
    [2, 0, 1],
    [1, 0, 1],
    2,
  ]);
  const none = uniquePairs(Int32Array.of(0, 1), Int32Array.of(1, 0), 2, 2);
  assert.deepEqual([Array.from(none.users), none.dropped], [[0, 1], 0]);
});

Deno.test("buildAttributeCsr dedups within items and applies the item-frequency cut", () => {
  const toks = [["b", "a", "b"], undefined, ["a", "c"], ["c"]];
  const r = buildAttributeCsr(4, (k) => toks[k], 2);
  assert.deepEqual(r.attributes.vocab, ["a", "c"]);
  assert.deepEqual(Array.from(r.attributes.offsets), [0, 1, 1, 3, 4]);
  assert.deepEqual(Array.from(r.attributes.tokens), [0, 0, 1, 1]);
  assert.deepEqual([r.distinctTokens, r.droppedPairs], [3, 1]);
});
