/**
 * The in-memory dataset every loader produces and every model consumes.
 *
 * Users and items are dense integer ids `0..n-1`; their external ids are kept for reporting.
 * Interactions are implicit (user, item) pairs, unique. Categorical attributes are a
 * variable-length token set per item, stored as CSR arrays. Dense modalities (`image`, `audio`,
 * `text`, …) are float32 matrices whose row i belongs to item i.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/** Parallel arrays of (user, item) pairs. */
export interface Interactions {
  /** Dense user ids. */
  users: Int32Array;
  /** Dense item ids, same length as `users`. */
  items: Int32Array;
}

/** Variable-length categorical attribute sets per item, in CSR layout. */
export interface Attributes {
  /** Token strings; a token id is an index into this list. */
  vocab: string[];
  /** Length numItems + 1; tokens of item i are `tokens[offsets[i] .. offsets[i+1])`. */
  offsets: Int32Array;
  /** Token ids, deduplicated within an item. */
  tokens: Int32Array;
}

/** A dense item modality: a row-major float32 matrix numItems × dim. */
export interface Modality {
  /** Name such as `image`, `audio`, `vggish`, `text`. */
  name: string;
  /** Feature dimension. */
  dim: number;
  /** numItems × dim values, row i = item i. */
  data: Float32Array;
}

/** An item-level cold-start split shipped with a dataset (e.g. citeulike-a's ALDI split). */
export interface ProvidedSplit {
  /** Where the split came from, e.g. the folder it was read from. */
  source: string;
  /** Training interactions (warm items only). */
  train: Interactions;
  /** All interactions of the cold validation items. */
  valid: Interactions;
  /** All interactions of the cold test items. */
  test: Interactions;
}

/** A complete dataset. */
export interface Dataset {
  /** Short name used in tables, e.g. `lastfm-2k-multimodal`. */
  name: string;
  /** Where it came from: a path, or `synthetic(seed=…)`. */
  source: string;
  /** External user ids, index = dense id. */
  userIds: string[];
  /** External item ids, index = dense id. */
  itemIds: string[];
  /** All (user, item) positives, unique pairs. */
  interactions: Interactions;
  /** Categorical attributes of every item (an item may have none). */
  attributes: Attributes;
  /** Zero or more dense modalities aligned to item ids. */
  modalities: Modality[];
  /** A ready cold-start split, when the dataset ships one. */
  providedSplit?: ProvidedSplit;
  /** Planted ground truth, when the data was generated (the synthetic set); never trained on. */
  truth?: PlantedTruth;
}

/**
 * The factors a generator planted (lib/data/synthetic.ts tells the generative story): what the
 * planted oracle scores with and the diagnostics compare a model's internals against.
 */
export interface PlantedFactors {
  /** Common factor dimension kc. */
  commonDim: number;
  /** Unique factor dimension ku. */
  uniqueDim: number;
  /** View names: `attributes`, then the modalities. */
  views: string[];
  /** items × kc. */
  common: Float32Array;
  /** Per view: items × ku. */
  unique: Float32Array[];
  /** users × kc. */
  userCommon: Float32Array;
  /** Per view: users × ku. */
  userUnique: Float32Array[];
  /** users × views, each row sums to the number of views. */
  viewWeights: Float32Array;
  /** Per item log-popularity bias. */
  popularity: Float32Array;
  /** Weight of the unique part. */
  uniqueScale: number;
  /**
   * With `commonSpread` > 0: users, each user's share a_u ∈ (0, 1) of the common factor; the
   * utility's common term is then weighed 2·a_u and its unique terms 2·(1 − a_u) (½ each, the
   * weights 1 and 1, without it).
   */
  commonWeights?: Float32Array;
  /**
   * With `viewSalience` > 0: users × views view logits `g_u / viewTemperature` and items × views
   * saliences `r_i`; the weights are then `V·softmax(logits_u + r_i)` per (user, item).
   */
  salience?: { userLogits: Float32Array; items: Float32Array };
  /**
   * With salience: users × views, each user's weights averaged over the items' salience (the
   * weights of the `user` weighting).
   */
  expectedViewWeights?: Float32Array;
}

/**
 * How a planted utility weighs the views' unique factors: `pair`, the weights the generator
 * used for that (user, item); `user`, the user's weights averaged over items' view salience —
 * the best that can be done without knowing an item's salience (the same as `pair` when the
 * weights depend on the user only); `equal`, every unique view weighed 1; `common`, none (the
 * common factor alone).
 */
export type PlantedWeighting = "pair" | "user" | "equal" | "common";

/** What a generator planted, for diagnostics that compare a model's internals with the truth. */
export interface PlantedTruth {
  /** View names: `attributes`, then the modalities, in the dataset's modality order. */
  views: string[];
  /** users × views: how much each user's utility weighs each view's unique factor. */
  userViewWeights: Float32Array;
  /** users: each user's share of the common factor (with `commonSpread`; see PlantedFactors). */
  userCommonWeights?: Float32Array;
  /** The generator's factors (the planted oracle scores with them; never trained on). */
  factors?: PlantedFactors;
}

