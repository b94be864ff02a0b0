/**
 * The module callers import the result store from: it registers both backends with
 * `ResultStore.open` (the SQLite file, {@linkcode SqliteStore} in `sqlite.ts`, and a
 * `postgres://` URL, `postgres.ts`, loaded only when one is opened) and hands on the store's
 * interface (`result_store.ts`) with the types its methods take and return.
 *
 * @example Usage
 * ```ts
 * import { ResultStore } from "./store.ts";
 *
 * const store = await ResultStore.open("results/store.sqlite"); // or a postgres:// URL
 * await store.close();
 * ```
 *
 * @module
 */
import type { CopySummary } from "./copy.ts";
import { StoreError } from "./open.ts";
import { storeBackends } from "./result_store.ts";
import type { TrialInfo, TrialLease, TrialStatus } from "./rows.ts";
import { SqliteStore } from "./sqlite.ts";
import type { ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";

export type {
  CopySummary,
  ReleaseItem,
  TrialInfo,
  TrialLease,
  TrialStatus,
  TuneEntry,
  TuneTrialState,
};
export { SqliteStore, StoreError };

export * from "./result_store.ts";

storeBackends.sqlite = (path, seconds, worker, mustExist) =>
  Promise.resolve(new SqliteStore(path, seconds, worker, mustExist));
storeBackends.postgres = (url, seconds, worker, mustExist) =>
  import("./postgres.ts").then((m) => m.PostgresStore.connect(url, mustExist, seconds, worker));
