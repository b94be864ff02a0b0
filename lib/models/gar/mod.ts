/**
 * GAR (Chen et al., SIGIR 2022): the model (`model.ts`, whose header has the readings taken)
 * and its MLPs with TF1-style batch normalisation.
 *
 * @example Usage
 * ```ts
 * import { garSpec } from "./lib/models/gar/mod.ts";
 * const model = garSpec.create(garSpec.defaults, { dataset, split, rng, seed: 1 });
 * const scores = await model.scorer().score(users, coldItems);
 * ```
 *
 * @module
 */
export { type GarConfig, garSpec } from "./model.ts";
export { Mlp } from "./mlp.ts";
