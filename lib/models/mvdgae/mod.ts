/**
 * MvDGAE (Zheng et al., KDD 2021): the model (`model.ts`, whose header has the readings taken),
 * its attention views and decoders.
 *
 * @example Usage
 * ```ts
 * import { mvdgaeSpec } from "./lib/models/mvdgae/mod.ts";
 * const model = mvdgaeSpec.create(mvdgaeSpec.defaults, { dataset, split, rng });
 * const scores = await model.scorer().score(users, coldItems);
 * ```
 *
 * @module
 */
export { type MvdgaeConfig, mvdgaeSpec } from "./model.ts";
