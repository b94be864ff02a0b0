/**
 * The planted utility of a dataset whose generator left its factors (`truth.factors`, see
 * `synthetic.ts` for the generative story): `s_ui = p_u·c_i/√kc + uniqueScale·Σ_v w_{u,v}
 * q_{u,v}·z_{v,i}/√ku + b_i` (the two terms weighed 2·a_u and 2·(1 − a_u) with planted common
 * shares) without the sampling noise, with the view weights `w` of a user
 * (or, under view salience, of a (user, item) pair) weighed as a {@linkcode PlantedWeighting}
 * says. The generator samples interactions from it; the planted oracle scores with it.
 *
 * @example Usage
 * ```ts
 * import { plantedUtility, syntheticUtilities } from "./planted.ts";
 * const { latent } = generateSynthetic({ seed: 7, users: 300, items: 200 });
 * syntheticUtilities(latent, 0); // user 0's utility of every item
 * plantedUtility(latent, 0, 5, "common"); // user 0, item 5, the common factor alone
 * ```
 *
 * @module
 */
import { Rng } from "../rng/mod.ts";
import type { PlantedFactors, PlantedWeighting } from "./dataset.ts";

/** The dot product of `n` entries of `a` from `ao` and of `b` from `bo` (two factor rows). */
export function rowDot(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  n: number,
): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[ao + k] * b[bo + k];
  return s;
}

/**
 * The planted utility `s_ui` (without the sampling noise) with the unique views weighted as
 * `weighting` says (see {@linkcode PlantedWeighting}).
 */
export function plantedUtility(
  latent: PlantedFactors,
  u: number,
  i: number,
  weighting: PlantedWeighting,
  scratch: Float64Array = new Float64Array(latent.views.length),
): number {
  const { commonDim: kc, uniqueDim: ku } = latent;
  const nv = latent.views.length;
  const [wc, wu] = commonShares(latent, u);
  let s = wc * rowDot(latent.userCommon, u * kc, latent.common, i * kc, kc) / Math.sqrt(kc) +
    latent.popularity[i];
  if (weighting === "common") return s;
  const su = wu * latent.uniqueScale / Math.sqrt(ku);
  if (weighting === "pair" && latent.salience) pairViewWeights(latent.salience, u, i, scratch);
  for (let v = 0; v < nv; v++) {
    const wv = weighting === "equal"
      ? 1
      : weighting === "pair" && latent.salience
      ? scratch[v]
      : weighting === "pair"
      ? latent.viewWeights[u * nv + v]
      : (latent.expectedViewWeights ?? latent.viewWeights)[u * nv + v];
    s += su * wv * rowDot(latent.userUnique[v], u * ku, latent.unique[v], i * ku, ku);
  }
  return s;
}

/**
 * Each user's view weights averaged over the items' view salience, E_r[V·softmax(logits_u + r)]
 * with r ~ N(0, σ² I) (a seeded Monte-Carlo mean over `draws` draws): the weights a model that
 * cannot see an item's salience does best with. Without salience, the users' own weights.
 */
export function expectedViewWeights(
  latent: PlantedFactors,
  sigma: number,
  draws = 512,
): Float32Array {
  if (!latent.salience) return latent.viewWeights;
  const nv = latent.views.length, nU = latent.viewWeights.length / nv;
  const r = new Rng(0x5a1e).normalArray(draws * nv, 0, sigma);
  const out = new Float32Array(nU * nv), l = new Float64Array(nv);
  for (let u = 0; u < nU; u++) {
    for (let d = 0; d < draws; d++) {
      let mx = -Infinity, z = 0;
      for (let v = 0; v < nv; v++) {
        l[v] = latent.salience.userLogits[u * nv + v] + r[d * nv + v];
        mx = Math.max(mx, l[v]);
      }
      for (let v = 0; v < nv; v++) z += l[v] = Math.exp(l[v] - mx);
      for (let v = 0; v < nv; v++) out[u * nv + v] += (nv * l[v]) / z / draws;
    }
  }
  return out;
}

/**
 * The weights of user `u`'s common and unique terms: 2·a_u and 2·(1 − a_u) with planted common
 * shares (`commonSpread`), else 1 and 1.
 */
export function commonShares(latent: PlantedFactors, u: number): [number, number] {
  const a = latent.commonWeights?.[u];
  return a === undefined ? [1, 1] : [2 * a, 2 * (1 - a)];
}

/** Utilities `s_ui` of user `u` for every item (without the sampling noise). */
export function syntheticUtilities(latent: PlantedFactors, u: number): Float64Array {
  const { commonDim: kc, uniqueDim: ku, views } = latent;
  const nI = latent.popularity.length;
  const out = new Float64Array(nI);
  const [wc, wu] = commonShares(latent, u);
  const sc = wc / Math.sqrt(kc), su = wu * latent.uniqueScale / Math.sqrt(ku);
  const nv = views.length, w = new Float64Array(nv);
  for (let i = 0; i < nI; i++) {
    let s = rowDot(latent.userCommon, u * kc, latent.common, i * kc, kc) * sc +
      latent.popularity[i];
    if (latent.salience) pairViewWeights(latent.salience, u, i, w);
    for (let v = 0; v < nv; v++) {
      const wv = latent.salience ? w[v] : latent.viewWeights[u * nv + v];
      s += su * wv * rowDot(latent.userUnique[v], u * ku, latent.unique[v], i * ku, ku);
    }
    out[i] = s;
  }
  return out;
}

/**
 * The view weights of (user u, item i) under view salience, `V·softmax(logits_u + r_i)`, into
 * `out` (length V).
 */
export function pairViewWeights(
  salience: NonNullable<PlantedFactors["salience"]>,
  u: number,
  i: number,
  out: Float64Array,
): Float64Array {
  const nv = out.length;
  let mx = -Infinity;
  for (let v = 0; v < nv; v++) {
    out[v] = salience.userLogits[u * nv + v] + salience.items[i * nv + v];
    mx = Math.max(mx, out[v]);
  }
  let z = 0;
  for (let v = 0; v < nv; v++) z += out[v] = Math.exp(out[v] - mx);
  for (let v = 0; v < nv; v++) out[v] = (nv * out[v]) / z;
  return out;
}
