import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { trainSteps } from "../../train/mod.ts";
import { conformanceFixture, conformanceTests } from "../_conformance.ts";
import { mvdgaeSpec } from "./model.ts";
import { taskWeighted } from "./decoders.ts";
import { tf } from "../../tf/mod.ts";

const cfg = { ...mvdgaeSpec.defaults, dim: 16, hidden: 32, attrDim: 8, fanout: 4 };

Deno.test("MVDGAE: the Bayesian task weights learn and scoring is repeatable", async () => {
  const { ds, split } = await conformanceFixture();
  const m = mvdgaeSpec.create(cfg, { dataset: ds, split, rng: new Rng(3) });
  try {
    trainSteps(m, split, 10, { lr: 1e-2, batchSize: 128, seed: 9 });
    for (const name of ["task.userUser", "task.itemItem"]) {
      const s = m.params.denseVars.get(name)!.dataSync()[0];
      assert.ok(Number.isFinite(s) && s !== 0, `${name} = ${s}`);
    }
    const a = await m.scorer().score(split.trainUsers, split.testItems);
    assert.deepEqual(await m.scorer().score(split.trainUsers, split.testItems), a);
  } finally {
    m.dispose();
  }
});

conformanceTests(mvdgaeSpec, cfg);

Deno.test("taskWeighted: Eq. 8's e^{−s}L + 2s against Kendall's ½e^{−s}L + ½s, and their optima", () => {
  tf.tidy(() => {
    const L = tf.scalar(3), s0 = tf.scalar(0);
    assert.ok(Math.abs(taskWeighted(L, s0).dataSync()[0] - 3) < 1e-6);
    assert.ok(Math.abs(taskWeighted(L, s0, "kendall").dataSync()[0] - 1.5) < 1e-6);
    // ∂/∂s = 0 at e^{−s} = 2/L (paper) and 1/L (Kendall): the loss then weighs 2/L against ½/L.
    const grad = (form: string, s: number) =>
      tf.grad((x: tf.Tensor) => taskWeighted(L, x as tf.Scalar, form))(tf.scalar(s)).dataSync()[0];
    assert.ok(Math.abs(grad("paper", Math.log(3 / 2))) < 1e-5);
    assert.ok(Math.abs(grad("kendall", Math.log(3))) < 1e-5);
    const weight = (form: string, s: number) =>
      tf.grad((l: tf.Tensor) => taskWeighted(l as tf.Scalar, tf.scalar(s), form))(L).dataSync()[0];
    assert.ok(
      Math.abs(weight("paper", Math.log(3 / 2)) / weight("kendall", Math.log(3)) - 4) < 1e-4,
    );
  });
});
