import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import {
  attentionPool,
  type AttributeAttention,
  createAttributeAttention,
} from "./attention_pool.ts";
import { ParamSet } from "./params.ts";

await initTf();

// Bag 0 = {2}; bag 1 = {1, 3}; bag 2 = {0, 0} (equal rows: the pool is that row).
const bag = {
  tokens: Int32Array.of(2, 1, 3, 0, 0),
  rows: Int32Array.of(0, 1, 1, 2, 2),
  counts: Float32Array.of(1, 2, 2),
  size: 3,
};

function attention(): AttributeAttention {
  const rng = new Rng(3);
  return {
    table: tf.variable(tf.tensor2d(rng.normalArray(4 * 3), [4, 3])),
    w1: tf.variable(tf.tensor2d(rng.normalArray(9), [3, 3])),
    b1: tf.variable(tf.zeros([3])),
    w2: tf.variable(tf.tensor2d(rng.normalArray(3), [3, 1])),
  };
}

for (const distinct of [false, true]) {
  Deno.test(`attention pooling (distinct ${distinct}): a one-token bag is its row, a mix is convex`, () => {
    const att = attention();
    const out = tf.tidy(() => attentionPool(att, bag, distinct).arraySync());
    const t = att.table.arraySync() as number[][];
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(out[0][c] - t[2][c]) < 1e-5);
      assert.ok(Math.abs(out[2][c] - t[0][c]) < 1e-5);
      const lo = Math.min(t[1][c], t[3][c]), hi = Math.max(t[1][c], t[3][c]);
      assert.ok(out[1][c] >= lo - 1e-5 && out[1][c] <= hi + 1e-5, "a convex combination");
    }
    tf.dispose(Object.values(att));
  });
}

Deno.test("per-token and per-distinct-token attention agree, in value and table gradient", () => {
  const att = attention();
  const f = (distinct: boolean) =>
    tf.tidy(() => {
      const value = attentionPool(att, bag, distinct);
      const g = tf.grad((t) =>
        tf.sum(attentionPool({ ...att, table: t as tf.Variable }, bag, distinct))
      )(
        att.table,
      );
      return [Array.from(value.dataSync()), Array.from(g.dataSync())];
    });
  const [a, b] = [f(false), f(true)];
  for (let k = 0; k < 2; k++) {
    a[k].forEach((v, i) => assert.ok(Math.abs(v - b[k][i]) < 1e-5, `${v} vs ${b[k][i]}`));
  }
  tf.dispose(Object.values(att));
});

Deno.test("createAttributeAttention names its parameters and adds a none row", () => {
  const p = new ParamSet();
  const att = createAttributeAttention(p, "attr", 5, 4, 3, new Rng(1));
  assert.deepEqual([...p.denseVars.keys()], ["attr.table", "attr.w1", "attr.b1", "attr.w2"]);
  assert.deepEqual([att.table.shape, att.w1.shape, att.w2.shape], [[6, 4], [4, 3], [3, 1]]);
  p.dispose();
});
