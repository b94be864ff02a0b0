// AssemblyScript source of M2VAE's per-pair exact-scoring kernel (128-bit WebAssembly SIMD,
// with the relaxed-SIMD fused multiply-add). Built by `deno task build:kernel` into
// ../pair.wasm; ../mod.ts loads it and lays out its memory. The TypeScript reference, with the
// maths, is ../../pair_kernel.ts: per (user u, item i), coef = [α_u, (1 − α_u)·g_uiv…] (or
// g_uiv… without a common view), x = C_i + Σ_k coef_k·M_k,i over the decoder's hidden units,
// score = Σ_h max(x, s·x)·ŵ_u + b_u. The caller may fold one matrix into C (the coefficients
// sum to 1) and pass the gates of every view but the last: the kernel mixes what it is given.
// `f32x4.relaxed_madd` is a fused multiply-add where the CPU has one (x64 with FMA3, arm64) and
// a multiply then an add elsewhere; either way within the reference's 1e-5 (tested).
//
// Memory is owned by the caller: no allocator runs here, every argument is a byte offset from
// the heap base upwards. Layouts (f32, hidden padded with zeros to hdp, a multiple of 4):
//   items  per item one record of (k + 1)·hdp floats, interleaved by groups of 4 hidden units:
//          [C(4) M_0(4) … M_{k−1}(4)] for h = 0..3, then for h = 4..7, …
//   gates  nv planes of `stride` floats, plane v holding [users][ni] (or [users] when the gates
//          depend on the user alone, `perUser`); logits in, gates out
//   alpha  [users], bias [users], w [users][hdp], out [users][ni]
// `users` is a multiple of 4 (the caller pads with zero rows of ŵ).

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** The first free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** e^x per lane for x ≤ 0 (Cephes' expf polynomial, relative error ~1e-7; x < −87 → e^−87). */
// @ts-ignore: decorator
@inline function expNonPositive(x0: v128): v128 {
  const x = f32x4.pmax(x0, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(e, pow2);
}

/**
 * In place, the softmax over `nv` planes of `stride` floats (a multiple of 4) at `g`: each
 * position's logits across the planes become its gates.
 */
export function softmaxPlanes(g: usize, nv: i32, stride: i32): void {
  if (nv <= 0) return;
  const planeBytes = <usize>stride << 2;
  for (let p: usize = 0; p < planeBytes; p += 16) {
    let m = v128.load(g + p);
    for (let v = 1; v < nv; v++) m = f32x4.pmax(m, v128.load(g + <usize>v * planeBytes + p));
    let s = f32x4.splat(0);
    for (let v = 0; v < nv; v++) {
      const q = g + <usize>v * planeBytes + p;
      const e = expNonPositive(f32x4.sub(v128.load(q), m));
      v128.store(q, e);
      s = f32x4.add(s, e);
    }
    const inv = f32x4.div(f32x4.splat(1.0), s);
    for (let v = 0; v < nv; v++) {
      const q = g + <usize>v * planeBytes + p;
      v128.store(q, f32x4.mul(v128.load(q), inv));
    }
  }
}

// @ts-ignore: decorator
@inline function hsum(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) +
    (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

// @ts-ignore: decorator
@inline function leaky(x: v128, slope: v128): v128 {
  return f32x4.pmax(x, f32x4.mul(x, slope));
}

// cv + c0·m0 + c1·m1 + c2·m2 in fused multiply-adds.
// @ts-ignore: decorator
@inline function mix3(cv: v128, c0: v128, m0: v128, c1: v128, m1: v128, c2: v128, m2: v128): v128 {
  return f32x4.relaxed_madd(c2, m2, f32x4.relaxed_madd(c1, m1, f32x4.relaxed_madd(c0, m0, cv)));
}

// cv + c0·m0 + … + c3·m3 as two chains of fused multiply-adds, added.
// @ts-ignore: decorator
@inline function mix4(cv: v128, c0: v128, m0: v128, c1: v128, m1: v128, c2: v128, m2: v128, c3: v128, m3: v128): v128 {
  const a = f32x4.relaxed_madd(c1, m1, f32x4.relaxed_madd(c0, m0, cv));
  return f32x4.add(a, f32x4.relaxed_madd(c3, m3, f32x4.mul(c2, m2)));
}

// @ts-ignore: decorator
@inline function finish(o: usize, os: usize, b: usize, a0: v128, a1: v128, a2: v128, a3: v128): void {
  store<f32>(o, hsum(a0) + load<f32>(b));
  store<f32>(o + os, hsum(a1) + load<f32>(b, 4));
  store<f32>(o + 2 * os, hsum(a2) + load<f32>(b, 8));
  store<f32>(o + 3 * os, hsum(a3) + load<f32>(b, 12));
}

// The four users' scores of one item, one function per number of mixed matrices k. `rec`: the
// item's record; `w`: the first user's ŵ row, `ws` bytes between rows; `cs`: coefficients
// [4 users][k]; `o`: the first user's output, `os` bytes between rows; `b`: the first bias.

function four1(rec: usize, nb: i32, w: usize, ws: usize, cs: usize, sl: v128, o: usize, os: usize, b: usize): void {
  const c0 = v128.load32_splat(cs), c1 = v128.load32_splat(cs, 4);
  const c2 = v128.load32_splat(cs, 8), c3 = v128.load32_splat(cs, 12);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let r = rec, wp = w;
  for (let n = 0; n < nb; n++, r += 32, wp += 16) {
    const cv = v128.load(r), m0 = v128.load(r, 16);
    a0 = f32x4.relaxed_madd(leaky(f32x4.relaxed_madd(c0, m0, cv), sl), v128.load(wp), a0);
    a1 = f32x4.relaxed_madd(leaky(f32x4.relaxed_madd(c1, m0, cv), sl), v128.load(wp + ws), a1);
    a2 = f32x4.relaxed_madd(leaky(f32x4.relaxed_madd(c2, m0, cv), sl), v128.load(wp + 2 * ws), a2);
    a3 = f32x4.relaxed_madd(leaky(f32x4.relaxed_madd(c3, m0, cv), sl), v128.load(wp + 3 * ws), a3);
  }
  finish(o, os, b, a0, a1, a2, a3);
}

function four2(rec: usize, nb: i32, w: usize, ws: usize, cs: usize, sl: v128, o: usize, os: usize, b: usize): void {
  const c00 = v128.load32_splat(cs), c01 = v128.load32_splat(cs, 4);
  const c10 = v128.load32_splat(cs, 8), c11 = v128.load32_splat(cs, 12);
  const c20 = v128.load32_splat(cs, 16), c21 = v128.load32_splat(cs, 20);
  const c30 = v128.load32_splat(cs, 24), c31 = v128.load32_splat(cs, 28);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let r = rec, wp = w;
  for (let n = 0; n < nb; n++, r += 48, wp += 16) {
    const cv = v128.load(r), m0 = v128.load(r, 16), m1 = v128.load(r, 32);
    let x = f32x4.relaxed_madd(c01, m1, f32x4.relaxed_madd(c00, m0, cv));
    a0 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp), a0);
    x = f32x4.relaxed_madd(c11, m1, f32x4.relaxed_madd(c10, m0, cv));
    a1 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + ws), a1);
    x = f32x4.relaxed_madd(c21, m1, f32x4.relaxed_madd(c20, m0, cv));
    a2 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + 2 * ws), a2);
    x = f32x4.relaxed_madd(c31, m1, f32x4.relaxed_madd(c30, m0, cv));
    a3 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + 3 * ws), a3);
  }
  finish(o, os, b, a0, a1, a2, a3);
}

