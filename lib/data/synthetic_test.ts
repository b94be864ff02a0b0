import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { datasetStats, getModality, itemTokens } from "./dataset.ts";
import { pairViewWeights, syntheticUtilities } from "./planted.ts";
import { generateSynthetic, syntheticDataset } from "./synthetic.ts";

const SMALL = { users: 300, items: 300, interactionsPerUser: [5, 20] as [number, number] };

function cosine(
  a: ArrayLike<number>,
  ao: number,
  b: ArrayLike<number>,
  bo: number,
  n: number,
): number {
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < n; k++) {
    ab += a[ao + k] * b[bo + k];
    aa += a[ao + k] ** 2;
    bb += b[bo + k] ** 2;
  }
  return ab / Math.sqrt(aa * bb + 1e-12);
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length, my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  for (let k = 0; k < x.length; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

Deno.test("synthetic: defaults have the documented size and one 64-d image modality", () => {
  const s = datasetStats(syntheticDataset());
  assert.equal(s.users, 1500);
  assert.equal(s.items, 1200);
  assert.deepEqual(s.modalities, { image: 64 });
  assert.ok(s.interactions > 35000 && s.interactions < 45000, `${s.interactions} interactions`);
  assert.ok(s.itemsWithoutAttributes > 0 && s.itemsWithoutAttributes < 120);
});

Deno.test("synthetic: same seed gives the same dataset, another seed a different one", () => {
  const a = syntheticDataset({ ...SMALL, seed: 5, modalities: ["image", "text"] });
  const b = syntheticDataset({ ...SMALL, seed: 5, modalities: ["image", "text"] });
  const c = syntheticDataset({ ...SMALL, seed: 6, modalities: ["image", "text"] });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.interactions, c.interactions);
  assert.notDeepEqual(a.modalities[0].data, c.modalities[0].data);
  assert.deepEqual(a.modalities.map((m) => m.name), ["image", "text"]);
  assert.deepEqual(syntheticDataset({ ...SMALL, modalities: 2 }).modalities.map((m) => m.name), [
    "image",
    "image2",
  ]);
  assert.throws(() => syntheticDataset({ users: 0 }), /users must be an integer >= 1/);
});

Deno.test("synthetic: attribute tokens and image features both carry the common factor", () => {
  const { dataset: ds, latent } = generateSynthetic({ ...SMALL, seed: 2 });
  const kc = latent.commonDim, nI = ds.itemIds.length;
  // Token profile: the mean common factor of the first half's items carrying each token;
  // predict the second half's common factor from their tokens.
  const predictQuality = (tokensOf: (i: number) => Int32Array) => {
    const sum = new Float64Array(ds.attributes.vocab.length * kc),
      cnt = new Float64Array(ds.attributes.vocab.length);
    for (let i = 0; i < nI / 2; i++) {
      for (const t of tokensOf(i)) {
        cnt[t]++;
        for (let d = 0; d < kc; d++) sum[t * kc + d] += latent.common[i * kc + d];
      }
    }
    const cos: number[] = [];
    for (let i = nI / 2; i < nI; i++) {
      const pred = new Float64Array(kc);
      for (const t of tokensOf(i)) {
        for (let d = 0; d < kc; d++) pred[d] += sum[t * kc + d] / Math.max(1, cnt[t]);
      }
      if (tokensOf(i).length > 0) cos.push(cosine(pred, 0, latent.common, i * kc, kc));
    }
    return cos.reduce((a, b) => a + b) / cos.length;
  };
  const real = predictQuality((i) => itemTokens(ds.attributes, i));
  const perm = new Rng(9).shuffle(Array.from({ length: nI }, (_, i) => i));
  const shuffled = predictQuality((i) => itemTokens(ds.attributes, perm[i]));
  assert.ok(real > 0.35, `token prediction cosine ${real}`);
  assert.ok(Math.abs(shuffled) < 0.15, `shuffled control ${shuffled}`);
  // Image: similar features ⇔ similar common factors (on random item pairs).
  const img = getModality(ds, "image");
  const rng = new Rng(4);
  const fx: number[] = [], fc: number[] = [];
  for (let k = 0; k < 3000; k++) {
    const i = rng.int(nI), j = rng.int(nI);
    fx.push(cosine(img.data, i * img.dim, img.data, j * img.dim, img.dim));
    fc.push(cosine(latent.common, i * kc, latent.common, j * kc, kc));
  }
  const r = pearson(fx, fc);
  assert.ok(r > 0.4, `image/common correlation ${r}`);
});

