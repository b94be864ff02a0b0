import assert from "node:assert/strict";
import { Rng } from "./seeded.ts";

Deno.test("Rng gives the same stream for the same seed", () => {
  const a = new Rng(7), b = new Rng(7), c = new Rng(8);
  const xs = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.uniform()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.uniform()));
});

Deno.test("Rng.normal has mean 0 and variance 1", () => {
  const r = new Rng(1);
  const n = 20000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / n) < 0.03);
  assert.ok(Math.abs(s2 / n - 1) < 0.05);
});

Deno.test("Rng.fork streams are reproducible and distinct", () => {
  const r = new Rng(3);
  assert.equal(r.fork("a").uniform(), new Rng(3).fork("a").uniform());
  assert.notEqual(r.fork("a").uniform(), r.fork("b").uniform());
  assert.throws(() => new Rng(NaN), RangeError);
});

Deno.test("Rng.setState continues a generator and its forks, including forks made later", () => {
  const straight = new Rng(9);
  const a = straight.fork("model"), b = a.fork("noise");
  for (let i = 0; i < 5; i++) [a.uniform(), b.normal()];
  const saved = JSON.parse(JSON.stringify(straight.state()));
  const later = straight.fork("train"); // forked after the save point in the straight run
  const expect = [a.uniform(), b.normal(), later.uniform(), later.fork("sampler").int(1000)];

  const resumed = new Rng(9);
  const a2 = resumed.fork("model"), b2 = a2.fork("noise");
  resumed.setState(saved);
  const later2 = resumed.fork("train");
  assert.deepEqual(
    [a2.uniform(), b2.normal(), later2.uniform(), later2.fork("sampler").int(1000)],
    expect,
  );
  // Without the restore the streams differ, so the test can fail.
  assert.notEqual(new Rng(9).fork("model").uniform(), expect[0]);
  assert.throws(() => resumed.setState({ s: [1, 2], spare: null, children: [] }), RangeError);
});
