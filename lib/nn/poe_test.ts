import assert from "node:assert/strict";
import { initTf, tf } from "../tf/mod.ts";
import { productOfExperts } from "./poe.ts";

await initTf();

const g = (mu: number[], lv: number[]) => ({
  mu: tf.tensor2d(mu, [1, mu.length]),
  logVar: tf.tensor2d(lv, [1, lv.length]),
});

function close(a: ArrayLike<number>, b: number[], tol = 1e-5): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) < tol, `${a[i]} vs ${b[i]}`);
}

Deno.test("PoE matches hand-computed precision-weighted values (Eqs. 6–7)", () => {
  // Expert 1: μ = 1, σ² = 1 (T = 1); expert 2: μ = 4, σ² = 0.5 (T = 2).
  // μ = (1·1 + 4·2) / 3 = 3; σ² = 1/3 → logσ² = −log 3.
  const a = g([1, -2], [0, Math.log(4)]), b = g([4, 0], [Math.log(0.5), Math.log(4)]);
  const out = productOfExperts([a, b], 0);
  close(out.mu.dataSync(), [3, -1]);
  close(out.logVar.dataSync(), [-Math.log(3), Math.log(2)]);
  tf.dispose([a.mu, a.logVar, b.mu, b.logVar, out.mu, out.logVar]);
});

Deno.test("PoE epsilon enters the precision; one expert is itself", () => {
  const a = g([2], [Math.log(0.25)]);
  const one = productOfExperts([a], 0.05);
  close(one.mu.dataSync(), [2]);
  close(one.logVar.dataSync(), [Math.log(0.25 + 0.05)]);
  tf.dispose([a.mu, a.logVar, one.mu, one.logVar]);
});

Deno.test("weighted PoE scales each expert's precision", () => {
  const a = g([1], [0]), b = g([4], [0]);
  const w = [tf.scalar(3), tf.scalar(1)];
  const out = productOfExperts([a, b], 0, w);
  close(out.mu.dataSync(), [(3 * 1 + 4) / 4]);
  close(out.logVar.dataSync(), [-Math.log(4)]);
  assert.throws(() => productOfExperts([a, b], 0, [w[0]]), RangeError);
  assert.throws(() => productOfExperts([], 0), RangeError);
  tf.dispose([a.mu, a.logVar, b.mu, b.logVar, out.mu, out.logVar, ...w]);
});
