/**
 * Throughput of M2VAE's per-pair exact scoring, SIMD kernel against the scalar TypeScript path,
 * on random inputs of the evaluator's block shape (4096 users × 256 items, decoder hidden 128),
 * for 1 to 3 modality views with a common view (k = 2 to 4 mixed matrices), with gates per pair
 * (`gateLogit: cosine`) and per user (`user`, the default). GFLOP/s counts 8 flops per hidden
 * unit per pair (the mixing, LeakyReLU and dot of a 2-view model).
 *
 *   deno task bench:kernel [--quick]
 *
 * @module
 */
import process from "node:process";
import type { BenchFigure } from "../../../bench/runtime.ts";
import { Rng } from "../../../rng/mod.ts";
import { type PairInputs, pairScores } from "../pair_kernel.ts";
import { pairScoresSimd, simdKernelStatus } from "./mod.ts";

/** Flops counted per hidden unit per pair. */
export const FLOPS_PER_HIDDEN_PAIR = 8;

/** LeakyReLU slope used by the benchmark (any 0 < s < 1 costs the same). */
const SLOPE = 0.01;

/**
 * Random pair inputs of a given shape (values in the range trained models produce); with
 * `userGates`, one gate logit per user and view instead of one per pair.
 */
export function randomPairInputs(
  nu: number,
  ni: number,
  hidden: number,
  views: number,
  common: boolean,
  seed = 1,
  userGates = false,
): PairInputs {
  const rng = new Rng(seed);
  const u = (n: number, lo: number, hi: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.uniform();
    return a;
  };
  return {
    nu,
    ni,
    hidden,
    cond: u(ni * hidden, -1, 1),
    mCom: common ? u(ni * hidden, -1, 1) : null,
    mViews: Array.from({ length: views }, () => u(ni * hidden, -1, 1)),
    logits: Array.from({ length: views }, () => u(userGates ? nu : nu * ni, -5, 5)),
    userGates,
    commonWeight: common ? u(nu, 0, 1) : null,
    wHat: u(nu * hidden, -1, 1),
    bias: u(nu, -1, 1),
  };
}

/**
 * Best-of-`reps` wall and CPU seconds of `f` (after one warm-up run). The CPU time is the
 * process's, so it stays meaningful on a machine shared with other work, where the wall time
 * also counts the time the scheduler gave to others.
 */
function bestSeconds(f: () => unknown, reps: number): { wall: number; cpu: number } {
  f();
  let wall = Infinity, cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    f();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

/**
 * GFLOP/s (wall time; CPU time in the note) of the scalar and the SIMD pair paths on `p` (the
 * scalar path on its first `scalarUsers` users only, it is slow), and the ratio.
 */
export function pairKernelFigures(
  p: PairInputs,
  label: string,
  o: { reps?: number; scalarUsers?: number; slope?: number } = {},
): BenchFigure[] {
  const reps = o.reps ?? 3, slope = o.slope ?? SLOPE;
  const k = p.mViews.length + (p.mCom === null ? 0 : 1);
  const shape = `${p.nu}×${p.ni}, hidden ${p.hidden}, k = ${k}`;
  const gflops = (nu: number, secs: number) =>
    (FLOPS_PER_HIDDEN_PAIR * p.hidden * nu * p.ni) / secs / 1e9;
  const su = Math.min(p.nu, o.scalarUsers ?? 256);
  const sp: PairInputs = {
    ...p,
    nu: su,
    logits: p.logits?.map((l) => l.subarray(0, p.userGates ? su : su * p.ni)) ?? null,
    commonWeight: p.commonWeight?.subarray(0, su) ?? null,
    wHat: p.wHat.subarray(0, su * p.hidden),
    bias: p.bias.subarray(0, su),
  };
  const st = bestSeconds(() => pairScores(sp), reps);
  const scalar = gflops(su, st.wall);
  const figures: BenchFigure[] = [{
    name: `${label}: per-pair scoring, scalar TypeScript path (${shape})`,
    value: scalar,
    unit: "GFLOP/s",
    note: `${FLOPS_PER_HIDDEN_PAIR} flops per hidden unit per pair; ${su} users timed; ` +
      `${gflops(su, st.cpu).toFixed(2)} GFLOP/s of CPU time`,
  }];
  const status = simdKernelStatus();
  if (!status.available) {
    figures.push({
      name: `${label}: per-pair scoring, SIMD kernel`,
      value: NaN,
      unit: "GFLOP/s",
      note: status.detail,
    });
    return figures;
  }
  const t = bestSeconds(() => pairScoresSimd(p, slope), reps);
  const simd = gflops(p.nu, t.wall);
  figures.push({
    name: `${label}: per-pair scoring, wasm SIMD kernel (${shape})`,
    value: simd,
    unit: "GFLOP/s",
    note: `${(t.wall * 1000).toFixed(1)} ms per block; ${gflops(p.nu, t.cpu).toFixed(2)} ` +
      `GFLOP/s of CPU time; ${status.detail}`,
  });
  figures.push({
    name: `${label}: per-pair scoring, SIMD ÷ scalar`,
    value: simd / scalar,
    unit: "×",
    note: `CPU time: ${(gflops(p.nu, t.cpu) / gflops(su, st.cpu)).toFixed(2)}×`,
  });
  return figures;
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const nu = quick ? 1024 : 4096;
  for (const [views, perUser] of [[1, false], [2, false], [3, false], [3, true]] as const) {
    const p = randomPairInputs(nu, 256, 128, views, true, 1, perUser);
    const label = `M2VAE, random inputs, gates per ${perUser ? "user" : "pair"}`;
    for (const f of pairKernelFigures(p, label, { reps: quick ? 2 : 3 })) {
      const v = Number.isFinite(f.value) ? f.value.toFixed(2) : "n/a";
      console.log(`${f.name}: ${v} ${f.unit}${f.note ? `  (${f.note})` : ""}`);
    }
  }
}
