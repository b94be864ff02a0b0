import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { matMulAtKernelStatus, matMulAtSimd } from "./matmul_at.ts";

/** c = aᵀ·b in plain loops, accumulated in double precision. */
function reference(a: Float32Array, b: Float32Array, k: number, m: number, n: number) {
  const c = new Float64Array(m * n);
  for (let r = 0; r < k; r++) {
    for (let i = 0; i < m; i++) {
      const x = a[r * m + i];
      for (let j = 0; j < n; j++) c[i * n + j] += x * b[r * n + j];
    }
  }
  return c;
}

Deno.test("the Aᵀ·B kernel loads here", () => {
  const s = matMulAtKernelStatus();
  assert.ok(s.available, s.detail);
  assert.match(s.detail, /matmul_at\.wasm \(\d+ bytes, wasm SIMD\)/);
});

Deno.test("the Aᵀ·B kernel equals the plain product at padded and unpadded sizes", () => {
  const rng = new Rng(5);
  // [K, m, n]: aligned; m and n off their tiles (m 1 and 2 included); K under one block and across
  // a partial block; sizes that grow and shrink the memory the kernel is handed between calls.
  const cases = [
    [256, 64, 64],
    [301, 37, 23],
    [5, 4, 8],
    [1, 1, 1],
    [1000, 130, 257],
    [70, 6, 9],
    [4096, 1, 200],
    [33, 2, 40],
  ];
  for (const [k, m, n] of cases) {
    const a = Float32Array.from(rng.normalArray(k * m)),
      b = Float32Array.from(rng.normalArray(k * n));
    const out = new Float32Array(m * n).fill(Number.NaN);
    matMulAtSimd(a, b, k, m, n, out);
    const want = reference(a, b, k, m, n);
    for (let i = 0; i < want.length; i++) {
      const tol = 1e-5 * Math.sqrt(k) * (1 + Math.abs(want[i]));
      assert.ok(
        Math.abs(out[i] - want[i]) <= tol,
        `[${k}, ${m}, ${n}] at ${i}: ${out[i]} vs ${want[i]}`,
      );
    }
  }
});