function four3(rec: usize, nb: i32, w: usize, ws: usize, cs: usize, sl: v128, o: usize, os: usize, b: usize): void {
  const c00 = v128.load32_splat(cs), c01 = v128.load32_splat(cs, 4), c02 = v128.load32_splat(cs, 8);
  const c10 = v128.load32_splat(cs, 12), c11 = v128.load32_splat(cs, 16), c12 = v128.load32_splat(cs, 20);
  const c20 = v128.load32_splat(cs, 24), c21 = v128.load32_splat(cs, 28), c22 = v128.load32_splat(cs, 32);
  const c30 = v128.load32_splat(cs, 36), c31 = v128.load32_splat(cs, 40), c32 = v128.load32_splat(cs, 44);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let r = rec, wp = w;
  for (let n = 0; n < nb; n++, r += 64, wp += 16) {
    const cv = v128.load(r), m0 = v128.load(r, 16), m1 = v128.load(r, 32), m2 = v128.load(r, 48);
    let x = mix3(cv, c00, m0, c01, m1, c02, m2);
    a0 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp), a0);
    x = mix3(cv, c10, m0, c11, m1, c12, m2);
    a1 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + ws), a1);
    x = mix3(cv, c20, m0, c21, m1, c22, m2);
    a2 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + 2 * ws), a2);
    x = mix3(cv, c30, m0, c31, m1, c32, m2);
    a3 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + 3 * ws), a3);
  }
  finish(o, os, b, a0, a1, a2, a3);
}

