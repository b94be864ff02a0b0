/**
 * MVGAE (Yi & Chen, TMM 2021): the model (`model.ts`, whose header has the readings taken),
 * its GCN experts, losses and defaults.
 *
 * @example Usage
 * ```ts
 * import { MVGAE_DEFAULTS, mvgaeSpec } from "./lib/models/mvgae/mod.ts";
 * const model = mvgaeSpec.create({ ...MVGAE_DEFAULTS, dim: 32 }, { dataset, split, rng });
 * const scores = await model.scorer().score(users, coldItems);
 * ```
 *
 * @module
 */
export { MVGAE_DEFAULTS, type MvgaeConfig } from "./config.ts";
export { mvgaeSpec } from "./model.ts";
