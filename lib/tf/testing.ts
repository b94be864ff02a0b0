/**
 * Test helpers for the kernel patches: run a computation on the wasm and the cpu backend and
 * compare the results element by element.
 *
 * @module
 */
import assert from "node:assert/strict";
import { initTf, tf } from "./runtime.ts";

/** A tensor read back: its shape and values. */
export interface Result {
  shape: number[];
  data: ArrayLike<number>;
}

/**
 * Runs `f` in a `tf.tidy` on the wasm backend, then on the cpu backend, reads every returned
 * tensor back and disposes it; the wasm backend is active again afterwards.
 */
export async function onBoth(f: () => tf.Tensor[]): Promise<{ wasm: Result[]; cpu: Result[] }> {
  const run = () => {
    const ts = tf.tidy(f);
    const out = ts.map((t) => ({ shape: t.shape, data: t.dataSync() }));
    tf.dispose(ts);
    return out;
  };
  await initTf("wasm");
  const wasm = run();
  await initTf("cpu");
  const cpu = run();
  await initTf("wasm");
  return { wasm, cpu };
}

/** Asserts equal shapes and values within `rtol` (relative, absolute below magnitude 1). */
export function assertClose(
  actual: Result[],
  expected: Result[],
  what: string,
  rtol = 1e-4,
): void {
  assert.equal(actual.length, expected.length, `${what}: number of outputs`);
  actual.forEach((a, k) => {
    const e = expected[k];
    assert.deepEqual(a.shape, e.shape, `${what}[${k}]: shape`);
    assert.equal(a.data.length, e.data.length, `${what}[${k}]: size`);
    for (let i = 0; i < e.data.length; i++) {
      const tol = rtol * Math.max(1, Math.abs(e.data[i]));
      if (!(Math.abs(a.data[i] - e.data[i]) <= tol)) {
        assert.fail(`${what}[${k}] element ${i}: wasm ${a.data[i]} vs cpu ${e.data[i]}`);
      }
    }
  });
}

/** Runs `f` on both backends (see {@linkcode onBoth}) and asserts the results agree. */
export async function compareBackends(what: string, f: () => tf.Tensor[]): Promise<void> {
  const { wasm, cpu } = await onBoth(f);
  assertClose(wasm, cpu, what);
}

/**
 * A computation returning `g(inputs)`, the value of `sum(g(inputs) * weights)` and its gradients
 * w.r.t. every input, for {@linkcode compareBackends}.
 */
export function valueAndGrads(
  inputs: { data: Float32Array; shape: number[] }[],
  g: (...xs: tf.Tensor[]) => tf.Tensor,
  weights: Float32Array,
): () => tf.Tensor[] {
  return () => {
    const xs = inputs.map((x) => tf.tensor(x.data, x.shape));
    const forward = g(...xs);
    const w = tf.tensor(weights, forward.shape);
    const { value, grads } = tf.valueAndGrads((...ys: tf.Tensor[]) => tf.sum(tf.mul(g(...ys), w)))(
      xs,
    );
    return [forward, value, ...grads];
  };
}