function four4(rec: usize, nb: i32, w: usize, ws: usize, cs: usize, sl: v128, o: usize, os: usize, b: usize): void {
  const c00 = v128.load32_splat(cs), c01 = v128.load32_splat(cs, 4);
  const c02 = v128.load32_splat(cs, 8), c03 = v128.load32_splat(cs, 12);
  const c10 = v128.load32_splat(cs, 16), c11 = v128.load32_splat(cs, 20);
  const c12 = v128.load32_splat(cs, 24), c13 = v128.load32_splat(cs, 28);
  const c20 = v128.load32_splat(cs, 32), c21 = v128.load32_splat(cs, 36);
  const c22 = v128.load32_splat(cs, 40), c23 = v128.load32_splat(cs, 44);
  const c30 = v128.load32_splat(cs, 48), c31 = v128.load32_splat(cs, 52);
  const c32 = v128.load32_splat(cs, 56), c33 = v128.load32_splat(cs, 60);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let r = rec, wp = w;
  for (let n = 0; n < nb; n++, r += 80, wp += 16) {
    const cv = v128.load(r), m0 = v128.load(r, 16), m1 = v128.load(r, 32);
    const m2 = v128.load(r, 48), m3 = v128.load(r, 64);
    let x = mix4(cv, c00, m0, c01, m1, c02, m2, c03, m3);
    a0 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp), a0);
    x = mix4(cv, c10, m0, c11, m1, c12, m2, c13, m3);
    a1 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + ws), a1);
    x = mix4(cv, c20, m0, c21, m1, c22, m2, c23, m3);
    a2 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + 2 * ws), a2);
    x = mix4(cv, c30, m0, c31, m1, c32, m2, c33, m3);
    a3 = f32x4.relaxed_madd(leaky(x, sl), v128.load(wp + 3 * ws), a3);
  }
  finish(o, os, b, a0, a1, a2, a3);
}

/** Any k (0, or more than 4): the mixing sum loops over the matrices. */
function fourAny(rec: usize, nb: i32, k: i32, w: usize, ws: usize, cs: usize, sl: v128, o: usize, os: usize, b: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  const step = (<usize>k + 1) << 4, kb = <usize>k << 2;
  let r = rec, wp = w;
  for (let n = 0; n < nb; n++, r += step, wp += 16) {
    const cv = v128.load(r);
    let x0 = cv, x1 = cv, x2 = cv, x3 = cv;
    for (let j = 0; j < k; j++) {
      const m = v128.load(r + ((<usize>j + 1) << 4)), c = cs + (<usize>j << 2);
      x0 = f32x4.relaxed_madd(v128.load32_splat(c), m, x0);
      x1 = f32x4.relaxed_madd(v128.load32_splat(c + kb), m, x1);
      x2 = f32x4.relaxed_madd(v128.load32_splat(c + 2 * kb), m, x2);
      x3 = f32x4.relaxed_madd(v128.load32_splat(c + 3 * kb), m, x3);
    }
    a0 = f32x4.relaxed_madd(leaky(x0, sl), v128.load(wp), a0);
    a1 = f32x4.relaxed_madd(leaky(x1, sl), v128.load(wp + ws), a1);
    a2 = f32x4.relaxed_madd(leaky(x2, sl), v128.load(wp + 2 * ws), a2);
    a3 = f32x4.relaxed_madd(leaky(x3, sl), v128.load(wp + 3 * ws), a3);
  }
  finish(o, os, b, a0, a1, a2, a3);
}

