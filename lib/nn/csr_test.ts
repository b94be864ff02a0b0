import assert from "node:assert/strict";
import { csrSum, csrSumReference, edgeCsr } from "./csr.ts";
import { csrSumKernelStatus, csrSumSimd } from "./kernel/csr_sum.ts";
import { Rng } from "../rng/mod.ts";

/** A random message list over `n` nodes: `m` messages (src, dst), rows of width `d`. */
function randomGraph(rng: Rng, n: number, m: number, d: number) {
  const src = new Int32Array(m), dst = new Int32Array(m);
  for (let e = 0; e < m; e++) (src[e] = rng.int(n), dst[e] = rng.int(n));
  return { src, dst, x: Float32Array.from(rng.normalArray(n * d, 0, 1)) };
}

Deno.test("edgeCsr: a stable counting sort of the messages by key", () => {
  const g = edgeCsr(new Int32Array([2, 0, 2, 1, 0]), new Int32Array([10, 11, 12, 13, 14]), 4);
  assert.deepEqual([...g.ptr], [0, 2, 3, 5, 5]);
  assert.deepEqual([...g.col], [11, 14, 13, 10, 12]);
});

Deno.test("csrSum: the reference sums each node's rows in list order", () => {
  const g = edgeCsr(new Int32Array([1, 1, 0]), new Int32Array([0, 2, 1]), 3);
  const x = new Float32Array([1, 2, 10, 20, 100, 200]);
  assert.deepEqual([...csrSumReference(x, 2, g, 3)], [10, 20, 101, 202, 0, 0]);
  assert.deepEqual([...csrSum(x, 2, g, 3)], [10, 20, 101, 202, 0, 0]);
});

Deno.test("csrSum: the SIMD kernel loads and equals the reference to the bit", () => {
  const status = csrSumKernelStatus();
  assert.ok(status.available, status.detail);
  const rng = new Rng(7);
  // widths with and without a remainder past the 4-lane vectors; nodes without messages
  for (const d of [1, 3, 4, 7, 64, 130]) {
    const { src, dst, x } = randomGraph(rng, 97, 600, d);
    const g = edgeCsr(dst, src, 97);
    const want = csrSumReference(x, d, g, 97);
    assert.deepEqual(csrSumSimd(x, d, g.ptr, g.col, 97), want, `d = ${d}`);
  }
  // fewer destinations than sources (a sampled block), then a larger call that grows memory
  const { src, dst, x } = randomGraph(rng, 5000, 40000, 32);
  const small = edgeCsr(dst.map((v) => v % 50), src, 50);
  assert.deepEqual(csrSumSimd(x, 32, small.ptr, small.col, 50), csrSumReference(x, 32, small, 50));
  const big = edgeCsr(dst, src, 5000);
  assert.deepEqual(csrSumSimd(x, 32, big.ptr, big.col, 5000), csrSumReference(x, 32, big, 5000));
});
