/**
 * Seeded 2-D maps of latent vectors (the paper's Fig. 4) with UMAP (`umap-js`, McInnes et al.),
 * and a number that says what a map shows: how often a point's nearest neighbours share its
 * label (its view), in the map and in the latent space itself.
 *
 * @module
 */
import { UMAP } from "umap-js";
import { Rng } from "../rng/mod.ts";

/** Options of {@linkcode umap2d}. */
export interface MapOptions {
  /** Seed of UMAP's random draws (neighbour trees, initial layout, sampling). */
  seed: number;
  /** Neighbourhood size (default 15, at most n − 1). */
  neighbors?: number;
  /** Minimum distance of the layout (default 0.1). */
  minDist?: number;
}

/** The method name as captions print it. */
export function mapMethod(o: MapOptions): string {
  return `UMAP (umap-js 1.4, ${o.neighbors ?? 15} neighbours, min_dist ${o.minDist ?? 0.1}, ` +
    `seed ${o.seed})`;
}

/**
 * Maps `n` points of `dim` values (row-major) to 2-D; same input and seed, same map. Returns
 * `[n × 2]` row-major coordinates (fewer than 3 points are laid on a line).
 */
export function umap2d(data: Float32Array, n: number, dim: number, o: MapOptions): Float32Array {
  const out = new Float32Array(n * 2);
  if (n < 3) {
    for (let i = 0; i < n; i++) out[2 * i] = i;
    return out;
  }
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim)));
  const rng = new Rng(o.seed).fork("umap");
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(o.neighbors ?? 15, n - 1),
    minDist: o.minDist ?? 0.1,
    random: () => rng.uniform(),
  });
  const y = umap.fit(rows);
  y.forEach((p, i) => {
    out[2 * i] = p[0];
    out[2 * i + 1] = p[1];
  });
  return out;
}

/**
 * The mean fraction of each point's `k` nearest neighbours (Euclidean, itself excluded) that
 * carry its label: 1 when labels form separate clusters, about the label's share when they are
 * mixed.
 */
export function neighbourAgreement(
  data: Float32Array,
  n: number,
  dim: number,
  labels: readonly string[],
  k = 10,
): number {
  const kk = Math.min(k, n - 1);
  if (kk < 1) return NaN;
  let total = 0;
  const dist = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const d = data[i * dim + c] - data[j * dim + c];
        s += d * d;
      }
      dist[j] = j === i ? Infinity : s;
      order[j] = j;
    }
    order.sort((a, b) => dist[a] - dist[b] || a - b);
    let same = 0;
    for (let r = 0; r < kk; r++) if (labels[order[r]] === labels[i]) same++;
    total += same / kk;
  }
  return total / n;
}
