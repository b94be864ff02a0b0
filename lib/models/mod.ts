/**
 * Cold-start models and their registry.
 *
 * @module
 */
export * from "./model.ts";
export { MODELS, resolveModel } from "./registry.ts";
export { BUILTIN_MODEL_NAMES, modelInfo, modelNames, registerModel } from "./catalog.ts";
export { type ClcrecConfig, clcrecSpec } from "./clcrec.ts";
export { type RandomConfig, randomSpec } from "./random.ts";
export { type PopularityConfig, popularitySpec } from "./popularity.ts";