// The coefficients of users u … u + 3 into `cs` ([4][k]): [α, (1 − α)·g_v…] or [g_v…], the gate
// of user u + q read at float `at + q·step` of each plane (step ni for a pair's gates, 1 for a
// user's).
// @ts-ignore: decorator
@inline function coefficients(cs: usize, k: i32, hasCom: i32, nv: i32, alpha: usize, g: usize, planeBytes: usize, u: i32, at: usize, step: usize): void {
  for (let q = 0; q < 4; q++) {
    let c = cs + ((<usize>q * <usize>k) << 2), a: f32 = 0;
    if (hasCom) {
      a = load<f32>(alpha + (<usize>(u + q) << 2));
      store<f32>(c, a);
      c += 4;
    }
    const rest: f32 = 1 - a, gq = g + ((at + <usize>q * step) << 2);
    for (let v = 0; v < nv; v++) {
      store<f32>(c + (<usize>v << 2), rest * load<f32>(gq + <usize>v * planeBytes));
    }
  }
}

/**
 * Scores of `users` (a multiple of 4) × `ni` items into `out`. `hasCom` (0/1): whether the
 * first of the k matrices is the common view's (its coefficient α_u, the views' (1 − α_u)·g);
 * `nv` gate planes at `g`, `stride` floats apart, holding a gate per pair or, with `perUser`
 * (0/1), per user; `cs`: 4·k floats of scratch; `tile`: items per pass over the users (sized
 * by the caller to keep a tile's records in cache).
 */
export function scoreUsers(
  items: usize,
  ni: i32,
  hdp: i32,
  k: i32,
  hasCom: i32,
  nv: i32,
  g: usize,
  stride: i32,
  alpha: usize,
  w: usize,
  bias: usize,
  users: i32,
  out: usize,
  slope: f32,
  cs: usize,
  tile: i32,
  perUser: i32,
): void {
  const nb = hdp >> 2, recBytes = (<usize>k + 1) * (<usize>hdp << 2);
  const ws = <usize>hdp << 2, os = <usize>ni << 2, planeBytes = <usize>stride << 2;
  const sl = f32x4.splat(slope);
  for (let t0 = 0; t0 < ni; t0 += tile) {
    const t1 = min(ni, t0 + tile);
    for (let u = 0; u < users; u += 4) {
      const wu = w + <usize>u * ws, bu = bias + (<usize>u << 2);
      // A user's gates are the same for every item: its coefficients once per tile.
      if (perUser) coefficients(cs, k, hasCom, nv, alpha, g, planeBytes, u, <usize>u, 1);
      for (let i = t0; i < t1; i++) {
        if (!perUser) {
          coefficients(cs, k, hasCom, nv, alpha, g, planeBytes, u, <usize>u * <usize>ni + <usize>i, <usize>ni);
        }
        const rec = items + <usize>i * recBytes, o = out + ((<usize>u * <usize>ni + <usize>i) << 2);
        if (k == 2) four2(rec, nb, wu, ws, cs, sl, o, os, bu);
        else if (k == 3) four3(rec, nb, wu, ws, cs, sl, o, os, bu);
        else if (k == 4) four4(rec, nb, wu, ws, cs, sl, o, os, bu);
        else if (k == 1) four1(rec, nb, wu, ws, cs, sl, o, os, bu);
        else fourAny(rec, nb, k, wu, ws, cs, sl, o, os, bu);
      }
    }
  }
}
