/**
 * Disk a store's finished work no longer needs, given back. Beside each trial's kept checkpoint
 * (what reports, figures and probes read) the artifact folder can hold two larger files:
 * - `train_state.safetensors`, a tuning rung's whole state (parameters, kept parameters, Adam's
 *   moments, generators) for its next rung to continue. The scheduler removes it once no
 *   experiment waits on it, but not every path gets there (a store copied or a sweep's plan
 *   replaced mid-way, a crash between the two steps, code older than that rule). With no
 *   experiment of the store waiting on it (the store's `continuation`), it goes; a state a sweep
 *   may still continue (its next rung not done, or not decided yet) stays.
 * - `end_state.safetensors`, a finished run's state at its cap, so that a larger cap continues it
 *   (cap_continuation.ts). With `endStates`, the states of runs that reached their cap go with
 *   their lineage records: a larger cap then trains from the start, to the same numbers. A run
 *   that stopped on patience keeps its own (its kept parameters only: small, and it answers any
 *   larger cap without training).
 * Checkpoints always stay. SQLite stores in one folder share its `artifacts/` (and trial keys),
 * so a training state that another store's sweep still waits on stays too: the caller passes
 * those stores as `siblings` ({@linkcode siblingStorePaths} finds them). End states are not
 * tied to a store: with `endStates` they go whichever store ran them (a larger cap then trains
 * from the start, to the same numbers). A run that left an end state but no lineage record keeps
 * it. A PostgreSQL store's artifacts (`M2VAE_ARTIFACTS`) may be shared by stores no folder lists:
 * only the stores passed are consulted.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { isPostgresUrl, type ResultStore } from "../store/mod.ts";
import { endStatePath, type LineageEntry, lineageRecordPath } from "./cap_continuation.ts";

/** What a prune removed (or, as a dry run, would remove). */
export interface PruneSummary {
  /** Training states no rung will continue. */
  trainStates: number;
  /** End states of runs that reached their cap (`endStates` only). */
  endStates: number;
  /** Bytes of both. */
  bytes: number;
  /** Trials of the store looked at. */
  trials: number;
}

/** File size in bytes, or undefined when it does not exist. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Removes the training states of `store`'s trials that no experiment waits on, and with
 * `endStates` the end states of its runs that reached their cap; `dryRun` only counts.
 *
 * @example Usage
 * ```ts ignore
 * const store = await ResultStore.open("results/store.sqlite", { mustExist: true });
 * const s = await pruneArtifacts(store, { endStates: true, dryRun: true });
 * console.log(`${s.trainStates} training states, ${s.endStates} end states, ${s.bytes} bytes`);
 * ```
 */
export async function pruneArtifacts(
  store: ResultStore,
  o: {
    endStates?: boolean;
    dryRun?: boolean;
    /** Other stores sharing this one's artifacts, whose sweeps' waiting states stay too. */
    siblings?: readonly ResultStore[];
  } = {},
): Promise<PruneSummary> {
  const consulted = [store, ...(o.siblings ?? [])];
  const waitedOn = async (key: string) => {
    for (const s of consulted) if ((await s.continuation(key)).waiting.length > 0) return true;
    return false;
  };
  const specs = await store.allTrials();
  const out: PruneSummary = { trainStates: 0, endStates: 0, bytes: 0, trials: specs.size };
  // Counts only what is (or, as a dry run, would be) removed.
  const remove = async (path: string, size: number): Promise<boolean> => {
    if (!o.dryRun) {
      try {
        await Deno.remove(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return false;
        throw e;
      }
    }
    out.bytes += size;
    return true;
  };
  for (const [key, t] of specs) {
    const state = store.statePath(key), stateSize = await sizeOf(state);
    if (stateSize !== undefined && !(await waitedOn(key))) {
      if (await remove(state, stateSize)) out.trainStates++;
    }
    if (!o.endStates || t.status !== "done") continue;
    const end = endStatePath(store.artifactDir(key)), endSize = await sizeOf(end);
    const record = lineageRecordPath(store.artifactsRoot(), t.spec);
    if (endSize === undefined || record === undefined) continue;
    const entry = await Deno.readTextFile(record)
      .then((s) => JSON.parse(s) as LineageEntry, () => undefined);
    // No record: nothing says whether it stopped on patience, so it stays.
    if (entry === undefined || entry.stopped) continue;
    if (await remove(end, endSize)) out.endStates++;
    if (!o.dryRun) await Deno.remove(record).catch(() => {});
  }
  return out;
}

/**
 * The other SQLite stores in the folder of the SQLite store at `path` (files named `*.sqlite`
 * beside it), which share its `artifacts/`; none for a PostgreSQL URL.
 *
 * @example Usage
 * ```ts ignore
 * await siblingStorePaths("results/table3.sqlite"); // ["results/table4.sqlite", …]
 * ```
 */
export async function siblingStorePaths(path: string): Promise<string[]> {
  if (isPostgresUrl(path)) return [];
  const dir = dirname(path), self = resolve(path);
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isFile && e.name.endsWith(".sqlite") && resolve(p) !== self) out.push(p);
  }
  return out.sort((a, b) => basename(a) < basename(b) ? -1 : 1);
}
