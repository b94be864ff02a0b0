import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { infoNceFirst, rowDot, setPairMatmulMax } from "../nn/mod.ts";
import { clcrecSpec, contentMask, userItemNce } from "./clcrec.ts";
import { conformanceTests } from "./_conformance.ts";
import { assertSameLossesThroughMatmul } from "./_test_utils.ts";

await initTf();
const cfg = { ...clcrecSpec.defaults, negatives: 16, dim: 16, hidden: 32, attrDim: 16 };

conformanceTests(clcrecSpec, cfg, { itemTable: "item" });

Deno.test("contentMask: randint marks ≈ 1 − e^(−numSample) of the positions, bernoulli ≈ numSample", () => {
  const n = 20000;
  const frac = (mixing: string) =>
    contentMask(n, 0.5, new Rng(3), mixing).reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(frac("randint") - (1 - Math.exp(-0.5))) < 0.01, `${frac("randint")}`);
  assert.ok(Math.abs(frac("bernoulli") - 0.5) < 0.01, `${frac("bernoulli")}`);
});

Deno.test("userItemNce: the chosen row of [f ; e] per position equals mask·⟨u, f⟩ + (1 − mask)·⟨u, e⟩", () => {
  tf.tidy(() => {
    const rng = new Rng(5), b = 6, width = 4, n = 9, d = 5, tau = 0.7;
    const u = tf.tensor2d(rng.normalArray(b * d), [b, d]);
    const f = tf.tensor2d(rng.normalArray(n * d), [n, d]);
    const e = tf.tensor2d(rng.normalArray(n * d), [n, d]);
    const at = Int32Array.from({ length: b * width }, () => rng.int(n));
    const mask = contentMask(b * width, 0.5, rng, "bernoulli");
    const rowOf = tf.tensor1d(Array.from(at, (_, j) => Math.floor(j / width)), "int32");
    const straight = (uu: tf.Tensor2D, ff: tf.Tensor2D, ee: tf.Tensor2D) => {
      const ur = tf.gather(uu, rowOf) as tf.Tensor2D, pos = tf.tensor1d(at, "int32");
      const m = tf.tensor2d(mask, [mask.length, 1]);
      const s = tf.add(
        tf.mul(m, rowDot(ur, tf.gather(ff, pos))),
        tf.mul(tf.sub(1, m), rowDot(ur, tf.gather(ee, pos))),
      );
      return infoNceFirst(tf.reshape(tf.div(s, tau), [b, width]));
    };
    const ours = (uu: tf.Tensor2D, ff: tf.Tensor2D, ee: tf.Tensor2D) =>
      userItemNce(uu, ff, ee, at, mask, tau, width);
    for (const max of [4096, 0]) { // the matMul path and the row-dot path
      const old = setPairMatmulMax(max);
      try {
        const run = (fn: typeof ours) => {
          const g = tf.grads((x, y, z) => fn(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D));
          return [fn(u, f, e), ...g([u, f, e])].map((t) => Array.from(t.dataSync()));
        };
        const want = run(straight), got = run(ours);
        got.forEach((xs, t) =>
          xs.forEach((x, j) => assert.ok(Math.abs(x - want[t][j]) < 1e-5, `${max} ${t} ${j}`))
        );
      } finally {
        setPairMatmulMax(old);
      }
    }
  });
});

Deno.test("CLCRec: a few steps' losses are the same through the matMul scores and the row dots", () =>
  assertSameLossesThroughMatmul(clcrecSpec, cfg, ["loss", "itemContent", "userItem"]));