Deno.test("synthetic: interactions follow utilities, and users weigh the views differently", () => {
  const { dataset: ds, latent } = generateSynthetic({ ...SMALL, seed: 3 });
  const nU = ds.userIds.length, nI = ds.itemIds.length;
  const pos = new Uint8Array(nU * nI);
  for (let k = 0; k < ds.interactions.users.length; k++) {
    pos[ds.interactions.users[k] * nI + ds.interactions.items[k]] = 1;
  }
  let aucSum = 0;
  for (let u = 0; u < nU; u++) {
    const s = syntheticUtilities(latent, u);
    const p: number[] = [], n: number[] = [];
    for (let i = 0; i < nI; i++) (pos[u * nI + i] ? p : n).push(s[i]);
    let wins = 0;
    for (const a of p) for (const b of n) wins += a > b ? 1 : 0;
    aucSum += wins / (p.length * n.length);
  }
  const auc = aucSum / nU;
  assert.ok(auc > 0.85, `utility AUC ${auc}`);
  const V = latent.views.length;
  assert.deepEqual(latent.views, ["attributes", "image"]);
  const w0: number[] = [];
  for (let u = 0; u < nU; u++) {
    const row = latent.viewWeights.subarray(u * V, (u + 1) * V);
    assert.ok(Math.abs(row.reduce((a, b) => a + b) - V) < 1e-4);
    w0.push(row[0]);
  }
  const m = w0.reduce((a, b) => a + b) / nU;
  const sd = Math.sqrt(w0.reduce((a, b) => a + (b - m) ** 2, 0) / nU);
  assert.ok(sd > 0.3, `attribute-view weight sd across users ${sd}`);
});

Deno.test("synthetic: view salience makes the view weights depend on the item, and only when asked", () => {
  const base = generateSynthetic({ ...SMALL, seed: 5 });
  const zero = generateSynthetic({ ...SMALL, seed: 5, viewSalience: 0 });
  assert.deepEqual(zero.dataset.interactions, base.dataset.interactions);
  assert.equal(zero.latent.salience, undefined);
  const { dataset: ds, latent } = generateSynthetic({ ...SMALL, seed: 5, viewSalience: 1.5 });
  const V = latent.views.length, nI = ds.itemIds.length, w = new Float64Array(V);
  // For one user, the attribute view's weight now varies over items (sd 0 without salience) …
  const u = 7, w0: number[] = [];
  for (let i = 0; i < nI; i++) {
    pairViewWeights(latent.salience!, u, i, w);
    assert.ok(Math.abs(w.reduce((a, b) => a + b) - V) < 1e-9);
    w0.push(w[0]);
  }
  const m = w0.reduce((a, b) => a + b) / nI;
  assert.ok(Math.sqrt(w0.reduce((a, b) => a + (b - m) ** 2, 0) / nI) > 0.3);
  // … the utilities use the pair weights, and the interactions follow them.
  const pos = new Set<number>();
  for (let k = 0; k < ds.interactions.users.length; k++) {
    if (ds.interactions.users[k] === u) pos.add(ds.interactions.items[k]);
  }
  const s = syntheticUtilities(latent, u);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const inPos = [...pos].map((i) => s[i]), rest = [...s].filter((_, i) => !pos.has(i));
  assert.ok(mean(inPos) > mean(rest) + 1, `${mean(inPos)} vs ${mean(rest)}`);
  assert.notDeepEqual(ds.interactions, base.dataset.interactions);
  assert.throws(() => generateSynthetic({ ...SMALL, viewSalience: -1 }), /viewSalience/);
});

