/**
 * The latent means of a restored M2VAE's views for items (cold ones by default), written as
 * NumPy `.npy` matrices and CSV, and the seeded 2-D map of common vs unique views that the
 * paper's Fig. 4 shows.
 *
 * @module
 */
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { Dataset } from "../data/mod.ts";
import { encodeNpy } from "../data/npy.ts";
import type { ColdStartModel } from "../models/model.ts";
import { writeAtomic } from "../run/write_results.ts";
import type { ColdSplit } from "../split/types.ts";
import { evenlySpaced } from "../train/trainer.ts";
import { itemPart, withM2vaeMethod } from "./explain.ts";
import { map2d, mapMethod, type MapOptions, neighbourAgreement } from "./map2d.ts";

/** A model whose items have latent views (M2VAE and its variants). */
export interface HasLatentViews {
  latentMeans(items: Int32Array): Record<string, Float32Array>;
}

/** Which items to embed: the cold ones (validation and test) or all. */
export type ItemChoice = "cold" | "all";

/** Latent means of some items' views. */
export interface Embedding {
  /** Dense item indices, ascending. */
  items: Int32Array;
  /** The dataset's own ids of `items`. */
  itemIds: string[];
  /** Split part of each item (`train`, `valid`, `test`). */
  parts: string[];
  /** View names, in the model's order (`common` first when present). */
  views: string[];
  dim: number;
  /** `[items × dim]` row-major means per view. */
  means: Record<string, Float32Array>;
}

/**
 * The model as {@linkcode HasLatentViews}.
 *
 * @throws RangeError naming the model when it has no latent views.
 */
export function latentViews(model: ColdStartModel, what = "this trial"): HasLatentViews {
  return withM2vaeMethod<HasLatentViews>(model, "latentMeans", "embed", what, "latent views");
}

/** The items of a choice: cold validation and test items, or every item; ascending. */
export function chooseItems(split: ColdSplit, which: ItemChoice): Int32Array {
  if (which === "all") return Int32Array.from({ length: split.numItems }, (_, i) => i);
  if (which !== "cold") throw new RangeError(`--items: expected cold or all, got "${which}"`);
  return Int32Array.from([...split.validItems, ...split.testItems]).sort();
}

/**
 * Latent means of `views` (default: every view) for `items`.
 *
 * @throws RangeError for a model without latent views or an unknown view name.
 */
export function embedItems(
  model: ColdStartModel,
  dataset: Dataset,
  split: ColdSplit,
  items: Int32Array,
  views?: readonly string[],
): Embedding {
  const all = latentViews(model).latentMeans(items);
  const have = Object.keys(all);
  const chosen = views && views.length ? [...views] : have;
  for (const v of chosen) {
    if (!have.includes(v)) {
      throw new RangeError(`--views: no view "${v}" in this model (views: ${have.join(", ")})`);
    }
  }
  const dim = items.length ? all[have[0]].length / items.length : 0;
  return {
    items,
    itemIds: [...items].map((i) => dataset.itemIds[i]),
    parts: [...items].map((i) => itemPart(split, i)),
    views: chosen,
    dim,
    means: Object.fromEntries(chosen.map((v) => [v, all[v]])),
  };
}

/** One point of a view map. */
export interface MapPoint {
  item: string;
  view: string;
  x: number;
  y: number;
}

/** A 2-D map of the views of some items, and how separate the views are. */
export interface ViewMap {
  points: MapPoint[];
  /** How the map was made, for captions. */
  method: string;
  /** Items mapped (at most `maxItems` of the embedding, evenly spaced). */
  items: number;
  /** Mean share of a point's 10 nearest neighbours that are of its own view, in the map. */
  agreementMap: number;
  /** The same in the latent space itself. */
  agreementLatent: number;
  /** What that share is when views are mixed: Σ_v (share of view v)². */
  chance: number;
}

/**
 * Stacks the views of (at most `maxItems` evenly spaced) items and maps them to 2-D together,
 * seeded, with `opts.method` (default t-SNE); every view is a coloured cloud of the same items.
 */
export function viewMap(e: Embedding, opts: MapOptions & { maxItems?: number }): ViewMap {
  const idx = evenlySpaced(Int32Array.from(e.items.keys()), opts.maxItems ?? 300);
  const n = idx.length * e.views.length, d = e.dim;
  const data = new Float32Array(n * d);
  const labels: string[] = [];
  const items: string[] = [];
  let r = 0;
  for (const v of e.views) {
    for (const k of idx) {
      data.set(e.means[v].subarray(k * d, (k + 1) * d), r * d);
      labels.push(v);
      items.push(e.itemIds[k]);
      r++;
    }
  }
  const xy = map2d(data, n, d, opts);
  return {
    points: labels.map((view, k) => ({ item: items[k], view, x: xy[2 * k], y: xy[2 * k + 1] })),
    method: mapMethod(opts, n),
    items: idx.length,
    agreementMap: neighbourAgreement(xy, n, 2, labels),
    agreementLatent: neighbourAgreement(data, n, d, labels),
    chance: 1 / e.views.length,
  };
}

/**
 * Writes an embedding into `dir`: `<view>.npy` (`[items × dim]` float32 per view), `items.csv`
 * (row, item id, split part), `means.csv` (long: item, part, view, z0…) and, given a map,
 * `map.csv` (item, view, x, y). Returns the file names.
 */
export async function writeEmbedding(dir: string, e: Embedding, map?: ViewMap): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const v of e.views) {
    const name = `${v.replace(/[^A-Za-z0-9_.-]/g, "_")}.npy`;
    await writeAtomic(join(dir, name), encodeNpy(e.means[v], [e.items.length, e.dim]));
    files.push(name);
  }
  await writeAtomic(
    join(dir, "items.csv"),
    stringify(e.itemIds.map((id, k) => [k, id, e.parts[k]]), {
      header: true,
      columns: ["row", "item", "part"],
    }),
  );
  files.push("items.csv");
  const zs = Array.from({ length: e.dim }, (_, c) => `z${c}`);
  const rows: (string | number)[][] = [];
  for (const v of e.views) {
    e.itemIds.forEach((id, k) => {
      rows.push([id, e.parts[k], v, ...e.means[v].subarray(k * e.dim, (k + 1) * e.dim)]);
    });
  }
  await writeAtomic(
    join(dir, "means.csv"),
    stringify(rows, { header: true, columns: ["item", "part", "view", ...zs] }),
  );
  files.push("means.csv");
  if (map) {
    await writeAtomic(
      join(dir, "map.csv"),
      stringify(map.points.map((p) => [p.item, p.view, p.x, p.y]), {
        header: true,
        columns: ["item", "view", "x", "y"],
      }),
    );
    files.push("map.csv");
  }
  return files;
}
