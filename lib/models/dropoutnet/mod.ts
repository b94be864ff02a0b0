/**
 * DropoutNet (Volkovs et al., NeurIPS 2017): the model (`model.ts`, whose header has the
 * readings taken) and its user and item towers.
 *
 * @example Usage
 * ```ts
 * import { dropoutnetSpec } from "./lib/models/dropoutnet/mod.ts";
 * const model = dropoutnetSpec.create(dropoutnetSpec.defaults, { dataset, split, rng, seed: 1 });
 * const scores = await model.scorer().score(users, coldItems);
 * ```
 *
 * @module
 */
export { type DropoutnetConfig, dropoutnetSpec } from "./model.ts";
export { Tower } from "./tower.ts";
