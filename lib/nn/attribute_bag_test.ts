import assert from "node:assert/strict";
import { initTf, tf } from "../tf/mod.ts";
import { attributeBag, meanPool } from "./attribute_bag.ts";

await initTf();

// Item 0: tokens {0, 2}; item 1: none; item 2: {1}.
const attrs = {
  vocab: ["a", "b", "c"],
  offsets: Int32Array.of(0, 2, 2, 3),
  tokens: Int32Array.of(0, 2, 1),
};

Deno.test("attributeBag: an item without attributes gets the none token", () => {
  const bag = attributeBag(attrs, Int32Array.of(2, 1, 0));
  assert.deepEqual(Array.from(bag.tokens), [1, 3, 0, 2]);
  assert.deepEqual(Array.from(bag.rows), [0, 1, 2, 2]);
  assert.deepEqual(Array.from(bag.counts), [1, 1, 2]);
  assert.equal(bag.size, 3);
});

Deno.test("meanPool: the mean of each bag's rows, with a gradient to the table", () => {
  const table = tf.tensor2d([[1, 0], [0, 1], [3, 4], [9, 9]]);
  const bag = attributeBag(attrs, Int32Array.of(0, 1, 2));
  assert.deepEqual(meanPool(table, bag).arraySync(), [[2, 2], [9, 9], [0, 1]]);
  const g = tf.grad((t) => tf.sum(meanPool(t as tf.Tensor2D, bag)))(table).arraySync();
  assert.deepEqual(g, [[0.5, 0.5], [1, 1], [0.5, 0.5], [1, 1]]);
  table.dispose();
});
