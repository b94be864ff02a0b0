// AssemblyScript source of the pair row-dot kernel (128-bit WebAssembly SIMD with the relaxed
// fused multiply-add): scores of rows against k candidates each, and their gradient, without
// the [n·k, d] row copies that gathers and a row sum would make. Built by `deno task
// build:kernel` into ../pair_dots.wasm; ../pair_dots.ts loads it and lays out its memory. The
// TypeScript reference is `pairDotsReference` in ../../pair_dots.ts:
//   out[r·k + j] = Σ_h a[r][h] · c[idx[r·k + j]][h]
//   da[r]        = Σ_j dy[r·k + j] · c[idx[r·k + j]]
//   dc[i]        = Σ over (r, j) with idx[r·k + j] = i, in (r, j) order, of dy[r·k + j] · a[r]
//
// Memory is owned by the caller: no allocator runs here, every argument is a byte offset from
// the heap base upwards. Rows are `dp` floats apart (d padded with zeros to a multiple of 4),
// so each row is whole 128-bit lanes.

/** The first free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline function hsum(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) +
    (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

/** The `n·k` scores into `out`. */
export function pairDots(a: usize, c: usize, idx: usize, n: i32, k: i32, dp: i32, out: usize): void {
  const rowBytes = <usize>dp << 2;
  for (let r = 0; r < n; r++) {
    const ar = a + <usize>r * rowBytes;
    for (let j = 0; j < k; j++) {
      const p = <usize>r * <usize>k + <usize>j;
      const cr = c + <usize>load<i32>(idx + (p << 2)) * rowBytes;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
      let h: usize = 0;
      for (; h + 32 <= rowBytes; h += 32) {
        s0 = f32x4.relaxed_madd(v128.load(ar + h), v128.load(cr + h), s0);
        s1 = f32x4.relaxed_madd(v128.load(ar + h, 16), v128.load(cr + h, 16), s1);
      }
      if (h < rowBytes) s0 = f32x4.relaxed_madd(v128.load(ar + h), v128.load(cr + h), s0);
      store<f32>(out + (p << 2), hsum(f32x4.add(s0, s1)));
    }
  }
}

/** The gradients `da` `[n][dp]` and `dc` `[u][dp]` (both overwritten) for the scores' `dy`. */
export function pairDotsGrad(
  a: usize,
  c: usize,
  idx: usize,
  dy: usize,
  n: i32,
  k: i32,
  dp: i32,
  u: i32,
  da: usize,
  dc: usize,
): void {
  const rowBytes = <usize>dp << 2;
  memory.fill(da, 0, <usize>n * rowBytes);
  memory.fill(dc, 0, <usize>u * rowBytes);
  for (let r = 0; r < n; r++) {
    const ar = a + <usize>r * rowBytes, dar = da + <usize>r * rowBytes;
    for (let j = 0; j < k; j++) {
      const p = <usize>r * <usize>k + <usize>j;
      const i = <usize>load<i32>(idx + (p << 2));
      const g = v128.load32_splat(dy + (p << 2));
      const cr = c + i * rowBytes, dcr = dc + i * rowBytes;
      for (let h: usize = 0; h < rowBytes; h += 16) {
        v128.store(dar + h, f32x4.relaxed_madd(g, v128.load(cr + h), v128.load(dar + h)));
        v128.store(dcr + h, f32x4.relaxed_madd(g, v128.load(ar + h), v128.load(dcr + h)));
      }
    }
  }
}
