/**
 * The seeded synthetic dataset (the toolkit's embedded default).
 *
 * Generative story. Every item has a COMMON latent factor `c_i` (dim `commonDim`) that shows in
 * the attributes and in every dense modality, and one UNIQUE factor per view (`a_i` for the
 * attributes, `m_i` for each modality m; dim `uniqueDim`), all standard normal.
 * - Attributes: each vocabulary token k has a random unit direction `t_k` over `[c; a]`; item i
 *   draws `n_i` tokens (uniform in `tokensPerItem`, 0 with probability `noTokenRate`) by
 *   Gumbel-top-k on `t_k·[c_i; a_i] / attributeTemperature`.
 * - Modality m: `x_i = W_m [c_i; m_i] + featureNoise·ε`, `W_m` Gaussian with variance 1/(kc+ku).
 * - Users: preference vectors `p_u` (common) and `q_{u,v}` (one per view), and view weights
 *   `w_u = V·softmax(g_u / viewTemperature)`, `g_u ~ N(0, I_V)`, that differ between users. Utility
 *   `s_ui = p_u·c_i/√kc + uniqueScale·Σ_v w_{u,v} q_{u,v}·z_{v,i}/√ku + b_i`, with item
 *   popularity `b_i ~ N(0, popularity²)`.
 * - With `commonSpread` s > 0 users also differ in how much the common factor matters: user u's
 *   share a_u = σ(s·n_u) weighs the common term 2·a_u and the unique terms 2·(1 − a_u).
 * - With `viewSalience` σ > 0 the weights also depend on the item: `w_{u,i} = V·softmax(g_u /
 *   viewTemperature + r_i)`, `r_i ~ N(0, σ² I_V)` (how much item i shows in each view). The
 *   utility is then no longer bilinear in a user and an item vector — no dot product of fixed
 *   per-user and per-item representations can express it — which is the case a user- and
 *   item-dependent fusion (M2VAE's modality gates) is built for. σ = 0 (the default) draws
 *   nothing and gives the same dataset as before the option existed.
 * - With `salienceShows` λ > 0 the salience is also visible: view v's content carries its unique
 *   factor scaled by exp(λ·r_{i,v}). With λ = 0 it is hidden — a cold item's r_i is then
 *   unknowable from its content and the best a cold model can do is average over it, which
 *   leaves per-user weights only, a bilinear utility that a plain dot product expresses.
 * - Each user gets `n_u` (uniform in `interactionsPerUser`) distinct items by Gumbel-top-k on
 *   `s_ui / temperature`.
 *
 * The utility `s_ui` and the view weights, computed from the factors, are `planted.ts`'s (the
 * planted oracle scores with them too).
 *
 * Defaults (1,500 users, 1,200 items, one 64-d modality `image`, 10–45 interactions per user,
 * about 41k interactions) keep a full demo — a small contrastive model and a cold evaluation of
 * all users × cold items — within about two minutes on 2 cores.
 *
 * @module
 */
import { Rng } from "../rng/mod.ts";
import { DatasetBuilder } from "./builder.ts";
import type { Dataset, PlantedFactors } from "./dataset.ts";
import { expectedViewWeights, rowDot, syntheticUtilities } from "./planted.ts";

/** Options of {@linkcode generateSynthetic}; every field has a documented default. */
export interface SyntheticOptions {
  /** Seed (default 1). */
  seed?: number;
  /** Number of users (default 1500). */
  users?: number;
  /** Number of items (default 1200). */
  items?: number;
  /** Modality count (named `image`, `image2`, … ) or names (default `["image"]`). */
  modalities?: number | string[];
  /** Dimension of every dense modality (default 64). */
  modalityDim?: number;
  /** Dimension of the common factor (default 8). */
  commonDim?: number;
  /** Dimension of each view's unique factor (default 6). */
  uniqueDim?: number;
  /** Attribute vocabulary size (default 150). */
  vocab?: number;
  /** Inclusive range of tokens per item (default [2, 8]). */
  tokensPerItem?: [number, number];
  /** Probability that an item has no tokens (default 0.05). */
  noTokenRate?: number;
  /** Temperature of token choice; lower is less noisy (default 0.5). */
  attributeTemperature?: number;
  /** Std of the Gaussian noise added to modality features (default 0.1). */
  featureNoise?: number;
  /** Inclusive range of interactions per user (default [10, 45]). */
  interactionsPerUser?: [number, number];
  /** Temperature of item choice (default 0.5). */
  temperature?: number;
  /** Std of the log-popularity bias (default 0.5). */
  popularity?: number;
  /** Softmax temperature of user view weights; lower makes users more different (default 0.7). */
  viewTemperature?: number;
  /** Weight of the unique factors relative to the common one (default 1). */
  uniqueScale?: number;
  /**
   * Std σ of the items' view salience `r_i` added to the users' view logits, so the view
   * weights depend on (user, item); 0 (default): per-user weights only.
   */
  viewSalience?: number;
  /**
   * How visibly an item's view salience shows in its content, λ ≥ 0 (default 0: not at all, the
   * set is then unchanged). With λ > 0 the unique factor that view v's content carries (the
   * attribute tokens' affinities, a modality's features) is scaled by exp(λ·r_{i,v}): an item
   * that weighs heavily in a view also shows strongly in it, so a cold item's view weights can
   * be read off its content. Needs `viewSalience` > 0.
   */
  salienceShows?: number;
  /**
   * Spread s ≥ 0 of the users' shares of the common factor (default 0: every user weighs the
   * common and the unique part alike, and the set is unchanged). With s > 0 user u's share is
   * a_u = σ(s·n_u), n_u ~ N(0, 1), and the utility weighs the common term 2·a_u and the unique
   * terms 2·(1 − a_u): users then differ in how much the views' shared content matters to them,
   * which is what M2VAE's view gate α (V-MoE, Eq. 15) is built to learn.
   */
  commonSpread?: number;
}

