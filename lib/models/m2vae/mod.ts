/**
 * M2VAE — the Multi-Modal Multi-View Variational AutoEncoder (He et al., AAAI 2026): the
 * model, its nine Table 4 variants (and `paper`, the paper-literal readings), its diagnostics, exact personalised cold-item scoring (factored, with a
 * naive per-pair reference) and the interpretability hook.
 *
 * @example Usage
 * ```ts
 * import { createM2vae, M2VAE_DEFAULTS } from "./lib/models/m2vae/mod.ts";
 * const model = createM2vae({ ...M2VAE_DEFAULTS, variant: "w/o SG" }, { dataset, split, rng });
 * const scores = await model.scorer().score(users, coldItems);
 * console.log(model.explain(users[0], coldItems[0])); // { gates: {…}, commonWeight }
 * ```
 *
 * @module
 */
export { checkM2vaeConfig, M2VAE_DEFAULTS, type M2vaeConfig } from "./config.ts";
export {
  applyVariant,
  type InertPart,
  inertParts,
  M2VAE_VARIANTS,
  PAPER_READINGS,
  resolveVariant,
  sameAsFull,
} from "./variants.ts";
export { m2vaeDiagnostics, pearson, posteriorHealth } from "./diagnostics.ts";
export { applyPriorNet, createPriorNet, type PriorNet } from "./prior.ts";
export { createM2vae, M2vae, m2vaeSpec } from "./model.ts";
export { explainPair, type Explanation, latentMeans } from "./interpret.ts";
export { type Fusion, type ItemEncoding, M2vaeNetwork } from "./network.ts";
export { factoredScores, type InferenceMode, m2vaeScorer, naiveScores } from "./scorer.ts";
export { disentangleChance, disentangleLoss } from "./disentangle.ts";
export { m2vaeBenchmarks, type M2vaeBenchOptions } from "./bench.ts";
