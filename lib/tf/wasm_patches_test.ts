import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { assertClose, compareBackends as compare, valueAndGrads } from "./testing.ts";
import { patchWasm, setWasmPatchesEnabled } from "./wasm_patches.ts";
import { setMatMulAtKernel, usesMatMulAtKernel } from "./wasm_matmul.ts";

const rng = new Rng(11);
const arr = (n: number) => rng.normalArray(n);

/**
 * Runs `f` on the fast path, asserting it leaves no tensor or wasm buffer behind, then with
 * `toggle(false)` (restored to on after), asserting both results agree.
 */
function sameWithoutLeaks(f: () => tf.Tensor, toggle: (on: boolean) => unknown, what: string) {
  const buffers = () => tf.backend().numDataIds(); // wasm heap buffers, temporaries included
  const before = [tf.memory().numTensors, buffers()];
  const fast = tf.tidy(f);
  const got = fast.dataSync();
  fast.dispose();
  assert.deepEqual([tf.memory().numTensors, buffers()], before, "no tensor or buffer left");
  toggle(false);
  try {
    const other = tf.tidy(f);
    assertClose([{ shape: [], data: got }], [{ shape: [], data: other.dataSync() }], what);
    other.dispose();
  } finally {
    toggle(true);
  }
}

Deno.test("gather forward and gradient (repeated indices) match cpu", async () => {
  const x = { data: arr(6 * 4), shape: [6, 4] };
  const ids = [3, 1, 3, 0, 5, 3];
  const g = (t: tf.Tensor) => tf.gather(t, tf.tensor1d(ids, "int32"));
  await compare("gather", valueAndGrads([x], g, arr(6 * 4)));
  const g2 = (t: tf.Tensor) => tf.gather(t, tf.tensor2d([[2, 2], [0, 5]], [2, 2], "int32"));
  await compare("gather 2-D indices", valueAndGrads([x], g2, arr(16)));
  const v = { data: arr(7), shape: [7] };
  await compare("gather 1-D", valueAndGrads([v], g, arr(6)));
});

Deno.test("gather on a non-zero axis (stock fallback) matches cpu", async () => {
  const x = { data: arr(3 * 5 * 2), shape: [3, 5, 2] };
  const g = (t: tf.Tensor) => tf.gather(t, tf.tensor1d([4, 0, 4], "int32"), 1);
  await compare("gather axis 1", valueAndGrads([x], g, arr(18)));
});

Deno.test("gather with an out-of-range index throws a RangeError naming it", async () => {
  await initTf("wasm");
  const before = tf.memory().numTensors;
  const x = tf.zeros([4, 3]);
  const idx = tf.tensor1d([1, 4], "int32");
  assert.throws(() => tf.gather(x, idx), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /index 4 .*\[0, 4\)/);
    return true;
  });
  tf.dispose([x, idx]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("unsortedSegmentSum matches cpu (ranks 1-3, out-of-range ids, int32)", async () => {
  const ids = [0, 2, 0, -1, 7, 2];
  const x2 = arr(18), x3 = arr(36), x1 = arr(6);
  const seg = () => tf.tensor1d(ids, "int32");
  await compare("segment sum rank 2", () => [
    tf.unsortedSegmentSum(tf.tensor2d(x2, [6, 3]), seg(), 4),
  ]);
  await compare("segment sum rank 3", () => [
    tf.unsortedSegmentSum(tf.tensor3d(x3, [6, 2, 3]), seg(), 3),
  ]);
  await compare("segment sum rank 1", () => [tf.unsortedSegmentSum(tf.tensor1d(x1), seg(), 5)]);
  const xi = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  await compare("segment sum int32", () => [
    tf.unsortedSegmentSum(tf.tensor2d(xi, [6, 2], "int32"), seg(), 3),
  ]);
});

Deno.test("matMul with all four transpose combinations matches cpu (values and grads)", async () => {
  const [m, k, n] = [37, 19, 23];
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const a = { data: arr(m * k), shape: tA ? [k, m] : [m, k] };
      const b = { data: arr(k * n), shape: tB ? [n, k] : [k, n] };
      const g = (x: tf.Tensor, y: tf.Tensor) =>
        tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, tA, tB);
      await compare(`matMul tA=${tA} tB=${tB}`, valueAndGrads([a, b], g, arr(m * n)));
    }
  }
});

