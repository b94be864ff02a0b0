import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { initTf, tf } from "../../tf/mod.ts";
import { M2VAE_DEFAULTS, type M2vaeConfig } from "./config.ts";
import { inertParts, M2VAE_VARIANTS, resolveVariant, sameAsFull } from "./variants.ts";
import { smallModel, tinySetup, train } from "./_test_utils.ts";
import { factoredScores } from "./scorer.ts";

await initTf();

Deno.test("the nine Table 4 variants and `paper` resolve by name; unknown names list them", () => {
  assert.deepEqual(Object.keys(M2VAE_VARIANTS), [
    "full",
    "w/o common",
    "early generate",
    "w/o SG",
    "w/o M-MoE",
    "w/o V-MoE",
    "weighted PoE",
    "w/o DCL",
    "w/o Co-CL",
    "paper",
  ]);
  assert.deepEqual(resolveVariant("w/o SG"), { selfGate: false });
  assert.throws(() => resolveVariant("w/o everything"), /variants are "full", "w\/o common"/);
});

Deno.test("each variant changes the computation (parameters or outputs differ)", async () => {
  const { ds, split } = await tinySetup();
  const users = split.trainUsers.subarray(0, 20), items = split.testItems.subarray(0, 10);
  const runs = Object.keys(M2VAE_VARIANTS).map((variant) => {
    const model = smallModel(ds, split, { variant });
    const losses = train(model, split, 2);
    const names = [...model.params.denseVars.keys()].sort().join(",");
    const scores = factoredScores(model.net, users, items);
    model.dispose();
    return { variant, names, scores, terms: Object.keys(losses[1]).sort().join(",") };
  });
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      const x = runs[a], y = runs[b];
      let diff = 0;
      for (let k = 0; k < x.scores.length; k++) {
        diff = Math.max(diff, Math.abs(x.scores[k] - y.scores[k]));
      }
      assert.ok(
        x.names !== y.names || diff > 1e-6,
        `"${x.variant}" and "${y.variant}" compute the same thing`,
      );
    }
  }
  const terms = Object.fromEntries(runs.map((r) => [r.variant, r.terms]));
  assert.ok(!terms["w/o DCL"].includes("disentangle") && terms.full.includes("disentangle"));
  assert.ok(!terms["w/o Co-CL"].includes("co,") && terms.full.includes("co,"));
});

Deno.test("inertParts: with one content view the gates, self-gate and α cannot act", () => {
  const names = (views: number, patch: Partial<M2vaeConfig> = {}) =>
    inertParts(views, { ...M2VAE_DEFAULTS, ...patch }).map((p) => p.variant);
  assert.deepEqual(names(1), ["w/o M-MoE", "w/o SG", "w/o V-MoE"]);
  assert.deepEqual(names(2), []);
  assert.deepEqual(names(1, { earlyGenerate: true }), ["w/o M-MoE", "w/o SG"]);
  // Config-level: no common view leaves α nothing to weigh; weighted PoE has no gates at all.
  assert.deepEqual(names(2, { commonView: false }), ["w/o V-MoE"]);
  assert.deepEqual(names(1, { commonView: false }), ["w/o M-MoE", "w/o SG", "w/o V-MoE"]);
  assert.deepEqual(names(3, { fusion: "weightedPoe" }), ["w/o M-MoE", "w/o SG", "w/o V-MoE"]);
  assert.match(sameAsFull("w/o V-MoE", 1, M2VAE_DEFAULTS)!, /product of one expert/);
  for (const v of ["full", "w/o common", "weighted PoE", "w/o DCL", "paper", "nonsense"]) {
    assert.equal(sameAsFull(v, 1, M2VAE_DEFAULTS), undefined, v);
  }
  assert.equal(sameAsFull("w/o M-MoE", 3, M2VAE_DEFAULTS), undefined);
});

Deno.test("the parts inertParts names train the same scores on one view, and not on two", async () => {
  // Two models from the same start, one with the part's parameters redrawn, trained on the same
  // batches: where the part cannot act their scores stay equal (to float rounding and the PoE's
  // ε); where it can, they part.
  const moved = async (modalities: number, prefix: string) => {
    const { ds, split } = await tinySetup(modalities);
    const a = smallModel(ds, split), b = smallModel(ds, split);
    const rng = new Rng(9);
    let redrawn = 0;
    for (const [name, v] of b.params.denseVars) {
      if (!name.startsWith(prefix)) continue;
      v.assign(tf.tensor(rng.normalArray(v.size), v.shape));
      redrawn++;
    }
    train(a, split, 4);
    train(b, split, 4);
    const users = split.trainUsers.subarray(0, 24), items = split.testItems.subarray(0, 12);
    const x = factoredScores(a.net, users, items), y = factoredScores(b.net, users, items);
    a.dispose();
    b.dispose();
    assert.ok(redrawn > 0, `no ${prefix} parameters`);
    return x.reduce((m, v, k) => Math.max(m, Math.abs(v - y[k])), 0);
  };
  for (const prefix of ["mmoe.", "vmoe."]) {
    const one = await moved(0, prefix), two = await moved(1, prefix);
    assert.ok(one < 1e-4, `${prefix} moved one-view scores by ${one}`);
    assert.ok(two > 1e-2, `${prefix} moved two-view scores by only ${two}`);
  }
});
