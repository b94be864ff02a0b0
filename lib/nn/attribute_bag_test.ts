import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { gatherRows, initTf, tf } from "../tf/mod.ts";
import { attributeBag, meanPool } from "./attribute_bag.ts";
import { scatterRows } from "./ops.ts";

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

Deno.test("meanPool: the same floats as a gather and a segment sum, values and gradients", () => {
  // Random bags with repeated items, long bags and the none token; d not a multiple of 4.
  const rng = new Rng(7);
  const vocab = 40, d = 13, n = 300;
  const offsets = new Int32Array(n + 1), tokens: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = rng.uniform() < 0.1 ? 0 : 1 + rng.int(30);
    for (let t = 0; t < len; t++) tokens.push(rng.int(vocab));
    offsets[i + 1] = tokens.length;
  }
  const big = {
    vocab: Array.from({ length: vocab }, (_, t) => `t${t}`),
    offsets,
    tokens: Int32Array.from(tokens),
  };
  const items = Int32Array.from({ length: 500 }, () => rng.int(n));
  const bag = attributeBag(big, items);
  const table = tf.tensor2d(rng.normalArray((vocab + 1) * d), [vocab + 1, d]);
  const weights = tf.tensor2d(rng.normalArray(items.length * d), [items.length, d]);
  const reference = (t: tf.Tensor2D) => {
    const rows = gatherRows(t, tf.tensor1d(bag.tokens, "int32"));
    const sums = scatterRows(rows, tf.tensor1d(bag.rows, "int32"), bag.size);
    return tf.div(sums, tf.tensor2d(bag.counts, [bag.size, 1])) as tf.Tensor2D;
  };
  const loss = (pool: (t: tf.Tensor2D) => tf.Tensor2D) => (t: tf.Tensor) =>
    tf.sum(tf.mul(pool(t as tf.Tensor2D), weights));
  assert.deepEqual(meanPool(table, bag).dataSync(), reference(table).dataSync());
  const gFast = tf.grad(loss((t) => meanPool(t, bag)))(table).dataSync();
  const gRef = tf.grad(loss(reference))(table).dataSync();
  assert.deepEqual(gFast, gRef);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    tf.grad(loss((t) => meanPool(t, bag)))(table);
  });
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  tf.dispose([table, weights]);
});
