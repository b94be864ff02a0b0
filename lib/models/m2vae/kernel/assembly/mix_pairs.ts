// AssemblyScript source of the mixed-pair scoring kernel of M2VAE's shared negatives, forward
// and backward (128-bit WebAssembly SIMD, with the relaxed-SIMD fused multiply-add). Built by
// `deno task build:kernel` into ../mix_pairs.wasm; ../mix_pairs.ts loads it, lays out its memory
// and wraps it as a TF.js op with its gradient. The TF reference, with the maths, is
// `mixPairScoresReference` in ../../shared_negatives.ts: for user row r and item n,
//
//   x(r, n) = P_n + Σ_j c_j(r, n)·M_j,n      (over the decoder's hidden units)
//   s(r, n) = Σ_h max(x, slope·x)_h · w_r,h
//
// and, given ∂L/∂s = g(r, n), with d = g·w_r ⊙ (x > 0 ? 1 : slope):
//
//   ∂P_n += d,  ∂M_j,n += c_j(r, n)·d,  ∂c_j(r, n) = Σ_h d_h·M_j,n,h,  ∂w_r += g·max(x, slope·x).
//
// Nothing of size rows × items × hidden is ever stored: x is recomputed in the backward pass.
//
// Memory is owned by the caller: no allocator runs here, every argument is a byte offset from
// the heap base upwards. Layouts (f32, hidden padded with zeros to hp, a multiple of 4):
//   base [K][hp], mats [k][K][hp], coef [k][B][K], w [B][hp], out and g [B][K];
//   dBase, dMats, dW like base, mats, w (overwritten), dCoef like coef (overwritten).
// Items are the outer loop, so an item's k + 1 rows and their gradients stay in L1 while the
// user rows stream.

/** The first free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline function hsum(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) +
    (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

/**
 * Row x = P_n + Σ_j c_j·M_j,n into `x` (hp floats): P copied, then one pass per matrix (c_j at
 * `cj`, `cStride` apart), so no loop over the matrices runs inside the loop over hidden units.
 */
function mixRow(bn: usize, mn: usize, matBytes: usize, k: i32, cj: usize, cStride: usize, rowBytes: usize, x: usize): void {
  memory.copy(x, bn, rowBytes);
  for (let j = 0; j < k; j++) {
    const c = v128.load32_splat(cj + <usize>j * cStride), m = mn + <usize>j * matBytes;
    for (let h: usize = 0; h < rowBytes; h += 16) {
      v128.store(x + h, f32x4.relaxed_madd(c, v128.load(m + h), v128.load(x + h)));
    }
  }
}

/** s(r, n) for every row r < B and item n < K into `out` [B][K]; `x`: hp floats of scratch. */
export function mixPairsForward(
  base: usize,
  mats: usize,
  k: i32,
  coef: usize,
  w: usize,
  B: i32,
  K: i32,
  hp: i32,
  slope: f32,
  out: usize,
  x: usize,
): void {
  const rowBytes = <usize>hp << 2, matBytes = <usize>K * rowBytes;
  const cStride = <usize>B * <usize>K << 2, sl = f32x4.splat(slope);
  for (let n = 0; n < K; n++) {
    const bn = base + <usize>n * rowBytes, mn = mats + <usize>n * rowBytes;
    for (let r = 0; r < B; r++) {
      const wr = w + <usize>r * rowBytes;
      const at = (<usize>r * <usize>K + <usize>n) << 2;
      mixRow(bn, mn, matBytes, k, coef + at, cStride, rowBytes, x);
      let acc = f32x4.splat(0);
      for (let h: usize = 0; h < rowBytes; h += 16) {
        const v = v128.load(x + h);
        acc = f32x4.relaxed_madd(f32x4.pmax(v, f32x4.mul(v, sl)), v128.load(wr + h), acc);
      }
      store<f32>(out + at, hsum(acc));
    }
  }
}

/**
 * The gradients of {@linkcode mixPairsForward} for `g` = ∂L/∂out [B][K]: ∂base, ∂mats and ∂w
 * (accumulated from zero) and ∂coef (every entry written). Pairs with g = 0 (masked ones) add
 * nothing and are skipped. `x`: hp floats of scratch (x, then d, per pair).
 */
export function mixPairsBackward(
  base: usize,
  mats: usize,
  k: i32,
  coef: usize,
  w: usize,
  B: i32,
  K: i32,
  hp: i32,
  slope: f32,
  g: usize,
  dBase: usize,
  dMats: usize,
  dCoef: usize,
  dW: usize,
  x: usize,
): void {
  const rowBytes = <usize>hp << 2, matBytes = <usize>K * rowBytes;
  const cStride = <usize>B * <usize>K << 2, sl = f32x4.splat(slope);
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  memory.fill(dBase, 0, matBytes);
  memory.fill(dMats, 0, <usize>k * matBytes);
  memory.fill(dW, 0, <usize>B * rowBytes);
  memory.fill(dCoef, 0, <usize>k * cStride);
  for (let n = 0; n < K; n++) {
    const off = <usize>n * rowBytes;
    const bn = base + off, mn = mats + off, dbn = dBase + off, dmn = dMats + off;
    for (let r = 0; r < B; r++) {
      const at = (<usize>r * <usize>K + <usize>n) << 2;
      const gs = load<f32>(g + at);
      if (gs == 0) continue;
      const gv = f32x4.splat(gs), cj = coef + at;
      const wr = w + <usize>r * rowBytes, dwr = dW + <usize>r * rowBytes;
      mixRow(bn, mn, matBytes, k, cj, cStride, rowBytes, x);
      // ∂w_r += g·LeakyReLU(x); d = g·w_r ⊙ LeakyReLU′(x) replaces x; ∂P_n += d.
      for (let h: usize = 0; h < rowBytes; h += 16) {
        const v = v128.load(x + h);
        v128.store(dwr + h, f32x4.relaxed_madd(gv, f32x4.pmax(v, f32x4.mul(v, sl)), v128.load(dwr + h)));
        const d = f32x4.mul(f32x4.mul(gv, v128.load(wr + h)), v128.bitselect(one, sl, f32x4.gt(v, zero)));
        v128.store(x + h, d);
        v128.store(dbn + h, f32x4.add(v128.load(dbn + h), d));
      }
      // Per matrix: ∂M_j,n += c_j·d and ∂c_j = Σ_h d_h·M_j,n,h.
      for (let j = 0; j < k; j++) {
        const c = v128.load32_splat(cj + <usize>j * cStride);
        const m = mn + <usize>j * matBytes, dm = dmn + <usize>j * matBytes;
        let s = f32x4.splat(0);
        for (let h: usize = 0; h < rowBytes; h += 16) {
          const d = v128.load(x + h);
          v128.store(dm + h, f32x4.relaxed_madd(c, d, v128.load(dm + h)));
          s = f32x4.relaxed_madd(d, v128.load(m + h), s);
        }
        store<f32>(dCoef + at + <usize>j * cStride, hsum(s));
      }
    }
  }
}
