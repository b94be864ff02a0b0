import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "./runtime.ts";
import { setWasmPatchesEnabled } from "./wasm_patches.ts";
import { leadingAxes, makeMean, makeSum } from "./wasm_sum.ts";

const rng = new Rng(3);

Deno.test("leadingAxes counts a reduction over exactly the leading axes", () => {
  assert.equal(leadingAxes([0], 2), 1);
  assert.equal(leadingAxes(0, 3), 1);
  assert.equal(leadingAxes([1, 0], 3), 2);
  assert.equal(leadingAxes([-3, -2], 3), 2);
  assert.equal(leadingAxes([1], 2), 0);
  assert.equal(leadingAxes([-1], 2), 0);
  assert.equal(leadingAxes([0, 2], 3), 0);
  assert.equal(leadingAxes([0, 1], 2), 0); // every axis: the stock kernel's case
  assert.equal(leadingAxes([], 2), 0);
});

Deno.test("Sum and Mean over leading axes match the stock kernels, with and without keepDims", async () => {
  await initTf("wasm");
  const cases: [number[], number[]][] = [
    [[1024, 20], [0]],
    [[7, 5], [0]],
    [[3, 4, 5], [0, 1]],
    [[3, 4, 5], [0]],
    [[6, 9], [1]],
    [[6, 9], [0, 1]],
  ];
  for (const [shape, axis] of cases) {
    const x = tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape);
    for (const [name, op] of [["sum", tf.sum], ["mean", tf.mean]] as const) {
      for (const keepDims of [false, true]) {
        const before = tf.memory().numTensors;
        const got = op(x, axis, keepDims);
        setWasmPatchesEnabled(false);
        const want = op(x, axis, keepDims);
        setWasmPatchesEnabled(true);
        assert.deepEqual(got.shape, want.shape, `${name} ${shape} ${axis} ${keepDims}`);
        const g = got.dataSync(), w = want.dataSync();
        for (let k = 0; k < w.length; k++) {
          assert.ok(Math.abs(g[k] - w[k]) < 1e-4, `${name} ${shape} ${axis}: ${g[k]} vs ${w[k]}`);
        }
        tf.dispose([got, want]);
        assert.equal(tf.memory().numTensors, before);
      }
    }
    x.dispose();
  }
  // A bias gradient (broadcast add) reduces the batch axis through the patched kernel.
  const b = tf.variable(tf.zeros([3]));
  const x = tf.tensor2d(rng.normalArray(1024 * 3), [1024, 3]);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.add(x, b), x)));
  // d/db Σ (x + b)·x = Σ_rows x, summed here in JavaScript (not through any Sum kernel).
  const xs = x.dataSync(), want = [0, 0, 0];
  for (let r = 0; r < 1024; r++) for (let k = 0; k < 3; k++) want[k] += xs[r * 3 + k];
  grads[b.name].dataSync().forEach((v, k) => assert.ok(Math.abs(v - want[k]) < 1e-3));
  tf.dispose([b, x, grads[b.name]]);
});

Deno.test("makeSum hands innermost and integer reductions to the original", async () => {
  await initTf("wasm");
  let calls = 0;
  const original = () => {
    calls++;
    return { dataId: {}, shape: [], dtype: "float32" } as tf.TensorInfo;
  };
  const sum = makeSum(original, () => true);
  const x = tf.tensor2d([[1, 2], [3, 4]]), xi = tf.tensor2d([[1, 2], [3, 4]], undefined, "int32");
  sum({ inputs: { x }, backend: tf.backend(), attrs: { axis: [1], keepDims: false } });
  sum({ inputs: { x: xi }, backend: tf.backend(), attrs: { axis: [0], keepDims: false } });
  assert.equal(calls, 2);
  const out = sum({ inputs: { x }, backend: tf.backend(), attrs: { axis: [0], keepDims: false } });
  assert.equal(calls, 2);
  const y = tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
  assert.deepEqual(Array.from(y.dataSync()), [4, 6]);
  tf.dispose([x, xi, y]);
});

Deno.test("makeMean divides the column sums by the rows", async () => {
  await initTf("wasm");
  const original = () => ({ dataId: {}, shape: [], dtype: "float32" }) as tf.TensorInfo;
  const mean = makeMean(original, () => true);
  const x = tf.tensor3d([[[1, 2]], [[3, 6]], [[8, 1]]]); // [3, 1, 2]
  const out = mean({
    inputs: { x },
    backend: tf.backend(),
    attrs: { axis: [0, 1], keepDims: false },
  });
  const y = tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
  assert.deepEqual(y.shape, [2]);
  assert.deepEqual(Array.from(y.dataSync()), [4, 3]);
  tf.dispose([x, y]);
});
