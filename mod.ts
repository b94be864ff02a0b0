/**
 * m2vae — a toolkit for multi-modal cold-start item recommendation research.
 *
 * The public library API: datasets and loaders, the cold-start split, the two evaluation
 * protocols, the TF.js runtime, parameters and optimisers, the training engine, the model
 * registry, experiment configs, trial planning, the result store, the report tables and the
 * analysis of stored results (gates, latent views, figures, the HTML report).
 *
 * @example Train CLCRec on the synthetic set
 * ```ts
 * import { coldItemSplit, initTf, loadDataset, resolveModel, Rng, trainAndEvaluate } from "./mod.ts";
 * await initTf();
 * const ds = await loadDataset({ kind: "synthetic" });
 * const split = coldItemSplit(ds, { seed: 0 });
 * const spec = resolveModel("clcrec");
 * const model = spec.create(spec.defaults, { dataset: ds, split, rng: new Rng(1) });
 * const report = await trainAndEvaluate(model, split, {
 *   epochs: 5, batchSize: 1024, lr: 1e-3, weightDecay: 0, evalEvery: 0,
 *   selectMetric: "NDCG@10", protocol: "item2user", patience: 0,
 * }, new Rng(1));
 * console.log(report.test);
 * ```
 *
 * @module
 */
export * from "./lib/analysis/mod.ts";
export * from "./lib/config/mod.ts";
export * from "./lib/data/mod.ts";
export * from "./lib/eval/mod.ts";
export * from "./lib/models/mod.ts";
export * from "./lib/nn/mod.ts";
export * from "./lib/report/mod.ts";
export * from "./lib/rng/mod.ts";
export * from "./lib/run/mod.ts";
export * from "./lib/split/mod.ts";
export * from "./lib/store/mod.ts";
export * from "./lib/tf/mod.ts";
export * from "./lib/train/mod.ts";
