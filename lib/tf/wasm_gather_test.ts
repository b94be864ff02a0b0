import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { compareBackends, valueAndGrads } from "./testing.ts";
import { asWasmBackend, dropView, heapView, type KernelFn } from "./wasm_heap.ts";

const rng = new Rng(23);

function rowIds(n: number, rows: number): number[] {
  return Array.from({ length: n }, () => rng.int(rows));
}

Deno.test("axis-0 gather matches cpu for every row-copy path (values and grads)", async () => {
  // Row lengths: 1 and odd (4-byte loop), even short (8-byte loop, with and without an unrolled
  // tail), long (copyWithin), and a rank-3 input whose rows are [3, 5].
  const cases: number[][] = [[9, 1], [9, 3], [9, 2], [9, 6], [9, 64], [9, 130], [5, 3, 5]];
  for (const shape of cases) {
    const rest = shape.slice(1).reduce((a, b) => a * b, 1);
    const ids = rowIds(17, shape[0]).concat([0, shape[0] - 1, 0]);
    const x = { data: rng.normalArray(shape[0] * rest), shape };
    const g = (t: tf.Tensor) => tf.gather(t, tf.tensor1d(ids, "int32"));
    await compareBackends(`gather [${shape}]`, valueAndGrads([x], g, rng.normalArray(20 * rest)));
  }
  await compareBackends("gather int32", () => [
    tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], "int32"), tf.tensor1d([2, 0, 2], "int32")),
  ]);
});

Deno.test("gather copies bit patterns exactly (NaN payloads, -0, infinities)", async () => {
  await initTf("wasm");
  for (const rest of [1, 2, 3, 8, 128]) {
    const rows = 4;
    const bits = new Int32Array(rows * rest);
    for (let i = 0; i < bits.length; i++) {
      // Signalling and quiet NaNs with payloads, -0, ±Infinity, and ordinary numbers.
      const specials = [0x7f800001, 0xffc12345 | 0, 0x7fbfffff, 0x80000000 | 0, 0x7f800000];
      bits[i] = i % 3 === 0 ? specials[(i / 3) % specials.length] : rng.int(1 << 30);
    }
    const ids = [3, 0, 3, 2, 1];
    const out = tf.tidy(() =>
      tf.gather(tf.tensor2d(new Float32Array(bits.buffer), [rows, rest]), tf.tensor1d(ids, "int32"))
    );
    const got = new Int32Array((out.dataSync() as Float32Array).slice().buffer);
    out.dispose();
    ids.forEach((r, i) => {
      for (let j = 0; j < rest; j++) {
        assert.equal(got[i * rest + j], bits[r * rest + j], `rest ${rest}, row ${i}, col ${j}`);
      }
    });
  }
});

Deno.test("gather from a heap view that is not 8-byte aligned takes the 4-byte path", async () => {
  await initTf("wasm");
  const backend = asWasmBackend(tf.backend());
  const data = rng.normalArray(1 + 5 * 4);
  const base = tf.tensor1d(data);
  const idx = tf.tensor1d([4, 1, 1, 0], "int32");
  const before = tf.backend().numDataIds();
  // The view starts one float into `base`, so its rows of 4 floats sit at odd word offsets.
  const view = heapView(backend, base, 1, [5, 4]);
  const gather = tf.getKernel("GatherV2", "wasm").kernelFunc as unknown as KernelFn;
  const out = gather({
    inputs: { x: view, indices: idx },
    backend,
    attrs: { axis: 0, batchDims: 0 },
  });
  dropView(backend, view);
  const info = Array.isArray(out) ? out[0] : out;
  const got = Array.from(backend.typedArrayFromHeap(info));
  backend.disposeData(info.dataId);
  const want = [4, 1, 1, 0].flatMap((r) => Array.from(data.subarray(1 + r * 4, 1 + r * 4 + 4)));
  assert.deepEqual(got, want);
  assert.equal(tf.backend().numDataIds(), before);
  tf.dispose([base, idx]);
});
