import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { TopK } from "./top_k.ts";

Deno.test("TopK matches a full sort with lower-id tie-break, in any offer order", () => {
  const rng = new Rng(9);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + rng.int(60), k = 1 + rng.int(12);
    // Few distinct values, so ties are common.
    const scores = Array.from({ length: n }, () => rng.int(5) / 4);
    const expected = [...Array(n).keys()]
      .sort((a, b) => scores[b] - scores[a] || a - b)
      .slice(0, k);
    const order = rng.shuffle([...Array(n).keys()]);
    const top = new TopK(2, k);
    for (const id of order) {
      if (!(scores[id] < top.threshold[1])) top.offer(1, id, scores[id]);
    }
    assert.deepEqual([...top.ids(1)], expected);
    assert.equal(top.count(0), 0);
    top.reset();
    assert.equal(top.count(1), 0);
  }
});

Deno.test("TopK never keeps -Infinity and rejects NaN", () => {
  const top = new TopK(1, 3);
  top.offer(0, 0, -Infinity);
  top.offer(0, 1, -1e30);
  top.offer(0, 2, -Infinity);
  assert.deepEqual([...top.ids(0)], [1]);
  assert.throws(() => top.offer(0, 3, NaN), /NaN/);
  assert.throws(() => new TopK(1, 0), RangeError);
});
