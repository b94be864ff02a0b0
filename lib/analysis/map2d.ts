/**
 * Seeded 2-D maps of latent vectors (the paper's Fig. 4) with t-SNE (`@keckelt/tsne`, exact
 * t-SNE after van der Maaten and Hinton; the paper's method) or UMAP (`umap-js`, McInnes et
 * al.), and a number that says what a map shows: how often a point's nearest neighbours share
 * its label (its view), in the map and in the latent space itself.
 *
 * Both libraries draw their randomness from the seeded {@linkcode Rng} passed in: UMAP takes a
 * `random` function; t-SNE draws only its initial layout, through its public `gaussRandom`
 * method, which is replaced on the instance by the seeded generator's normal draws (the library
 * never reaches `Math.random` then; a test checks it). Same data and seed, same map.
 *
 * @example
 * ```ts
 * const xy = map2d(data, n, dim, { method: "tsne", seed: 0 });
 * const share = neighbourAgreement(xy, n, 2, labels); // 1: every view its own cloud
 * ```
 *
 * @module
 */
import { TSNE } from "@keckelt/tsne";
import { UMAP } from "umap-js";
import { Rng } from "../rng/mod.ts";

/** The 2-D map methods, the default (the paper's) first. */
export const MAP_METHODS = ["tsne", "umap"] as const;

/** A 2-D map method: `tsne` or `umap`. */
export type MapMethodName = typeof MAP_METHODS[number];

/** Options of {@linkcode map2d}. */
export interface MapOptions {
  /** Seed of the method's random draws (t-SNE: the initial layout; UMAP: trees, layout, sampling). */
  seed: number;
  /** The method (default `tsne`, as in the paper's Fig. 4). */
  method?: MapMethodName;
  /** UMAP: neighbourhood size (default 15, at most n − 1). */
  neighbors?: number;
  /** UMAP: minimum distance of the layout (default 0.1). */
  minDist?: number;
  /** t-SNE: perplexity (default 30, at most (n − 1) / 3). */
  perplexity?: number;
  /** t-SNE: gradient steps (default 500; the first 100 with early exaggeration). */
  iterations?: number;
}

/**
 * The method name as captions print it, with its settings as used for `n` points.
 *
 * @example
 * ```ts
 * mapMethod({ seed: 0 }, 600); // "t-SNE (exact, @keckelt/tsne 1.0.2, perplexity 30, 500 iterations, seed 0)"
 * ```
 */
export function mapMethod(o: MapOptions, n = Infinity): string {
  const method = parseMapMethod(o.method ?? "tsne");
  if (method === "umap") {
    return `UMAP (umap-js 1.4, ${o.neighbors ?? 15} neighbours, min_dist ${o.minDist ?? 0.1}, ` +
      `seed ${o.seed})`;
  }
  return `t-SNE (exact, @keckelt/tsne 1.0.2, perplexity ${+perplexity(o, n).toFixed(2)}, ` +
    `${o.iterations ?? 500} iterations, seed ${o.seed})`;
}

/**
 * A method name as given (`--map tsne`), checked.
 *
 * @example
 * ```ts
 * parseMapMethod("umap"); // "umap"
 * parseMapMethod("pca"); // throws RangeError: --map: expected tsne or umap, got "pca"
 * ```
 *
 * @throws RangeError naming the option for anything but `tsne` or `umap`.
 */
export function parseMapMethod(m: string): MapMethodName {
  if (!(MAP_METHODS as readonly string[]).includes(m)) {
    throw new RangeError(`--map: expected ${MAP_METHODS.join(" or ")}, got "${m}"`);
  }
  return m as MapMethodName;
}

function perplexity(o: MapOptions, n: number): number {
  return Math.max(1, Math.min(o.perplexity ?? 30, (n - 1) / 3));
}

/**
 * Maps `n` points of `dim` values (row-major) to 2-D with `o.method` (default t-SNE); same
 * input and seed, same map. Returns `[n × 2]` row-major coordinates (fewer than 3 points are
 * laid on a line).
 *
 * @throws RangeError for an unknown method.
 */
export function map2d(data: Float32Array, n: number, dim: number, o: MapOptions): Float32Array {
  return parseMapMethod(o.method ?? "tsne") === "umap"
    ? umap2d(data, n, dim, o)
    : tsne2d(data, n, dim, o);
}

function rowsOf(data: Float32Array, n: number, dim: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim)));
  return rows;
}

function onALine(n: number): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) out[2 * i] = i;
  return out;
}

/**
 * Exact t-SNE of `n` points of `dim` values (row-major) to 2-D, seeded: the initial layout is
 * drawn from `Rng(seed)`, the rest is deterministic. Cost O(n² · iterations): about 10 s for
 * 900 points and 500 iterations. Returns `[n × 2]` row-major coordinates.
 *
 * @example
 * ```ts
 * const xy = tsne2d(data, n, dim, { seed: 1, perplexity: 20 });
 * ```
 */
export function tsne2d(data: Float32Array, n: number, dim: number, o: MapOptions): Float32Array {
  if (n < 3) return onALine(n);
  const rng = new Rng(o.seed).fork("tsne");
  const tsne = new TSNE({ dim: 2, perplexity: perplexity(o, n), epsilon: 10 });
  // The library's only random draws (the initial layout, N(0, 1e-4²)) go through this method.
  tsne.gaussRandom = () => rng.normal();
  tsne.initDataRaw(rowsOf(data, n, dim));
  const steps = o.iterations ?? 500;
  for (let k = 0; k < steps; k++) tsne.step();
  const y: number[][] = tsne.getSolution();
  const out = new Float32Array(n * 2);
  y.forEach((p, i) => {
    out[2 * i] = p[0];
    out[2 * i + 1] = p[1];
  });
  return out;
}

/**
 * UMAP of `n` points of `dim` values (row-major) to 2-D, seeded; same input and seed, same map.
 * Returns `[n × 2]` row-major coordinates (fewer than 3 points are laid on a line).
 *
 * @example
 * ```ts
 * const xy = umap2d(data, n, dim, { seed: 1, neighbors: 10 });
 * ```
 */
export function umap2d(data: Float32Array, n: number, dim: number, o: MapOptions): Float32Array {
  if (n < 3) return onALine(n);
  const out = new Float32Array(n * 2);
  const rows = rowsOf(data, n, dim);
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
