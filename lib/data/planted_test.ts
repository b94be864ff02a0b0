import assert from "node:assert/strict";
import { generateSynthetic } from "./synthetic.ts";
import {
  expectedViewWeights,
  pairViewWeights,
  plantedUtility,
  rowDot,
  syntheticUtilities,
} from "./planted.ts";

const SMALL = { users: 40, items: 30, interactionsPerUser: [3, 8] as [number, number] };

Deno.test("rowDot: n entries of two rows from their offsets", () => {
  const a = Float32Array.from([9, 1, 2, 3]), b = Float32Array.from([4, 5, 6, 9]);
  assert.equal(rowDot(a, 1, b, 0, 3), 1 * 4 + 2 * 5 + 3 * 6);
});

Deno.test("plantedUtility: pair weighting is syntheticUtilities; common leaves the views out", () => {
  for (const viewSalience of [0, 1.5]) {
    const { latent } = generateSynthetic({ ...SMALL, seed: 2, viewSalience });
    const kc = latent.commonDim;
    for (const u of [0, 7]) {
      const s = syntheticUtilities(latent, u);
      for (const i of [0, 11, 29]) {
        assert.ok(Math.abs(plantedUtility(latent, u, i, "pair") - s[i]) < 1e-9);
        const common = rowDot(latent.userCommon, u * kc, latent.common, i * kc, kc) /
            Math.sqrt(kc) + latent.popularity[i];
        assert.ok(Math.abs(plantedUtility(latent, u, i, "common") - common) < 1e-9);
      }
    }
  }
});

Deno.test("view weights: each pair's sum to the number of views; no salience, the users' own", () => {
  const plain = generateSynthetic({ ...SMALL, seed: 4 }).latent;
  assert.equal(expectedViewWeights(plain, 1), plain.viewWeights);
  const { latent } = generateSynthetic({ ...SMALL, seed: 4, viewSalience: 1 });
  const V = latent.views.length, w = new Float64Array(V);
  pairViewWeights(latent.salience!, 3, 5, w);
  assert.ok(Math.abs(w.reduce((a, b) => a + b) - V) < 1e-9);
  const expected = expectedViewWeights(latent, 1, 64);
  for (let u = 0; u < 3; u++) {
    const row = expected.subarray(u * V, (u + 1) * V);
    assert.ok(Math.abs(row.reduce((a, b) => a + b) - V) < 1e-4);
  }
});
