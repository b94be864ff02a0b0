/**
 * Cold-start models and their registry: every built-in model's spec and config type (the
 * spec's `create` builds it; `MODELS` maps registry names to specs).
 *
 * @module
 */
export * from "./model.ts";
export { MODELS, resolveModel } from "./registry.ts";
export { BUILTIN_MODEL_NAMES, modelInfo, modelNames, registerModel } from "./catalog.ts";
export { type RandomConfig, randomSpec } from "./random.ts";
export { ORACLE_VARIANTS, type OracleConfig, oracleSpec } from "./oracle.ts";
export { type PopularityConfig, popularitySpec } from "./popularity.ts";
export { type ClcrecConfig, clcrecSpec } from "./clcrec.ts";
export { type CcfcrecConfig, ccfcrecSpec } from "./ccfcrec.ts";
export { type PadClrecConfig, padClrecSpec } from "./pad_clrec.ts";
export { type M2vaeConfig, m2vaeSpec } from "./m2vae/mod.ts";
export { type CvaeConfig, cvaeSpec } from "./cvae.ts";
export { type VmoseConfig, vmoseSpec } from "./vmose.ts";
export { type CvarConfig, cvarSpec } from "./cvar.ts";
export { type GorecConfig, gorecSpec } from "./gorec/mod.ts";
export { type GarConfig, garSpec } from "./gar/mod.ts";
export { type DropoutnetConfig, dropoutnetSpec } from "./dropoutnet/mod.ts";
export { type LaraConfig, laraSpec } from "./lara.ts";
export { type MtprConfig, mtprSpec } from "./mtpr.ts";
export { type MvgaeConfig, mvgaeSpec } from "./mvgae/mod.ts";
export { type MvdgaeConfig, mvdgaeSpec } from "./mvdgae/mod.ts";
