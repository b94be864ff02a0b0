// AssemblyScript source of the weight-gradient product kernel (128-bit WebAssembly SIMD with the
// relaxed fused multiply-add): C = Aᵀ·B for row-major A [K, mp] and B [K, np], the product every
// dense layer's weight gradient takes (A the layer's input, B its output's gradient, K the batch
// rows). Built by `deno task build:kernel` into ../matmul_at.wasm; ../matmul_at.ts loads it and
// lays out its memory. The reference is the same product through TF.js's matMul:
//   c[i][j] = Σ_k a[k][i] · b[k][j]
//
// Why a kernel: TF.js wasm reaches XNNPACK only for untransposed operands, so Aᵀ·B first writes
// Aᵀ (a strided transpose of the large operand) and then multiplies a short, very wide matrix
// (mp rows, K columns), which XNNPACK runs without blocking K and so from memory, not cache.
// Here the K rows are taken in blocks of `kc` (A's and B's block stay in cache while every tile of C
// passes over it) and C is accumulated in 4 × 8 register tiles: per row k, four broadcast
// loads of A[k][i..i+3], two vector loads of B[k][j..j+7], eight fused multiply-adds.
//
// Memory is owned by the caller: no allocator runs here, every argument is a byte offset from
// the heap base upwards. mp is a multiple of 4 and np of 8 (the caller pads with zeros).

/** The first free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** c [mp][np] (overwritten) = aᵀ·b for a [K][mp], b [K][np], K rows taken `kc` at a time. */
export function matMulAt(a: usize, b: usize, c: usize, K: i32, mp: i32, np: i32, kc: i32): void {
  const aRow = <usize>mp << 2, bRow = <usize>np << 2;
  memory.fill(c, 0, <usize>mp * bRow);
  for (let k0 = 0; k0 < K; k0 += kc) {
    const k1 = min(K, k0 + kc);
    for (let i = 0; i < mp; i += 4) {
      const ai = a + (<usize>i << 2);
      const c0 = c + <usize>i * bRow, c1 = c0 + bRow, c2 = c1 + bRow, c3 = c2 + bRow;
      for (let j: usize = 0; j < bRow; j += 32) {
        let s00 = v128.load(c0 + j), s01 = v128.load(c0 + j, 16);
        let s10 = v128.load(c1 + j), s11 = v128.load(c1 + j, 16);
        let s20 = v128.load(c2 + j), s21 = v128.load(c2 + j, 16);
        let s30 = v128.load(c3 + j), s31 = v128.load(c3 + j, 16);
        let ap = ai + <usize>k0 * aRow, bp = b + <usize>k0 * bRow + j;
        for (let k = k0; k < k1; k++) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          const x0 = v128.load32_splat(ap), x1 = v128.load32_splat(ap, 4);
          const x2 = v128.load32_splat(ap, 8), x3 = v128.load32_splat(ap, 12);
          s00 = f32x4.relaxed_madd(x0, b0, s00);
          s01 = f32x4.relaxed_madd(x0, b1, s01);
          s10 = f32x4.relaxed_madd(x1, b0, s10);
          s11 = f32x4.relaxed_madd(x1, b1, s11);
          s20 = f32x4.relaxed_madd(x2, b0, s20);
          s21 = f32x4.relaxed_madd(x2, b1, s21);
          s30 = f32x4.relaxed_madd(x3, b0, s30);
          s31 = f32x4.relaxed_madd(x3, b1, s31);
          ap += aRow;
          bp += bRow;
        }
        v128.store(c0 + j, s00);
        v128.store(c0 + j, s01, 16);
        v128.store(c1 + j, s10);
        v128.store(c1 + j, s11, 16);
        v128.store(c2 + j, s20);
        v128.store(c2 + j, s21, 16);
        v128.store(c3 + j, s30);
        v128.store(c3 + j, s31, 16);
      }
    }
  }
}
