import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { ParamSet } from "./params.ts";

Deno.test("ParamSet: same seed gives the same initial values; count; duplicate names", async () => {
  await initTf();
  const make = (seed: number) => {
    const p = new ParamSet();
    const rng = new Rng(seed);
    p.dense("w", [3, 4], "glorot", rng.fork("w"));
    p.dense("b", [4], "zeros", rng.fork("b"));
    p.embedding("user", 10, 4, { normal: 0.1 }, rng.fork("user"));
    return p;
  };
  const a = make(5), b = make(5);
  assert.deepEqual(a.denseVars.get("w")!.dataSync(), b.denseVars.get("w")!.dataSync());
  assert.deepEqual(a.tables.get("user")!.data, b.tables.get("user")!.data);
  assert.equal(a.count(), 12 + 4 + 40);
  assert.throws(() => a.dense("user", [1], "zeros", new Rng(1)), /duplicate parameter name "user"/);
  assert.throws(() => a.embedding("w", 2, 2, "zeros", new Rng(1)), /duplicate/);
  a.dispose();
  b.dispose();
});

Deno.test("ParamSet: snapshot, change, restore gives the values back; no leaks", async () => {
  await initTf();
  const before = tf.memory().numTensors;
  const p = new ParamSet();
  const rng = new Rng(9);
  const w = p.dense("w", [2, 3], "glorot", rng);
  const t = p.embedding("item", 5, 2, { normal: 1 }, rng);
  const w0 = w.dataSync().slice(), t0 = t.data.slice();
  const snap = p.snapshot();
  const changed = tf.add(w, 1);
  w.assign(changed);
  changed.dispose();
  t.data.fill(7);
  assert.notDeepEqual(w.dataSync(), w0);
  p.restore(snap);
  assert.deepEqual(w.dataSync(), w0);
  assert.deepEqual(t.data, t0);
  // Restoring twice works, and disposing the snapshot keeps the restored values.
  const tripled = tf.mul(w, 3);
  w.assign(tripled);
  tripled.dispose();
  p.restore(snap);
  p.disposeSnapshot(snap);
  assert.deepEqual(w.dataSync(), w0);
  const other = new ParamSet();
  other.dense("v", [1], "zeros", rng);
  const otherSnap = other.snapshot();
  assert.throws(() => p.restore(otherSnap), /different parameter set|no usable value/);
  other.disposeSnapshot(otherSnap);
  other.dispose();
  p.dispose();
  assert.equal(tf.memory().numTensors, before);
});
