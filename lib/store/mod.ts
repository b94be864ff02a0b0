/**
 * The result store: an embedded SQLite file (or a PostgreSQL database) of experiments, trials,
 * validation curves and final metrics; resumable and safe for concurrent worker processes.
 *
 * @example Usage
 * ```ts
 * const store = await ResultStore.open("results/store.sqlite");
 * await store.register("demo", "experiments/demo.yaml", "", plan, trials);
 * for (let t; (t = await store.claim("demo"));) await store.complete(t.key, await run(t));
 * await store.close();
 * ```
 *
 * @module
 */
export * from "./store.ts";
export { SCHEMA_VERSION } from "./schema.ts";
export { canonicalJson } from "./trial_spec.ts";
export { recordedSeconds } from "./rows.ts";
export { tuneRows, type TuneTrialState } from "./tuning.ts";
export {
  type ChoiceMargin,
  choiceMargin,
  type HalvingReplay,
  type HalvingRule,
  type HalvingScenario,
  planRule,
  replayHalving,
  type TuneDecision,
  tuneDecision,
  withinNoise,
} from "./halving.ts";
export { DEFAULT_LEASE_SECONDS, leaseSeconds, staleReason, workerId } from "./lease.ts";
export { type ExperimentStatus, experimentStatus, renderStatus } from "./status.ts";
export { redactStoreUrls, shownStore, storeOption } from "./store_name.ts";
export {
  decodeQueryMetrics,
  encodeQueryMetrics,
  readQueryMetrics,
  TEST_QUERIES_FILE,
  writeQueryMetrics,
} from "./test_queries.ts";
