/**
 * Datasets: the shared {@linkcode Dataset} type, the loaders (generic files, MovieLens,
 * Amazon 2014, the real sets in the shared data folder), the seeded synthetic generator (with
 * its planted utility, `planted.ts`) and a spec-driven registry.
 *
 * @example Usage
 * ```ts
 * import { datasetStats, loadDataset } from "./lib/data/mod.ts";
 * const ds = await loadDataset({ kind: "synthetic", seed: 1 });
 * console.log(datasetStats(ds));
 * ```
 *
 * @module
 */
export * from "./dataset.ts";
export * from "./errors.ts";
export * from "./lines.ts";
export * from "./delimited.ts";
export * from "./rows.ts";
export * from "./npy.ts";
export * from "./features.ts";
export * from "./builder.ts";
export * from "./pairs.ts";
export * from "./attribute_csr.ts";
export * from "./generic.ts";
export * from "./generic_split.ts";
export * from "./movielens.ts";
export * from "./py_literal.ts";
export * from "./amazon_images.ts";
export * from "./amazon2014.ts";
export * from "./lastfm.ts";
export * from "./s3rec.ts";
export * from "./citeulike.ts";
export * from "./synthetic.ts";
export {
  expectedViewWeights,
  pairViewWeights,
  plantedUtility,
  syntheticUtilities,
} from "./planted.ts";
export * from "./registry.ts";
export * from "./spec_schema.ts";
export { schemaProblem } from "./zod_problem.ts";
export { baseName, fileExists, joinPath, requireFile } from "./files.ts";
