/**
 * The result store: an embedded SQLite file of experiments, trials, validation curves and
 * final metrics; resumable and safe for concurrent worker processes.
 *
 * @example Usage
 * ```ts
 * const store = ResultStore.open("results/store.sqlite");
 * store.register("demo", "experiments/demo.yaml", "", plan, trials);
 * for (let t; (t = store.claim("demo"));) store.complete(t.key, await run(t));
 * store.close();
 * ```
 *
 * @module
 */
export * from "./store.ts";
export { SCHEMA_VERSION } from "./schema.ts";
export { DEFAULT_LEASE_SECONDS, leaseSeconds, staleReason, workerId } from "./lease.ts";
export { type ExperimentStatus, experimentStatus, renderStatus } from "./status.ts";
