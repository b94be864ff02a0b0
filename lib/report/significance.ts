/**
 * The paired two-sided t-test over seeds used to mark a best result as significant: the
 * differences of the best and the second-best model on the same seeds, t = mean / (sd / √n)
 * with n − 1 degrees of freedom, p from Student's t distribution (the regularised incomplete
 * beta function, evaluated by its continued fraction) — and, for the other source of chance in
 * a table, a bootstrap over the evaluated items ({@linkcode bootstrapMean}).
 *
 * @module
 */
import type { Rng } from "../rng/mod.ts";

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    c = 1 + num / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    h *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t statistic with `df` degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Result of {@linkcode pairedTTest}. */
export interface PairedTest {
  /** Number of pairs. */
  n: number;
  /** Mean difference a − b. */
  meanDiff: number;
  t: number;
  /** Two-sided p-value (1 when the test cannot be run). */
  p: number;
}

/** Paired two-sided t-test of `a` against `b` (same length, paired by index, n ≥ 2). */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTest {
  if (a.length !== b.length) throw new RangeError("pairedTTest: samples differ in length");
  const n = a.length;
  const d = a.map((x, i) => x - b[i]);
  const meanDiff = n ? d.reduce((s, x) => s + x, 0) / n : 0;
  if (n < 2) return { n, meanDiff, t: NaN, p: 1 };
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - meanDiff) ** 2, 0) / (n - 1));
  if (sd === 0) return { n, meanDiff, t: meanDiff === 0 ? 0 : Infinity, p: meanDiff === 0 ? 1 : 0 };
  const t = meanDiff / (sd / Math.sqrt(n));
  return { n, meanDiff, t, p: studentTwoSidedP(t, n - 1) };
}

/**
 * Holm's step-down adjustment of `ps` (one p-value per test of a family): the adjusted p of the
 * i-th smallest is the running maximum of (m − j + 1)·p₍ⱼ₎ over j ≤ i, capped at 1. A test holds
 * at family-wise error rate α when its adjusted p is below α; returned in the order given.
 *
 * @example Usage
 * ```ts
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p));
    out[i] = running;
  });
  return out;
}

/** Result of {@linkcode bootstrapMean}. */
export interface BootstrapInterval {
  /** Number of values resampled. */
  n: number;
  /** Their mean. */
  mean: number;
  /** Percentile interval of the resampled means at `level`. */
  lo: number;
  hi: number;
  level: number;
  /**
   * Two-sided bootstrap p-value of "the mean is 0": twice the share of resampled means on the far
   * side of 0 from the mean (at least 1 / resamples, at most 1).
   */
  p: number;
}

/**
 * The mean of `values` with a percentile bootstrap interval: `resamples` means of n values drawn
 * with replacement (from `rng`, so the same seed gives the same interval). For per-item
 * differences of two rankings of the same items, the interval says how far the difference could
 * move with another draw of items of the same kind — the chance a paired t over seeds does not
 * see, since every seed ranks the same items.
 *
 * @example Usage
 * ```ts
 * const b = bootstrapMean([0.1, -0.05, 0.2, 0.0], new Rng(1));
 * b.lo <= b.mean && b.mean <= b.hi; // true
 * ```
 */
export function bootstrapMean(
  values: ArrayLike<number>,
  rng: Rng,
  opts: { resamples?: number; level?: number } = {},
): BootstrapInterval {
  const n = values.length;
  if (n === 0) throw new RangeError("bootstrapMean: no values");
  const { resamples, level } = bootstrapOptions("bootstrapMean", opts);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  const means = new Float64Array(resamples);
  let below = 0, above = 0;
  for (let r = 0; r < resamples; r++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += values[rng.int(n)];
    means[r] = t / n;
    if (means[r] <= 0) below++;
    if (means[r] >= 0) above++;
  }
  means.sort();
  const tail = mean > 0 ? below : mean < 0 ? above : resamples;
  const p = Math.min(1, Math.max(1 / resamples, (2 * tail) / resamples));
  return { n, mean, ...percentileInterval(means, level), level, p };
}

/** Result of {@linkcode bootstrapGain}. */
export interface GainInterval {
  /** 100 · (mean(ours) / mean(base) − 1): the "Impr." of the two rows, in %. */
  gain: number;
  /** Percentile interval of the resampled gains at `level`, in %. */
  lo: number;
  hi: number;
  level: number;
}

/**
 * The relative gain of `ours` over `base` (per query, the same queries in the same order) with
 * a percentile bootstrap interval: the queries are drawn with replacement, the same draw for
 * both, `resamples` times (from `rng`). Undefined when `base`'s mean is not positive.
 *
 * @example Usage
 * ```ts
 * bootstrapGain([0.3, 0.2, 0.4], [0.2, 0.2, 0.2], new Rng(1)).gain; // 50
 * ```
 */
export function bootstrapGain(
  ours: ArrayLike<number>,
  base: ArrayLike<number>,
  rng: Rng,
  opts: { resamples?: number; level?: number } = {},
): GainInterval | undefined {
  const n = ours.length;
  if (n === 0 || base.length !== n) {
    throw new RangeError(`bootstrapGain: ${n} against ${base.length} values`);
  }
  const { resamples, level } = bootstrapOptions("bootstrapGain", opts);
  let so = 0, sb = 0;
  for (let i = 0; i < n; i++) (so += ours[i], sb += base[i]);
  if (!(sb > 0)) return undefined;
  const gains = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let o = 0, b = 0;
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      o += ours[j];
      b += base[j];
    }
    // A draw whose baseline scores 0 throughout: no gain if ours does too, else unbounded.
    gains[r] = b > 0 ? 100 * (o / b - 1) : o > 0 ? Infinity : 0;
  }
  gains.sort();
  return { gain: 100 * (so / sb - 1), ...percentileInterval(gains, level), level };
}

/** The resamples and level of a bootstrap, checked (defaults 10,000 and 0.95). */
function bootstrapOptions(
  who: string,
  opts: { resamples?: number; level?: number },
): { resamples: number; level: number } {
  const resamples = opts.resamples ?? 10000, level = opts.level ?? 0.95;
  if (!(Number.isInteger(resamples) && resamples >= 100)) {
    throw new RangeError(`${who}: resamples must be an integer ≥ 100, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`${who}: invalid level ${level}`);
  return { resamples, level };
}

/** The central `level` interval of sorted resampled statistics, by percentiles. */
function percentileInterval(sorted: Float64Array, level: number): { lo: number; hi: number } {
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];
  return { lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2) };
}
