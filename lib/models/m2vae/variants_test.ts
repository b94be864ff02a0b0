import assert from "node:assert/strict";
import { initTf } from "../../tf/mod.ts";
import { M2VAE_VARIANTS, resolveVariant } from "./variants.ts";
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