Deno.test("batched 3-D matMul (per-entry, broadcast, small) matches cpu", async () => {
  // [batchA, batchB, m, k, n]: large entries use the per-entry loop, small ones the stock path,
  // a broadcast `b` one folded product.
  const cases = [[3, 3, 40, 24, 32], [4, 1, 9, 5, 7], [1, 3, 30, 30, 30], [5, 5, 3, 4, 2]];
  for (const [ba, bb, m, k, n] of cases) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = { data: arr(ba * m * k), shape: tA ? [ba, k, m] : [ba, m, k] };
      const b = { data: arr(bb * k * n), shape: tB ? [bb, n, k] : [bb, k, n] };
      const g = (x: tf.Tensor, y: tf.Tensor) =>
        tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, tA, tB);
      const what = `batched ${ba}/${bb}x${m}x${k}x${n} tA=${tA} tB=${tB}`;
      if (ba === bb) {
        await compare(what, valueAndGrads([a, b], g, arr(ba * m * n)));
      } else {
        // tfjs-core's BatchMatMul gradient does not reduce broadcast batch dimensions (on any
        // backend), so only the forward pass is compared here.
        await compare(what, () => [g(tf.tensor(a.data, a.shape), tf.tensor(b.data, b.shape))]);
      }
    }
  }
});

Deno.test("fused matMul with bias, relu and transposes matches cpu", async () => {
  const [m, k, n] = [33, 17, 21];
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const a = { data: arr(m * k), shape: tA ? [k, m] : [m, k] };
    const b = { data: arr(k * n), shape: tB ? [n, k] : [k, n] };
    const bias = { data: arr(n), shape: [n] };
    const g = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      tf.fused.matMul({
        a: x as tf.Tensor2D,
        b: y as tf.Tensor2D,
        transposeA: tA,
        transposeB: tB,
        bias: z,
        activation: "relu",
      });
    await compare(`fused tA=${tA} tB=${tB}`, valueAndGrads([a, b, bias], g, arr(m * n)));
  }
  const a3 = { data: arr(3 * 40 * 30), shape: [3, 30, 40] };
  const b3 = { data: arr(3 * 30 * 20), shape: [3, 20, 30] };
  const bias3 = { data: arr(20), shape: [20] };
  const g3 = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
    tf.fused.matMul({
      a: x as tf.Tensor3D,
      b: y as tf.Tensor3D,
      transposeA: true,
      transposeB: true,
      bias: z,
      activation: "relu",
    });
  await compare("fused batched", valueAndGrads([a3, b3, bias3], g3, arr(3 * 40 * 20)));
});

Deno.test("patched kernels leak no tensors or wasm buffers; stock path gives the same", async () => {
  await initTf("wasm");
  const a = tf.tensor3d(arr(4 * 40 * 30), [4, 30, 40]);
  const b = tf.tensor3d(arr(4 * 50 * 30), [4, 50, 30]);
  sameWithoutLeaks(() => tf.matMul(a, b, true, true), setWasmPatchesEnabled, "stock");
  tf.dispose([a, b]);
});

Deno.test("patchWasm twice changes nothing", async () => {
  await initTf("wasm");
  const names = [
    "UnsortedSegmentSum",
    "BatchMatMul",
    "_FusedMatMul",
    "GatherV2",
    "Identity",
    "Cast",
    "Transpose",
    "Sum",
    "Mean",
    "Tanh",
    "Slice",
    "SplitV",
    "LeakyRelu",
  ];
  const grad = tf.getGradient("LeakyRelu");
  const funcs = names.map((n) => tf.getKernel(n, "wasm").kernelFunc);
  patchWasm();
  patchWasm();
  assert.deepEqual(names.map((n) => tf.getKernel(n, "wasm").kernelFunc), funcs);
  assert.equal(tf.getGradient("LeakyRelu"), grad, "LeakyRelu's gradient is patched once");
  const marker = Symbol.for("m2vae.wasmPatched");
  for (const n of names) {
    assert.equal((tf.getKernel(n, "wasm") as unknown as Record<symbol, unknown>)[marker], true);
  }
  const y = tf.tidy(() =>
    tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, 0], [1, 1]]), true)
  );
  assert.deepEqual(Array.from(y.dataSync()), [4, 3, 6, 4]);
  y.dispose();
});