Deno.test("synthetic: salience shows in the content only when asked, as the unique factor's amplitude", () => {
  const hidden = generateSynthetic({ ...SMALL, seed: 5, viewSalience: 1.5 });
  const zero = generateSynthetic({ ...SMALL, seed: 5, viewSalience: 1.5, salienceShows: 0 });
  assert.deepEqual(zero.dataset.modalities[0].data, hidden.dataset.modalities[0].data);
  assert.deepEqual(zero.dataset.interactions, hidden.dataset.interactions);
  const { dataset: ds, latent } = generateSynthetic({
    ...SMALL,
    seed: 5,
    viewSalience: 1.5,
    salienceShows: 0.5,
  });
  // Same users, items, utilities and interactions: only what the content shows changes.
  assert.deepEqual(ds.interactions, hidden.dataset.interactions);
  // An image row's norm grows with the item's image salience (hidden: unrelated to it).
  const V = latent.views.length, nI = ds.itemIds.length;
  const corr = (data: Float32Array, dim: number) => {
    const a: number[] = [], b: number[] = [];
    for (let i = 0; i < nI; i++) {
      let n = 0;
      for (let k = 0; k < dim; k++) n += data[i * dim + k] ** 2;
      a.push(Math.log(n));
      b.push(latent.salience!.items[i * V + 1]);
    }
    const ma = a.reduce((x, y) => x + y) / nI, mb = b.reduce((x, y) => x + y) / nI;
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < nI; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  const img = ds.modalities[0];
  const shown = corr(img.data, img.dim), none = corr(hidden.dataset.modalities[0].data, img.dim);
  assert.ok(shown > 0.5, `shown ${shown}`);
  assert.ok(Math.abs(none) < 0.2, `hidden ${none}`);
  assert.throws(() => generateSynthetic({ ...SMALL, salienceShows: 0.5 }), /needs viewSalience/);
  assert.throws(
    () => generateSynthetic({ ...SMALL, viewSalience: 1, salienceShows: -1 }),
    /salienceShows/,
  );
});

Deno.test("synthetic: common shares vary by user only when asked, and weigh the common term", () => {
  const base = generateSynthetic({ ...SMALL, seed: 5 });
  const zero = generateSynthetic({ ...SMALL, seed: 5, commonSpread: 0 });
  assert.deepEqual(zero.dataset.interactions, base.dataset.interactions);
  assert.equal(zero.dataset.truth?.userCommonWeights, undefined);
  const { dataset: ds, latent } = generateSynthetic({ ...SMALL, seed: 5, commonSpread: 3 });
  const a = ds.truth!.userCommonWeights!;
  assert.equal(a.length, ds.userIds.length);
  assert.ok(a.every((x) => x > 0 && x < 1));
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length) > 0.25, "spread");
  // A user's utility: 2a × its common term + 2(1 − a) × its unique terms (the base's).
  const kc = latent.commonDim,
    s = syntheticUtilities(latent, 3),
    b = syntheticUtilities(base.latent, 3);
  for (const i of [0, 17, 99]) {
    let c = 0;
    for (let k = 0; k < kc; k++) c += latent.userCommon[3 * kc + k] * latent.common[i * kc + k];
    const common = c / Math.sqrt(kc), rest = b[i] - common - latent.popularity[i];
    const want = 2 * a[3] * common + 2 * (1 - a[3]) * rest + latent.popularity[i];
    assert.ok(Math.abs(s[i] - want) < 1e-9, `item ${i}: ${s[i]} vs ${want}`);
  }
  assert.notDeepEqual(ds.interactions, base.dataset.interactions);
  assert.throws(() => generateSynthetic({ ...SMALL, commonSpread: -1 }), /commonSpread/);
});
