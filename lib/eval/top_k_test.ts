import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { tieOrder, TopK } from "./top_k.ts";

Deno.test("TopK matches a full sort with the hashed tie-break, in any offer order", () => {
  const rng = new Rng(9);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + rng.int(60), k = 1 + rng.int(12), query = rng.int(1000);
    // Few distinct values, so ties are common.
    const scores = Array.from({ length: n }, () => rng.int(5) / 4);
    const expected = [...Array(n).keys()]
      .sort((a, b) => scores[b] - scores[a] || tieOrder(query, a) - tieOrder(query, b))
      .slice(0, k);
    const order = rng.shuffle([...Array(n).keys()]);
    const top = new TopK(2, k);
    top.setQueries([7, query]);
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

Deno.test("TopK: ties do not follow the ids, so a constant scorer ranks like a random one", () => {
  // Among 1,000 tied candidates the top 100 are spread over the ids, not the 100 lowest; and
  // another query orders the same ties differently.
  const top = new TopK(2, 100);
  top.setQueries([3, 4]);
  for (let id = 0; id < 1000; id++) top.offer(0, id, 1), top.offer(1, id, 1);
  const first = [...top.ids(0)];
  const low = first.filter((id) => id < 100).length;
  assert.ok(low < 25, `${low} of the top 100 among the 100 lowest ids`);
  const mean = first.reduce((s, x) => s + x, 0) / first.length;
  assert.ok(Math.abs(mean - 500) < 100, `mean id ${mean}`);
  assert.notDeepEqual(first, [...top.ids(1)]);
  // The same query always gets the same order, whatever slot it sits in.
  const again = new TopK(1, 100);
  again.setQueries([3]);
  for (let id = 999; id >= 0; id--) again.offer(0, id, 1);
  assert.deepEqual([...again.ids(0)], first);
});
