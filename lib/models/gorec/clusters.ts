/**
 * GoRec's cluster step: K-means over the WARM items' fixed content, so that a cold item (which
 * has no pretrained embedding) can be given the mean pretrained embedding of the warm items
 * whose content it is closest to (research notes §3.11; the original ships precomputed
 * `cluster_label.npy` files).
 *
 * Features, each view a unit row so that no view dominates by its width: every modality
 * standardised with warm-item statistics then L2-normalised, and the attribute multi-hot
 * (an item without attributes holds the "none" token) L2-normalised. The multi-hot stays
 * sparse: centroids are dense over the vocabulary, items are scored against them by their tokens.
 * k-means++ seeding from the given `Rng`, then Lloyd iterations until no label changes.
 *
 * @module
 */
import type { Dataset } from "../../data/dataset.ts";
import type { Rng } from "../../rng/mod.ts";
import { attributeBag, standardise } from "../../nn/mod.ts";

/** Lloyd iterations at most (the loop usually stops earlier, when no label changes). */
const MAX_ITER = 100;

/** Cluster labels of every item, from centroids fitted on `warmItems` only. */
export interface ContentClusters {
  /** Label of each item (numItems), its nearest centroid. */
  labels: Int32Array;
  /** Number of clusters (min(requested, #warm items)). */
  k: number;
}

/** The fixed clustering features: dense per-view unit rows and the attribute bag of all items. */
function features(ds: Dataset, warmItems: Int32Array) {
  const n = ds.itemIds.length, dim = ds.modalities.reduce((s, m) => s + m.dim, 0);
  const dense = new Float32Array(n * dim);
  let at = 0;
  for (const m of ds.modalities) {
    const x = standardise(m, n, warmItems);
    for (let i = 0; i < n; i++) {
      let sq = 0;
      for (let c = 0; c < m.dim; c++) sq += x[i * m.dim + c] ** 2;
      const scale = 1 / Math.sqrt(sq + 1e-24);
      for (let c = 0; c < m.dim; c++) dense[i * dim + at + c] = x[i * m.dim + c] * scale;
    }
    at += m.dim;
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const bag = attributeBag(ds.attributes, all);
  const start = new Int32Array(n + 1);
  for (const r of bag.rows) start[r + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  return { dense, dim, tokens: bag.tokens, start, counts: bag.counts };
}

/** K-means of the warm items' content; every item (warm or cold) gets its nearest centroid. */
export function contentClusters(
  ds: Dataset,
  warmItems: Int32Array,
  clusters: number,
  rng: Rng,
): ContentClusters {
  const f = features(ds, warmItems), n = ds.itemIds.length;
  const width = f.dim + ds.attributes.vocab.length + 1; // dense part, then one slot per token
  const k = Math.max(1, Math.min(clusters, warmItems.length));
  const cent = new Float64Array(k * width), cNorm = new Float64Array(k);
  const xNorm = (i: number) => {
    let s = f.start[i + 1] > f.start[i] ? 1 : 0; // the attribute view is a unit row
    for (let c = 0; c < f.dim; c++) s += f.dense[i * f.dim + c] ** 2;
    return s;
  };
  const dot = (i: number, c: number) => {
    let s = 0;
    const base = c * width;
    for (let j = 0; j < f.dim; j++) s += f.dense[i * f.dim + j] * cent[base + j];
    const w = 1 / Math.sqrt(f.counts[i]);
    for (let t = f.start[i]; t < f.start[i + 1]; t++) s += w * cent[base + f.dim + f.tokens[t]];
    return s;
  };
  const setTo = (c: number, i: number) => { // centroid c := item i
    cent.fill(0, c * width, (c + 1) * width);
    for (let j = 0; j < f.dim; j++) cent[c * width + j] = f.dense[i * f.dim + j];
    const w = 1 / Math.sqrt(f.counts[i]);
    for (let t = f.start[i]; t < f.start[i + 1]; t++) cent[c * width + f.dim + f.tokens[t]] = w;
    cNorm[c] = xNorm(i);
  };
  const dist = (i: number, c: number) => Math.max(0, xNorm(i) - 2 * dot(i, c) + cNorm[c]);
  // k-means++ seeding.
  setTo(0, warmItems[rng.int(warmItems.length)]);
  const best = Float64Array.from(warmItems, (i) => dist(i, 0));
  for (let c = 1; c < k; c++) {
    const total = best.reduce((a, b) => a + b, 0);
    let r = rng.uniform() * total, pick = warmItems.length - 1;
    for (let j = 0; j < warmItems.length && total > 0; j++) {
      r -= best[j];
      if (r < 0) {
        pick = j;
        break;
      }
    }
    if (total <= 0) pick = rng.int(warmItems.length);
    setTo(c, warmItems[pick]);
    for (let j = 0; j < warmItems.length; j++) best[j] = Math.min(best[j], dist(warmItems[j], c));
  }
  const nearest = (i: number) => {
    let arg = 0, low = Infinity;
    for (let c = 0; c < k; c++) {
      const d = dist(i, c);
      if (d < low) [low, arg] = [d, c];
    }
    return arg;
  };
  const label = new Int32Array(warmItems.length).fill(-1);
  for (let it = 0; it < MAX_ITER; it++) {
    let changed = 0;
    for (let j = 0; j < warmItems.length; j++) {
      const c = nearest(warmItems[j]);
      if (c !== label[j]) [label[j], changed] = [c, changed + 1];
    }
    if (changed === 0) break;
    const size = new Float64Array(k), next = new Float64Array(k * width);
    for (let j = 0; j < warmItems.length; j++) {
      const i = warmItems[j], base = label[j] * width, w = 1 / Math.sqrt(f.counts[i]);
      size[label[j]]++;
      for (let c = 0; c < f.dim; c++) next[base + c] += f.dense[i * f.dim + c];
      for (let t = f.start[i]; t < f.start[i + 1]; t++) next[base + f.dim + f.tokens[t]] += w;
    }
    for (let c = 0; c < k; c++) {
      if (size[c] === 0) continue; // an empty cluster keeps its centroid
      let sq = 0;
      for (let j = c * width; j < (c + 1) * width; j++) sq += (cent[j] = next[j] / size[c]) ** 2;
      cNorm[c] = sq;
    }
  }
  return { labels: Int32Array.from({ length: n }, (_, i) => nearest(i)), k };
}

/** Mean pretrained embedding of each cluster's warm members ([k × dim]; empty → warm mean). */
export function clusterMeans(
  emb: Float32Array,
  dim: number,
  warm: Int32Array,
  labels: Int32Array,
  k: number,
): Float32Array {
  const sum = new Float64Array((k + 1) * dim), count = new Float64Array(k + 1);
  for (const i of warm) {
    for (const c of [labels[i], k]) { // row k accumulates the overall warm mean
      count[c]++;
      for (let j = 0; j < dim; j++) sum[c * dim + j] += emb[i * dim + j];
    }
  }
  const out = new Float32Array(k * dim);
  for (let c = 0; c < k; c++) {
    const src = count[c] > 0 ? c : k;
    for (let j = 0; j < dim; j++) out[c * dim + j] = sum[src * dim + j] / Math.max(1, count[src]);
  }
  return out;
}
