import assert from "node:assert/strict";
import { Optimizer, rowDot, rows, uniqueIndex } from "../../nn/mod.ts";
import { initTf, tf } from "../../tf/mod.ts";
import { decode } from "./decoder.ts";
import { type JointMode, jointPosterior } from "./joint.ts";
import {
  mixPairsPath,
  negativePool,
  setMixPairsPath,
  sharedNegativeRank,
} from "./shared_negatives.ts";
import { RANKING_ALONE, smallModel, tinySetup, train } from "./_test_utils.ts";

await initTf();
const { ds, split } = await tinySetup(2);

Deno.test("negativePool: the first k distinct draws, in order", () => {
  assert.deepEqual([...negativePool(Int32Array.of(4, 2, 4, 7, 2, 9), 3)], [4, 2, 7]);
  assert.deepEqual([...negativePool(Int32Array.of(1, 1), 5)], [1]);
});

/**
 * The factorised scores against the network's own path on the means: fuse each (user, item)
 * pair, join with the item's ID expert, decode, dot with the user.
 */
for (
  const [name, patch] of [
    ["full (joint mean)", {}],
    ["joint sum", { joint: "sum" }],
    ["w/o common", { variant: "w/o common" }],
    ["w/o M-MoE", { variant: "w/o M-MoE" }],
    ["weighted PoE", { variant: "weighted PoE" }],
    ["product logit, no raw views", { gateLogit: "product", decoderRaws: false }],
    ["user-only gate logit", { gateLogit: "user" }],
    ["planted gates", { plantedFusion: "gates" }],
  ] as const
) {
  Deno.test(`sharedNegatives: factorised scores equal decoding each pair (${name})`, () => {
    const model = smallModel(ds, split, { rankNegatives: "items", ...patch });
    const net = model.net;
    const users = split.trainUsers.subarray(0, 6);
    const items = split.trainItems.subarray(0, 6), pool = split.trainItems.subarray(10, 15);
    tf.tidy(() => {
      const u = net.users.rowsTensor(users);
      const anchors = uniqueIndex(items, split.numItems);
      const enc = net.encodeItems(anchors.unique, null);
      const id = net.idPosterior(net.items.rowsTensor(anchors.unique));
      const encP = net.encodeItems(pool, null);
      const idP = net.idPosterior(net.items.rowsTensor(pool));
      const { pos, neg } = sharedNegativeRank(net, {
        u,
        users,
        seen: null,
        anchors: { enc, id, index: anchors.index, unique: anchors.unique },
        pool: { items: pool, enc: encP, id: idP },
      }, 1);
      const direct = (
        uRows: tf.Tensor2D,
        e: typeof enc,
        g: typeof id,
        idx: tf.Tensor1D,
        ids: Int32Array,
      ) => {
        const f = net.fuse(uRows, e, idx, ids).posterior;
        const q = jointPosterior(
          { mu: rows(g.mu, idx), logVar: rows(g.logVar, idx) },
          f,
          net.cfg.joint as JointMode,
        );
        return rowDot(decode(net.dec, q.mu, e.raws.map((x) => rows(x, idx))), uRows);
      };
      const wantPos = direct(u, enc, id, tf.tensor1d(anchors.index, "int32"), users);
      const b = users.length, k = pool.length;
      const pairUsers = Int32Array.from({ length: b * k }, (_, p) => p / k);
      const pairUser = tf.tensor1d(pairUsers, "int32");
      const pairItem = tf.tensor1d(Int32Array.from({ length: b * k }, (_, p) => p % k), "int32");
      const wantNeg = direct(
        rows(u, pairUser),
        encP,
        idP,
        pairItem,
        pairUsers.map((r) => users[r]),
      );
      const close = (a: tf.Tensor, w: tf.Tensor, what: string) => {
        const x = a.dataSync(), y = w.dataSync();
        assert.equal(x.length, y.length);
        for (let i = 0; i < x.length; i++) {
          assert.ok(Math.abs(x[i] - y[i]) < 1e-4 * (1 + Math.abs(y[i])), `${what}[${i}]`);
        }
      };
      close(pos, wantPos, "positive");
      close(neg, tf.reshape(wantNeg, [b, k]), "pool");
    });
    model.dispose();
  });
}

Deno.test("sharedNegatives: the softmax starts near ln(1 + K) and trains below it", () => {
  const model = smallModel(ds, split, {
    rankNegatives: "items",
    sharedNegatives: 16,
    ...RANKING_ALONE,
  });
  const log = train(model, split, 150);
  const chance = log[0]["chance.rankShared"];
  assert.ok(Math.abs(chance - Math.log(17)) < 1e-6, `pool of ${Math.exp(chance) - 1}`);
  assert.equal(log[0].bprItem, undefined, "the shared pool replaces the per-row negative");
  assert.ok(Math.abs(log[0].rankShared - chance) < 0.3, `first step ${log[0].rankShared}`);
  const last = log.slice(-10).reduce((a, t) => a + t.rankShared, 0) / 10;
  assert.ok(last < chance - 0.5, `last 10 steps ${last} vs chance ${chance}`);
  model.dispose();
  const leaks = tf.memory().numTensors;
  const again = smallModel(ds, split, { rankNegatives: "items", sharedNegatives: 16 });
  const opt = new Optimizer(again.params, { lr: 1e-2 });
  train(again, split, 3, opt);
  opt.dispose();
  again.dispose();
  assert.equal(tf.memory().numTensors, leaks, "no tensor left behind by a step");
});

Deno.test("sharedNegatives acts only where there is an item-side term", () => {
  const users = smallModel(ds, split, { rankNegatives: "users", sharedNegatives: 8 });
  const t = train(users, split, 1)[0];
  assert.equal(t.rankShared, undefined, "Eq. 27's user-side term alone");
  assert.ok(Number.isFinite(t.bpr));
  users.dispose();
  const both = smallModel(ds, split, { rankNegatives: "both", sharedNegatives: 8 });
  const u = train(both, split, 1)[0];
  assert.ok(Number.isFinite(u.bpr) && Number.isFinite(u.rankShared), JSON.stringify(u));
  both.dispose();
});

Deno.test("sharedNegatives: the SIMD kernel path trains as the TF reference does", () => {
  assert.equal(mixPairsPath(), "kernel", "the kernel is the default where it loads");
  const run = (path: "kernel" | "tf") => {
    setMixPairsPath(path);
    const model = smallModel(ds, split, { rankNegatives: "items", sharedNegatives: 16 });
    try {
      return train(model, split, 12).map((t) => t.rankShared);
    } finally {
      model.dispose();
      setMixPairsPath("auto");
    }
  };
  const kernel = run("kernel"), reference = run("tf");
  for (let i = 0; i < kernel.length; i++) {
    assert.ok(
      Math.abs(kernel[i] - reference[i]) < 1e-3 * (1 + Math.abs(reference[i])),
      `step ${i}: kernel ${kernel[i]}, TF ${reference[i]}`,
    );
  }
  assert.notEqual(kernel[0], kernel.at(-1), "the term moved");
});
