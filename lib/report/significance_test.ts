import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import {
  bootstrapGain,
  bootstrapMean,
  holmAdjust,
  incompleteBeta,
  pairedTTest,
  studentTwoSidedP,
} from "./significance.ts";

function close(actual: number, expected: number, tol: number, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what} expected ${expected} ± ${tol}, got ${actual}`,
  );
}

Deno.test("incompleteBeta: known values", () => {
  // I_0.5(2, 3) = Σ_{j=2..4} C(4, j) / 2^4 = (6 + 4 + 1) / 16.
  close(incompleteBeta(0.5, 2, 3), 0.6875, 1e-12);
  // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b.
  close(incompleteBeta(0.3, 4, 1), 0.3 ** 4, 1e-12);
  close(incompleteBeta(0.3, 1, 5), 1 - 0.7 ** 5, 1e-12);
  // I_x(1/2, 1/2) = (2/π) asin(√x) (the arcsine distribution).
  close(incompleteBeta(0.2, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(0.2)), 1e-10);
  // Both branches of the continued fraction (x below and above (a+1)/(a+b+2)).
  close(incompleteBeta(0.9, 2, 3), 1 - incompleteBeta(0.1, 3, 2), 1e-12);
});

Deno.test("incompleteBeta: I_x(1, 1) = x and the ends are 0 and 1", () => {
  for (const x of [0.01, 0.25, 0.5, 0.75, 0.99]) close(incompleteBeta(x, 1, 1), x, 1e-12, `x=${x}`);
  assert.equal(incompleteBeta(0, 2, 3), 0);
  assert.equal(incompleteBeta(-1, 2, 3), 0);
  assert.equal(incompleteBeta(1, 2, 3), 1);
  assert.equal(incompleteBeta(2, 2, 3), 1);
});

Deno.test("incompleteBeta: symmetry I_x(a, b) = 1 − I_{1−x}(b, a) and monotone in x", () => {
  for (const [a, b] of [[2, 3], [0.5, 7], [10, 1.5], [2.5, 0.5]]) {
    let prev = 0;
    for (const x of [0.05, 0.2, 0.4, 0.6, 0.8, 0.95]) {
      const v = incompleteBeta(x, a, b);
      close(v, 1 - incompleteBeta(1 - x, b, a), 1e-12, `a=${a} b=${b} x=${x}`);
      assert.ok(v > prev && v < 1, `not increasing at a=${a} b=${b} x=${x}`);
      prev = v;
    }
  }
});

Deno.test("studentTwoSidedP: critical values of the t table", () => {
  close(studentTwoSidedP(2.776, 4), 0.05, 0.001, "t=2.776 df=4");
  close(studentTwoSidedP(12.706, 1), 0.05, 0.001, "t=12.706 df=1");
  close(studentTwoSidedP(2.571, 5), 0.05, 0.001, "t=2.571 df=5");
  close(studentTwoSidedP(4.604, 4), 0.01, 0.0005, "t=4.604 df=4");
  assert.equal(studentTwoSidedP(0, 5), 1);
  // Symmetric in t; infinite t gives 0.
  assert.equal(studentTwoSidedP(-2.776, 4), studentTwoSidedP(2.776, 4));
  assert.equal(studentTwoSidedP(Infinity, 3), 0);
});

Deno.test("studentTwoSidedP: closed forms for df = 1 and df = 2", () => {
  for (const t of [0.3, 1, 2.5, 7]) {
    // df 1 (Cauchy): p = 1 − (2/π) atan|t|; df 2: p = 1 − |t| / √(2 + t²).
    close(studentTwoSidedP(t, 1), 1 - (2 / Math.PI) * Math.atan(t), 1e-10, `df=1 t=${t}`);
    close(studentTwoSidedP(t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-10, `df=2 t=${t}`);
  }
});

Deno.test("pairedTTest: hand-computed example", () => {
  // d = a − b = [2, 3, 1, 4]: mean 2.5; squared deviations 0.25 + 0.25 + 2.25 + 2.25 = 5,
  // sd = √(5/3); t = 2.5 / (sd / √4) = 2.5 / 0.645497 = √15 ≈ 3.873, df = 3.
  // Student df 3: p = 1 − (2/π)(θ + sinθ·cosθ), θ = atan(t/√3) = atan(√5), sinθ·cosθ = √5/6,
  // so p ≈ 1 − (2/π)(1.150262 + 0.372678) ≈ 0.03047.
  const r = pairedTTest([5, 7, 9, 6], [3, 4, 8, 2]);
  assert.equal(r.n, 4);
  close(r.meanDiff, 2.5, 1e-12);
  close(r.t, Math.sqrt(15), 1e-12);
  const theta = Math.atan(Math.sqrt(5));
  close(r.p, 1 - (2 / Math.PI) * (theta + Math.sqrt(5) / 6), 1e-10);
  close(r.p, 0.03047, 1e-4);
  // Swapping the samples flips t, not p.
  const s = pairedTTest([3, 4, 8, 2], [5, 7, 9, 6]);
  close(s.t, -Math.sqrt(15), 1e-12);
  close(s.p, r.p, 1e-15);
});

Deno.test("pairedTTest: too few pairs give p = 1", () => {
  const one = pairedTTest([0.5], [0.1]);
  assert.equal(one.n, 1);
  assert.equal(one.p, 1);
  close(one.meanDiff, 0.4, 1e-12);
  assert.ok(Number.isNaN(one.t));
  const none = pairedTTest([], []);
  assert.equal(none.p, 1);
  assert.equal(none.meanDiff, 0);
});

Deno.test("pairedTTest: zero variance of differences", () => {
  // Constant nonzero difference: infinitely significant.
  const r = pairedTTest([1.5, 2.5, 3.5], [1, 2, 3]);
  assert.equal(r.p, 0);
  assert.equal(r.t, Infinity);
  // Identical samples: no evidence at all.
  const same = pairedTTest([1, 2, 3], [1, 2, 3]);
  assert.equal(same.p, 1);
  assert.equal(same.t, 0);
});

Deno.test("pairedTTest: length mismatch throws", () => {
  assert.throws(() => pairedTTest([1, 2, 3], [1, 2]), RangeError);
});

Deno.test("bootstrapMean: seeded, about the normal interval's width, p small only away from 0", () => {
  const rng = new Rng(3);
  const x = Array.from({ length: 400 }, () => rng.normal());
  const a = bootstrapMean(x, new Rng(7)), b = bootstrapMean(x, new Rng(7));
  assert.deepEqual(a, b);
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (x.length - 1));
  assert.ok(Math.abs(a.mean - mean) < 1e-12);
  assert.ok(a.lo < a.mean && a.mean < a.hi);
  // The percentile interval of a mean of 400 normals: ± 1.96 sd / √n, within 10 %.
  const width = (2 * 1.96 * sd) / Math.sqrt(x.length);
  assert.ok(Math.abs(a.hi - a.lo - width) < 0.1 * width, `${a.hi - a.lo} against ${width}`);
  // Centred values: a large p; shifted by 3 standard errors: a small one.
  const centred = bootstrapMean(x.map((v) => v - mean), new Rng(1));
  assert.ok(centred.p > 0.8, `${centred.p}`);
  const shifted = bootstrapMean(
    x.map((v) => v - mean + (3 * sd) / Math.sqrt(x.length)),
    new Rng(1),
  );
  assert.ok(shifted.p < 0.02 && shifted.lo > 0, `${shifted.p}`);
  // A constant: a point interval, p at its floor.
  assert.deepEqual(bootstrapMean([0.5, 0.5, 0.5], new Rng(1), { resamples: 200 }), {
    n: 3,
    mean: 0.5,
    lo: 0.5,
    hi: 0.5,
    level: 0.95,
    p: 1 / 200,
  });
  assert.throws(() => bootstrapMean([], new Rng(1)), RangeError);
  assert.throws(() => bootstrapMean([1], new Rng(1), { resamples: 10 }), RangeError);
  assert.throws(() => bootstrapMean([1], new Rng(1), { level: 1 }), RangeError);
});

Deno.test("bootstrapGain: the table's Impr. with an interval over the queries, drawn jointly", () => {
  const g = bootstrapGain([0.3, 0.2, 0.4], [0.2, 0.2, 0.2], new Rng(1))!;
  assert.ok(Math.abs(g.gain - 50) < 1e-9);
  assert.ok(g.lo <= g.gain && g.gain <= g.hi);
  // Ours = base × 1.1 on every query: every draw gives +10 %, whatever the queries.
  const base = Array.from({ length: 50 }, (_, i) => 0.1 + (i % 7) / 10);
  const tight = bootstrapGain(base.map((v) => v * 1.1), base, new Rng(2))!;
  assert.ok(Math.abs(tight.lo - 10) < 1e-9 && Math.abs(tight.hi - 10) < 1e-9);
  assert.deepEqual(bootstrapGain(base, base, new Rng(3)), bootstrapGain(base, base, new Rng(3)));
  assert.equal(bootstrapGain([1], [0], new Rng(1)), undefined);
  assert.throws(() => bootstrapGain([1, 2], [1], new Rng(1)), RangeError);
});

Deno.test("holmAdjust: step-down adjusted p-values in the order given, monotone and capped at 1", () => {
  const near = (a: number[], b: number[]) => {
    assert.equal(a.length, b.length);
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-12, `${a} against ${b}`));
  };
  near(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  // The running maximum keeps a larger p from adjusting below a smaller one's.
  near(holmAdjust([0.001, 0.013, 0.014, 0.5]), [0.004, 0.039, 0.039, 0.5]);
  near(holmAdjust([0.6, 0.9]), [1, 1]);
  near(holmAdjust([0.01, 0.01, 0.02]), [0.03, 0.03, 0.03]);
  assert.deepEqual(holmAdjust([]), []);
});
