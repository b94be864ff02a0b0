import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { fans, initValues } from "./init.ts";

Deno.test("initValues: same seed gives the same values, another seed other values", () => {
  for (const init of ["glorot", { normal: 0.1 }] as const) {
    const a = initValues([4, 5], init, new Rng(3));
    assert.deepEqual(a, initValues([4, 5], init, new Rng(3)));
    assert.notDeepEqual(a, initValues([4, 5], init, new Rng(4)));
  }
});

Deno.test("initValues: glorot-uniform bounds and spread", () => {
  const [fanIn, fanOut] = [300, 100];
  const x = initValues([fanIn, fanOut], "glorot", new Rng(1));
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  let max = 0, s2 = 0;
  for (const v of x) {
    max = Math.max(max, Math.abs(v));
    s2 += v * v;
  }
  assert.ok(max <= limit && max > 0.95 * limit, `max ${max} vs limit ${limit}`);
  const variance = s2 / x.length; // U(-l, l) has variance l²/3
  assert.ok(Math.abs(variance / (limit * limit / 3) - 1) < 0.05, `variance ${variance}`);
  assert.deepEqual(fans([3, 4, 5, 6]), { fanIn: 5 * 12, fanOut: 6 * 12 });
  assert.deepEqual(fans([7]), { fanIn: 7, fanOut: 7 });
});

Deno.test("initValues: constants, normal std and explicit values", () => {
  assert.deepEqual(Array.from(initValues([2, 2], "zeros", new Rng(1))), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(initValues([3], "ones", new Rng(1))), [1, 1, 1]);
  const n = initValues([20000], { normal: 0.5 }, new Rng(2));
  const sd = Math.sqrt(n.reduce((a, v) => a + v * v, 0) / n.length);
  assert.ok(Math.abs(sd - 0.5) < 0.02, `sd ${sd}`);
  const given = new Float32Array([1, 2, 3, 4, 5, 6]);
  const copy = initValues([2, 3], given, new Rng(1));
  assert.deepEqual(copy, given);
  copy[0] = 9;
  assert.equal(given[0], 1, "explicit values are copied");
});

Deno.test("initValues: bad input throws RangeError", () => {
  assert.throws(() => initValues([2, 3], new Float32Array(5), new Rng(1)), RangeError);
  assert.throws(() => initValues([2, -1], "zeros", new Rng(1)), RangeError);
  assert.throws(() => initValues([2], { normal: -1 }, new Rng(1)), RangeError);
});
