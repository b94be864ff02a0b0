/**
 * GoRec (Bai et al., MM 2023): the model (`model.ts`, whose header has the readings taken) and
 * its content clusters.
 *
 * @example Usage
 * ```ts
 * import { gorecSpec } from "./lib/models/gorec/mod.ts";
 * const model = gorecSpec.create(gorecSpec.defaults, { dataset, split, rng, seed: 1 });
 * const scores = await model.scorer().score(users, coldItems);
 * ```
 *
 * @module
 */
export { clusterMeans, type ContentClusters, contentClusters } from "./clusters.ts";
export { type GorecConfig, gorecSpec } from "./model.ts";