Deno.test("weight-gradient products (Aᵀ·B) on the SIMD kernel match cpu, and the XNNPACK path", async () => {
  await initTf("wasm");
  assert.ok(usesMatMulAtKernel(300, 37, 23), "the kernel takes a [300, 37]ᵀ·[300, 23] product");
  assert.ok(!usesMatMulAtKernel(300, 37, 7), "n under one tile stays on XNNPACK");
  assert.ok(usesMatMulAtKernel(4096, 1, 200), "a weighted column sum (m 1) takes the kernel");
  assert.ok(!usesMatMulAtKernel(20, 16, 16), "a small product stays on XNNPACK");
  // A dense layer x·w: the gradient w.r.t. w is xᵀ·dy, [300, 37]ᵀ·[300, 23].
  const x = { data: arr(300 * 37), shape: [300, 37] }, w = { data: arr(37 * 23), shape: [37, 23] };
  const dense = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D);
  await compare("dense layer", valueAndGrads([x, w], dense, arr(300 * 23)));
  const at = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D, true);
  const b = { data: arr(300 * 23), shape: [300, 23] };
  await compare("Aᵀ·B", valueAndGrads([x, b], at, arr(37 * 23)));
  const ta = tf.tensor2d(x.data, [300, 37]), tb = tf.tensor2d(b.data, [300, 23]);
  sameWithoutLeaks(() => tf.matMul(ta, tb, true), setMatMulAtKernel, "XNNPACK path");
  tf.dispose([ta, tb]);
});

Deno.test("LeakyRelu and its gradient through Step equal the stock kernels bit for bit", async () => {
  await initTf("wasm");
  const data = arr(300 * 41);
  for (let i = 0; i < data.length; i += 17) data[i] = 0; // x = 0 takes the α side, as stock
  const x = { data, shape: [300, 41] };
  for (const alpha of [0.01, 0.2]) {
    const f = (t: tf.Tensor) => tf.leakyRelu(t, alpha);
    await compare(`leakyRelu ${alpha}`, valueAndGrads([x], f, arr(300 * 41)));
    const t = tf.tensor2d(data, [300, 41]), dy = tf.tensor2d(arr(300 * 41), [300, 41]);
    // The kernels each path ran (tf.profile), and its value and gradient.
    const run = async () => {
      let out: Float32Array[] = [];
      const { kernels } = await tf.profile(() => {
        const { value, grads } = tf.valueAndGrads((p: tf.Tensor) => f(p))([t], dy);
        out = [value.dataSync() as Float32Array, grads[0].dataSync() as Float32Array];
        tf.dispose([value, ...grads]);
      });
      return { out, ran: new Set(kernels.map((k) => k.name)) };
    };
    const buffers = () => tf.backend().numDataIds(); // wasm heap buffers, temporaries included
    const before = [tf.memory().numTensors, buffers()];
    const patched = await run();
    assert.deepEqual([tf.memory().numTensors, buffers()], before, "no tensor or buffer left");
    assert.ok(patched.ran.has("Step"), "the patched forward and gradient run Step");
    assert.ok(!patched.ran.has("Select") && !patched.ran.has("Greater"), [...patched.ran].join());
    setWasmPatchesEnabled(false);
    try {
      const stock = await run();
      assert.ok(stock.ran.has("Select") && !stock.ran.has("Step"), [...stock.ran].join());
      assert.deepEqual(patched.out[0], stock.out[0], "forward bit-identical to the stock kernel");
      assert.deepEqual(patched.out[1], stock.out[1], "gradient bit-identical to the stock one");
    } finally {
      setWasmPatchesEnabled(true);
    }
    tf.dispose([t, dy]);
  }
});
