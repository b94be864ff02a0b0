import assert from "node:assert/strict";
import { initTf, tf } from "../../tf/mod.ts";
import { M2VAE_VARIANTS } from "./variants.ts";
import { smallModel, tinySetup, train } from "./_test_utils.ts";
import { factoredScores, type InferenceMode, naiveScores, scoringMemo } from "./scorer.ts";

await initTf();

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

for (const modalities of [1, 0, 3]) {
  Deno.test(`factored scoring equals naive per-pair scoring (${modalities} modalities)`, async () => {
    const { ds, split } = await tinySetup(modalities);
    const users = split.trainUsers.subarray(0, 25), items = split.testItems.subarray(0, 9);
    const variants = modalities === 1 ? Object.keys(M2VAE_VARIANTS) : ["full", "w/o common"];
    for (const variant of variants) {
      const model = smallModel(ds, split, { variant });
      train(model, split, 3);
      for (const mode of ["exact", "shared", "noLatent"] as InferenceMode[]) {
        const fast = factoredScores(model.net, users, items, mode);
        const slow = naiveScores(model.net, users, items, mode, 64);
        assert.ok(fast.every(Number.isFinite));
        const d = maxDiff(fast, slow);
        assert.ok(d < 1e-4, `${variant} / ${mode}: max difference ${d}`);
      }
      model.dispose();
    }
  });
}

Deno.test("factored scoring equals naive per-pair scoring (gateLogit: user)", async () => {
  const { ds, split } = await tinySetup(1);
  const users = split.trainUsers.subarray(0, 25), items = split.testItems.subarray(0, 9);
  const model = smallModel(ds, split, { gateLogit: "user" });
  train(model, split, 3);
  const d = maxDiff(
    factoredScores(model.net, users, items, "exact"),
    naiveScores(model.net, users, items, "exact", 64),
  );
  assert.ok(d < 1e-4, `max difference ${d}`);
  model.dispose();
});

Deno.test("exact scores are personalised beyond e_u (shared differs from exact)", async () => {
  const { ds, split } = await tinySetup();
  const model = smallModel(ds, split);
  train(model, split, 3);
  const users = split.trainUsers.subarray(0, 10), items = split.testItems.subarray(0, 5);
  const d = maxDiff(
    factoredScores(model.net, users, items, "exact"),
    factoredScores(model.net, users, items, "shared"),
  );
  assert.ok(d > 1e-4);
  model.dispose();
});

Deno.test("noLatent decodes z = 0: it differs from exact, and a decoder without W_z scores alike", async () => {
  const { ds, split } = await tinySetup();
  const model = smallModel(ds, split);
  train(model, split, 3);
  const users = split.trainUsers.subarray(0, 10), items = split.testItems.subarray(0, 5);
  const exact = factoredScores(model.net, users, items, "exact");
  const none = factoredScores(model.net, users, items, "noLatent");
  assert.ok(maxDiff(exact, none) > 1e-4, "the latent path changes the scores");
  // With W_z zeroed the latent has no path to the score: exact then equals noLatent.
  const wZ = model.net.dec.wZ;
  wZ.assign(tf.zerosLike(wZ));
  assert.ok(maxDiff(factoredScores(model.net, users, items, "exact"), none) < 1e-5);
  model.dispose();
});

Deno.test("decoderRaws false: the decoder reads z alone; factored equals naive, and z = 0 ranks nothing", async () => {
  const { ds, split } = await tinySetup();
  const model = smallModel(ds, split, { decoderRaws: false });
  assert.equal(model.net.dec.wCond.length, 0);
  train(model, split, 3);
  const users = split.trainUsers.subarray(0, 10), items = split.testItems.subarray(0, 6);
  for (const mode of ["exact", "shared", "noLatent"] as InferenceMode[]) {
    const d = maxDiff(
      factoredScores(model.net, users, items, mode),
      naiveScores(model.net, users, items, mode, 16),
    );
    assert.ok(d < 1e-4, `${mode}: max difference ${d}`);
  }
  // Without the raw views, z = 0 gives every item the same e_new: a user's scores are equal.
  const none = factoredScores(model.net, users, items, "noLatent");
  for (let u = 0; u < users.length; u++) {
    const row = none.subarray(u * items.length, (u + 1) * items.length);
    assert.ok(Math.max(...row) - Math.min(...row) < 1e-5);
  }
  model.dispose();
});

Deno.test("attributePool mean: a_i is the mean of the item's attribute rows, scores differ from attention, factored equals naive", async () => {
  const { ds, split } = await tinySetup();
  const mean = smallModel(ds, split, { attributePool: "mean" });
  const attn = smallModel(ds, split);
  const items = split.testItems.subarray(0, 6);
  const a = tf.tidy(() => mean.net.encodeItems(items, null).raws[0].arraySync());
  const table = mean.net.attr.table.arraySync() as number[][];
  const { offsets, tokens } = ds.attributes;
  for (let r = 0; r < items.length; r++) {
    const lo = offsets[items[r]], hi = offsets[items[r] + 1];
    const toks = hi > lo ? Array.from(tokens.subarray(lo, hi)) : [ds.attributes.vocab.length];
    for (let k = 0; k < table[0].length; k++) {
      const want = toks.reduce((s, t) => s + table[t][k], 0) / toks.length;
      assert.ok(Math.abs(a[r][k] - want) < 1e-5, `item ${r} dim ${k}: ${a[r][k]} vs ${want}`);
    }
  }
  const users = split.trainUsers.subarray(0, 10);
  const sm = factoredScores(mean.net, users, items, "exact");
  assert.ok(maxDiff(sm, factoredScores(attn.net, users, items, "exact")) > 1e-6);
  assert.ok(maxDiff(sm, naiveScores(mean.net, users, items, "exact", 16)) < 1e-4);
  mean.dispose();
  attn.dispose();
});

Deno.test("a scorer computes each block's user and item sides once, with the same scores", async () => {
  const { ds, split } = await tinySetup();
  const model = smallModel(ds, split);
  train(model, split, 3);
  const users = split.trainUsers.subarray(0, 20), items = split.testItems.subarray(0, 8);
  const memo = scoringMemo();
  // The evaluator's item2user order: items blocks outside, users blocks inside, fresh arrays.
  for (let i0 = 0; i0 < items.length; i0 += 4) {
    for (let u0 = 0; u0 < users.length; u0 += 10) {
      const bu = users.slice(u0, u0 + 10), bi = items.slice(i0, i0 + 4);
      const memoised = factoredScores(model.net, bu, bi, "exact", memo);
      assert.ok(maxDiff(memoised, naiveScores(model.net, bu, bi, "exact", 64)) < 1e-4);
      assert.deepEqual(memoised, factoredScores(model.net, bu, bi, "exact"));
      const shared = factoredScores(model.net, bu, bi, "shared", memo);
      assert.deepEqual(shared, factoredScores(model.net, bu, bi, "shared"));
    }
  }
  assert.equal(memo.users.computed, 2, "two users blocks, each computed once");
  assert.equal(memo.items.computed, 2, "two items blocks, each computed once");
  assert.equal(memo.decoded.computed, 2);
  model.dispose();
});
