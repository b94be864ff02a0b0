import assert from "node:assert/strict";
import { loadDataset } from "../../data/mod.ts";
import { coldItemSplit } from "../../split/mod.ts";
import { initTf } from "../../tf/mod.ts";
import { explainPair } from "./interpret.ts";
import { factoredScores, naiveScores } from "./scorer.ts";
import { smallModel, train } from "./_test_utils.ts";

await initTf();
// A planted set whose users differ in their view weights and in their common shares.
const ds = await loadDataset({
  kind: "synthetic",
  users: 200,
  items: 150,
  modalities: 1,
  commonSpread: 3,
});
const split = coldItemSplit(ds, { seed: 0 });

Deno.test("plantedFusion both: every user's gates are its normalised planted weights and α its planted share, for every item", () => {
  const model = smallModel(ds, split, { plantedFusion: "both", sharedNegatives: 16 });
  assert.equal(model.net.mmoe, null, "no gate parameters to learn");
  assert.equal(model.net.vmoe, null, "no view-gate parameters to learn");
  train(model, split, 3);
  const truth = ds.truth!, nv = truth.views.length;
  for (const user of [0, 7, 123]) {
    const w = truth.userViewWeights.subarray(user * nv, (user + 1) * nv);
    const sum = w.reduce((s, x) => s + x, 0);
    for (const item of split.testItems.subarray(0, 3)) {
      const e = explainPair(model.net, user, item);
      truth.views.forEach((v, k) => assert.ok(Math.abs(e.gates[v] - w[k] / sum) < 1e-5, v));
      assert.ok(Math.abs(e.commonWeight - truth.userCommonWeights![user]) < 1e-6);
    }
  }
  model.dispose();
});

for (const mode of ["gates", "alpha", "both"]) {
  Deno.test(`plantedFusion ${mode}: factored scoring equals naive per-pair scoring`, () => {
    const model = smallModel(ds, split, { plantedFusion: mode });
    train(model, split, 3);
    const users = split.trainUsers.subarray(0, 25), items = split.testItems.subarray(0, 9);
    const fast = factoredScores(model.net, users, items, "exact");
    const slow = naiveScores(model.net, users, items, "exact", 64);
    let d = 0;
    for (let k = 0; k < fast.length; k++) d = Math.max(d, Math.abs(fast[k] - slow[k]));
    assert.ok(d < 1e-4, `max difference ${d}`);
    model.dispose();
  });
}

Deno.test("plantedFusion needs the planted truth it reads: one line naming the key", async () => {
  const plain = await loadDataset({ kind: "synthetic", users: 200, items: 150, modalities: 1 });
  const s = coldItemSplit(plain, { seed: 0 });
  assert.throws(
    () => smallModel(plain, s, { plantedFusion: "alpha" }),
    /^RangeError: m2vae config "plantedFusion": alpha needs a planted synthetic dataset \(planted common shares, commonSpread > 0\)$/,
  );
  smallModel(plain, s, { plantedFusion: "gates" }).dispose(); // view weights are planted
  delete plain.truth;
  assert.throws(
    () => smallModel(plain, s, { plantedFusion: "gates" }),
    /plantedFusion": gates needs/,
  );
});
