import assert from "node:assert/strict";
import { initTf, tf } from "../tf/mod.ts";
import { Rng } from "../rng/mod.ts";
import { applyHead, createHead, LOG_VAR_LIMIT, reparameterise } from "./gaussian.ts";
import { ParamSet } from "./params.ts";

await initTf();

Deno.test("Gaussian head: logσ² is bounded, so a huge head still samples finite values", () => {
  const head = {
    wMu: tf.variable(tf.tensor2d([[1, 1]])),
    bMu: tf.variable(tf.zeros([2])),
    wLv: tf.variable(tf.tensor2d([[500, -500]])),
    bLv: tf.variable(tf.tensor1d([0, 0])),
  };
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.tensor2d([[1], [0.001]]);
    const g = applyHead(head, x);
    // Row 1 is far outside the bound and clipped; row 2 (±0.5) is unchanged.
    assert.deepEqual(Array.from(g.logVar.dataSync()), [LOG_VAR_LIMIT, -LOG_VAR_LIMIT, 0.5, -0.5]);
    const z = reparameterise(g, (n, d) => tf.ones([n, d]));
    assert.ok(Array.from(z.dataSync()).every(Number.isFinite));
    // Outside the bound the head gets no gradient; inside it passes through.
    const grad = tf.grad((w: tf.Tensor) =>
      tf.sum(applyHead({ ...head, wLv: w as tf.Variable }, x).logVar)
    )(head.wLv);
    assert.deepEqual(Array.from(grad.dataSync()).map((v) => +v.toFixed(6)), [0.001, 0.001]);
  });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(Object.values(head));
});

Deno.test("createHead names its parameters; logVarInit sets the log-variance bias", () => {
  const p = new ParamSet();
  const h = createHead(p, "view", 3, 2, new Rng(1), -2);
  assert.deepEqual([...p.denseVars.keys()], ["view.wMu", "view.bMu", "view.wLv", "view.bLv"]);
  assert.deepEqual(Array.from(h.bLv.dataSync()), [-2, -2]);
  assert.deepEqual(Array.from(h.bMu.dataSync()), [0, 0]);
  assert.equal(reparameterise(applyHead(h, tf.zeros([1, 3])), null).shape[1], 2);
  p.dispose();
});
