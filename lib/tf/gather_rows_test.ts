import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { gatherRows } from "./gather_rows.ts";
import { initTf, tf } from "./runtime.ts";
import { assertClose, onBoth } from "./testing.ts";

const rng = new Rng(17);

/** gather(x, ids) values and the gradient of sum(gather(x, ids) * w) w.r.t. x via variableGrads. */
function lookup(
  gather: (x: tf.Tensor2D, ids: tf.Tensor1D) => tf.Tensor2D,
  x: Float32Array,
  shape: [number, number],
  ids: number[],
  w: Float32Array,
): () => tf.Tensor[] {
  return () => {
    const v = tf.variable(tf.tensor2d(x, shape));
    const idx = tf.tensor1d(ids, "int32");
    const value = gather(v, idx);
    const weights = tf.tensor2d(w, [ids.length, shape[1]]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(gather(v, idx), weights)), [v]);
    const out = [value, grads[v.name]];
    v.dispose();
    return out;
  };
}

Deno.test("gatherRows matches tf.gather on cpu (values and gradients, repeated indices)", async () => {
  const shapes: [number, number][] = [[7, 4], [5, 1], [6, 64], [3, 130]];
  for (const shape of shapes) {
    const x = rng.normalArray(shape[0] * shape[1]);
    const ids = [2, 0, 2, 2, shape[0] - 1, 1, 0, 2];
    const w = rng.normalArray(ids.length * shape[1]);
    await initTf("cpu");
    const ref = tf.tidy(lookup((a, b) => tf.gather(a, b), x, shape, ids, w));
    const want = ref.map((t) => ({ shape: t.shape, data: t.dataSync() }));
    tf.dispose(ref);
    const { wasm, cpu } = await onBoth(lookup(gatherRows, x, shape, ids, w));
    assertClose(wasm, want, `gatherRows [${shape}] on wasm`);
    assertClose(cpu, want, `gatherRows [${shape}] on cpu`);
  }
});

Deno.test("gatherRows: empty indices, rows never gathered get zero gradient", async () => {
  await initTf("wasm");
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
  const g = tf.grad((t: tf.Tensor) =>
    tf.sum(gatherRows(t as tf.Tensor2D, tf.tensor1d([1, 1], "int32")))
  );
  const dx = g(x);
  assert.deepEqual(Array.from(dx.dataSync()), [0, 0, 2, 2, 0, 0]);
  const empty = gatherRows(x, tf.tensor1d([], "int32"));
  assert.deepEqual(empty.shape, [0, 2]);
  tf.dispose([x, dx, empty]);
});

Deno.test("gatherRows keeps its indices for the backward pass and leaks nothing", async () => {
  await initTf("wasm");
  const x = tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]));
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(() => {
    // The indices die with the inner tidy, before the gradient runs.
    const y = tf.tidy(() => gatherRows(x, tf.tensor1d([1, 0, 1], "int32")));
    return tf.sum(y);
  }, [x]);
  assert.deepEqual(Array.from(grads[x.name].dataSync()), [1, 1, 2, 2]);
  tf.dispose([value, grads[x.name]]);
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
});

Deno.test("gatherRows rejects bad shapes, dtypes and indices", async () => {
  await initTf("wasm");
  tf.tidy(() => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const ids = tf.tensor1d([0], "int32");
    assert.throws(() => gatherRows(tf.zeros([3]) as unknown as tf.Tensor2D, ids), RangeError);
    assert.throws(
      () => gatherRows(x, tf.zeros([1, 1], "int32") as unknown as tf.Tensor1D),
      RangeError,
    );
    assert.throws(() => gatherRows(x, tf.tensor1d([0])), /int32, got float32/);
    assert.throws(() => gatherRows(x, tf.tensor1d([3], "int32")), /index 3 .*\[0, 3\)/);
  });
});
