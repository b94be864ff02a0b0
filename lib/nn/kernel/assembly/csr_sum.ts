// AssemblyScript source of the CSR row-sum kernel (128-bit WebAssembly SIMD), the graph models'
// mean aggregation and its gradient. Built by `deno task build:kernel` into ../csr_sum.wasm;
// ../csr_sum.ts loads it and lays out its memory. The TypeScript reference is `csrSumReference`
// in ../../csr.ts: out[v] = Σ x[col[p]] over p in [ptr[v], ptr[v + 1]), added in list order.
//
// Memory is owned by the caller: no allocator runs here, every argument is a byte offset from
// the heap base upwards. x is [rows][d] f32, ptr is n + 1 i32, col is i32, out is [n][d] f32.
// Each output element is the same additions in the same order as the reference (0 + x[c0] +
// x[c1] + …, lane by lane), so the result is bit-identical.

/** The first free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** `out[v] = Σ x[col[p]]` over p in `[ptr[v], ptr[v + 1])`, for v in `[0, n)`. */
export function csrSum(x: usize, d: i32, ptr: usize, col: usize, n: i32, out: usize): void {
  const rowBytes = <usize> d << 2;
  const vecBytes = rowBytes & ~(<usize> 15);
  for (let v = 0; v < n; v++) {
    const o = out + <usize> v * rowBytes;
    memory.fill(o, 0, rowBytes);
    const p0 = load<i32>(ptr + (<usize> v << 2)), p1 = load<i32>(ptr + (<usize> (v + 1) << 2));
    for (let p = p0; p < p1; p++) {
      const s = x + <usize> load<i32>(col + (<usize> p << 2)) * rowBytes;
      let j: usize = 0;
      for (; j < vecBytes; j += 16) {
        v128.store(o + j, f32x4.add(v128.load(o + j), v128.load(s + j)));
      }
      for (; j < rowBytes; j += 4) store<f32>(o + j, load<f32>(o + j) + load<f32>(s + j));
    }
  }
}