/** Summary counts of a dataset. */
export interface DatasetStats {
  users: number;
  items: number;
  interactions: number;
  attributeVocab: number;
  itemsWithoutAttributes: number;
  modalities: Record<string, number>;
}

/** Counts users, items, interactions and feature sizes. */
export function datasetStats(ds: Dataset): DatasetStats {
  let without = 0;
  for (let i = 0; i < ds.itemIds.length; i++) {
    if (ds.attributes.offsets[i + 1] === ds.attributes.offsets[i]) without++;
  }
  return {
    users: ds.userIds.length,
    items: ds.itemIds.length,
    interactions: ds.interactions.users.length,
    attributeVocab: ds.attributes.vocab.length,
    itemsWithoutAttributes: without,
    modalities: Object.fromEntries(ds.modalities.map((m) => [m.name, m.dim])),
  };
}

/** The token ids of one item. */
export function itemTokens(attrs: Attributes, item: number): Int32Array {
  return attrs.tokens.subarray(attrs.offsets[item], attrs.offsets[item + 1]);
}

/** Returns the modality with the given name or throws a DataError naming the dataset. */
export function getModality(ds: Dataset, name: string): Modality {
  const m = ds.modalities.find((x) => x.name === name);
  if (!m) {
    const have = ds.modalities.map((x) => `"${x.name}"`).join(", ") || "none";
    throw new DataError(
      { file: ds.name, field: "modalities" },
      `no modality "${name}" (has ${have})`,
    );
  }
  return m;
}

/**
 * The largest feature magnitude a dense modality may hold: standardising or training on values
 * past it overflows float32 (its squares pass 3.4e38 from about 1.8e19; a dot product with
 * thousands of such terms much sooner), and no real feature file holds them.
 */
export const FEATURE_LIMIT = 1e12;

/**
 * Checks the invariants every model relies on and throws a one-line DataError otherwise:
 * id ranges, equal lengths, unique pairs, CSR shape, modality shapes, finiteness and magnitude.
 */
export function validateDataset(ds: Dataset): void {
  const nU = ds.userIds.length, nI = ds.itemIds.length;
  const f = ds.source || ds.name;
  const { users, items } = ds.interactions;
  if (users.length !== items.length) {
    throw new DataError({ file: f, field: "interactions" }, "users and items differ in length");
  }
  if (users.length === 0) {
    throw new DataError({ file: f, field: "interactions" }, "no interactions");
  }
  // Range checks, then duplicates by sorting pair keys (a Set would cap at 2^24 entries, and
  // ML-20M has more interactions than that).
  const keys = new Float64Array(users.length);
  for (let k = 0; k < users.length; k++) {
    const u = users[k], i = items[k];
    if (u < 0 || u >= nU) {
      throw new DataError({ file: f, field: "user" }, `user id ${u} not in [0, ${nU})`);
    }
    if (i < 0 || i >= nI) {
      throw new DataError({ file: f, field: "item" }, `item id ${i} not in [0, ${nI})`);
    }
    keys[k] = u * nI + i;
  }
  keys.sort();
  for (let k = 1; k < keys.length; k++) {
    if (keys[k] === keys[k - 1]) {
      const u = Math.floor(keys[k] / nI), i = keys[k] % nI;
      throw new DataError(
        { file: f, field: "interactions" },
        `duplicate pair (user "${ds.userIds[u]}", item "${ds.itemIds[i]}")`,
      );
    }
  }
  const a = ds.attributes;
  if (a.offsets.length !== nI + 1 || a.offsets[0] !== 0 || a.offsets[nI] !== a.tokens.length) {
    throw new DataError({ file: f, field: "attributes" }, "offsets do not match the item count");
  }
  for (let k = 0; k < a.tokens.length; k++) {
    if (a.tokens[k] < 0 || a.tokens[k] >= a.vocab.length) {
      throw new DataError({ file: f, field: "attributes" }, `token id ${a.tokens[k]} out of range`);
    }
  }
  for (const m of ds.modalities) {
    if (m.data.length !== nI * m.dim) {
      throw new DataError(
        { file: f, field: `modality ${m.name}` },
        `expected ${nI}×${m.dim} values, got ${m.data.length}`,
      );
    }
    for (let k = 0; k < m.data.length; k++) {
      if (!Number.isFinite(m.data[k]) || Math.abs(m.data[k]) > FEATURE_LIMIT) {
        throw new DataError(
          { file: f, field: `modality ${m.name}` },
          `${
            Number.isFinite(m.data[k])
              ? `value ${m.data[k]} beyond ±${FEATURE_LIMIT}`
              : "non-finite value"
          } ` +
            `at item "${ds.itemIds[Math.floor(k / m.dim)]}", column ${k % m.dim}`,
        );
      }
    }
  }
}