/** The hidden factors behind a synthetic dataset (the dataset's `truth.factors`). */
export type SyntheticLatent = PlantedFactors;

/** A synthetic dataset with its hidden factors. */
export interface SyntheticResult {
  /** The dataset. */
  dataset: Dataset;
  /** The generating factors. */
  latent: SyntheticLatent;
}

function gumbel(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.uniform();
  return -Math.log(-Math.log(u));
}

function topK(scores: Float64Array, k: number): number[] {
  const idx = Array.from(scores.keys());
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, k);
}

function intIn(rng: Rng, [lo, hi]: [number, number]): number {
  return lo + rng.int(hi - lo + 1);
}

/**
 * Generates the seeded synthetic dataset and its hidden factors.
 *
 * @example Usage
 * ```ts
 * const { dataset } = generateSynthetic({ seed: 7, users: 300, items: 200 });
 * ```
 */
export function generateSynthetic(opts: SyntheticOptions = {}): SyntheticResult {
  const seed = opts.seed ?? 1;
  const nU = opts.users ?? 1500, nI = opts.items ?? 1200;
  const kc = opts.commonDim ?? 8, ku = opts.uniqueDim ?? 6;
  const mods = typeof opts.modalities === "number"
    ? Array.from({ length: opts.modalities }, (_, m) => (m === 0 ? "image" : `image${m + 1}`))
    : opts.modalities ?? ["image"];
  const dimM = opts.modalityDim ?? 64, vocab = opts.vocab ?? 150;
  const tokRange = opts.tokensPerItem ?? [2, 8];
  const perUser = opts.interactionsPerUser ?? [10, 45];
  const checks: [string, number, number][] = [
    ["users", nU, 1],
    ["items", nI, 2],
    ["commonDim", kc, 1],
    ["uniqueDim", ku, 1],
    ["modalityDim", dimM, 1],
    ["vocab", vocab, 1],
    ["tokensPerItem[0]", tokRange[0], 0],
    ["tokensPerItem[1]", tokRange[1], tokRange[0]],
    ["interactionsPerUser[0]", perUser[0], 1],
    ["interactionsPerUser[1]", perUser[1], perUser[0]],
  ]; // deno-fmt-ignore
  for (const [name, v, min] of checks) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`synthetic: ${name} must be an integer >= ${min}, got ${v}`);
    }
  }
  if (new Set(mods).size !== mods.length) {
    throw new RangeError(`synthetic: duplicate modality names`);
  }
  const views = ["attributes", ...mods];
  const root = new Rng(seed);

  const itemRng = root.fork("items");
  const common = itemRng.normalArray(nI * kc);
  const unique = views.map((v) => root.fork(`unique:${v}`).normalArray(nI * ku));
  const popularity = root.fork("popularity").normalArray(nI, 0, opts.popularity ?? 0.5);

  const b = new DatasetBuilder({ name: "synthetic", source: `synthetic(seed=${seed})` });
  b.declareUsers(Array.from({ length: nU }, (_, u) => `u${u}`), "synthetic");
  b.declareItems(Array.from({ length: nI }, (_, i) => `i${i}`), "synthetic");

  // Users and interactions.
  const userRng = root.fork("users");
  const userCommon = userRng.normalArray(nU * kc);
  const userUnique = views.map((v) => root.fork(`user-unique:${v}`).normalArray(nU * ku));
  const viewWeights = new Float32Array(nU * views.length);
  const vt = opts.viewTemperature ?? 0.7;
  const userLogits = new Float32Array(nU * views.length);
  for (let u = 0; u < nU; u++) {
    const g = views.map(() => userRng.normal() / vt);
    g.forEach((x, v) => (userLogits[u * views.length + v] = x));
    const mx = Math.max(...g);
    const e = g.map((x) => Math.exp(x - mx));
    const z = e.reduce((a, c) => a + c, 0);
    e.forEach((x, v) => (viewWeights[u * views.length + v] = (views.length * x) / z));
  }
  const latent: SyntheticLatent = {
    commonDim: kc,
    uniqueDim: ku,
    views,
    common,
    unique,
    userCommon,
    userUnique,
    viewWeights,
    popularity,
    uniqueScale: opts.uniqueScale ?? 1,
  };
  const spread = opts.commonSpread ?? 0;
  if (!(spread >= 0)) throw new RangeError(`synthetic: commonSpread must be >= 0, got ${spread}`);
  if (spread > 0) {
    const n = root.fork("common-shares").normalArray(nU);
    latent.commonWeights = n.map((x) => 1 / (1 + Math.exp(-spread * x)));
  }
  const sigma = opts.viewSalience ?? 0;
  if (!(sigma >= 0)) throw new RangeError(`synthetic: viewSalience must be >= 0, got ${sigma}`);
  if (sigma > 0) {
    const items = root.fork("view-salience").normalArray(nI * views.length, 0, sigma);
    latent.salience = { userLogits, items };
  }
  const shows = opts.salienceShows ?? 0;
  if (!(shows >= 0)) throw new RangeError(`synthetic: salienceShows must be >= 0, got ${shows}`);
  if (shows > 0 && sigma === 0) {
    throw new RangeError(`synthetic: salienceShows needs viewSalience > 0`);
  }
  // The amplitude of view v's unique factor in item i's content (1 unless salience shows).
  const shown = (i: number, v: number) =>
    shows > 0 ? Math.exp(shows * latent.salience!.items[i * views.length + v]) : 1;
  const interRng = root.fork("interactions");
  const temp = opts.temperature ?? 0.5;
  for (let u = 0; u < nU; u++) {
    const s = syntheticUtilities(latent, u);
    for (let i = 0; i < nI; i++) s[i] = s[i] / temp + gumbel(interRng);
    for (const i of topK(s, Math.min(nI, intIn(interRng, perUser)))) {
      b.addInteraction(`u${u}`, `i${i}`, { file: "synthetic" });
    }
  }

  // Attributes: tokens chosen by noisy affinity to [c_i; a_i].
  const tokRng = root.fork("tokens");
  const dA = kc + ku;
  const dirs = tokRng.normalArray(vocab * dA);
  for (let k = 0; k < vocab; k++) {
    const n = Math.sqrt(rowDot(dirs, k * dA, dirs, k * dA, dA));
    for (let d = 0; d < dA; d++) dirs[k * dA + d] /= n;
  }
  const at = opts.attributeTemperature ?? 0.5;
  const noTok = opts.noTokenRate ?? 0.05;
  const width = String(vocab - 1).length;
  const zA = new Float32Array(dA);
  for (let i = 0; i < nI; i++) {
    const count = tokRng.uniform() < noTok ? 0 : Math.min(vocab, intIn(tokRng, tokRange));
    zA.set(common.subarray(i * kc, (i + 1) * kc), 0);
    zA.set(unique[0].subarray(i * ku, (i + 1) * ku), kc);
    const ampA = shown(i, 0);
    for (let d = kc; d < dA; d++) zA[d] *= ampA;
    const sc = new Float64Array(vocab);
    for (let k = 0; k < vocab; k++) sc[k] = rowDot(dirs, k * dA, zA, 0, dA) / at + gumbel(tokRng);
    const toks = topK(sc, count).map((k) => `t${String(k).padStart(width, "0")}`);
    b.addItemTokens(`i${i}`, toks, { file: "synthetic" });
  }

  // Dense modalities: x_i = W_m [c_i; m_i] + noise (m_i scaled when salience shows).
  const noise = opts.featureNoise ?? 0.1;
  mods.forEach((name, m) => {
    const r = root.fork(`modality:${name}`);
    const dIn = kc + ku;
    const W = r.normalArray(dimM * dIn, 0, 1 / Math.sqrt(dIn));
    const x = new Float32Array(nI * dimM);
    const z = new Float32Array(dIn);
    for (let i = 0; i < nI; i++) {
      z.set(common.subarray(i * kc, (i + 1) * kc), 0);
      z.set(unique[m + 1].subarray(i * ku, (i + 1) * ku), kc);
      const amp = shown(i, m + 1);
      for (let d = kc; d < dIn; d++) z[d] *= amp;
      for (let o = 0; o < dimM; o++) {
        x[i * dimM + o] = rowDot(W, o * dIn, z, 0, dIn) + noise * r.normal();
      }
    }
    b.attachModality({ name, dim: dimM, data: x });
  });
  const dataset = b.build().dataset;
  if (latent.salience) latent.expectedViewWeights = expectedViewWeights(latent, sigma);
  dataset.truth = {
    views,
    userViewWeights: viewWeights,
    ...(latent.commonWeights ? { userCommonWeights: latent.commonWeights } : {}),
    factors: latent,
  };
  return { dataset, latent };
}

/** The synthetic dataset alone (see {@linkcode generateSynthetic}). */
export function syntheticDataset(opts: SyntheticOptions = {}): Dataset {
  return generateSynthetic(opts).dataset;
}
