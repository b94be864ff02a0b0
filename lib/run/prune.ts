/**
 * Disk a store's finished work no longer needs, given back. Beside each trial's kept checkpoint
 * (what reports, figures and probes read) the artifact folder can hold two larger files:
 * - `train_state.safetensors`, a tuning rung's whole state (parameters, kept parameters, Adam's
 *   moments, generators) for its next rung to continue. The scheduler removes it once no
 *   experiment waits on it; one is left behind by a sweep abandoned half-way or a rung whose
 *   next one was never decided. With no experiment waiting on it (see the store's
 *   `continuation`), it goes.
 * - `end_state.safetensors`, a finished run's state at its cap, so that a larger cap continues it
 *   (cap_continuation.ts). With `endStates`, the states of runs that reached their cap go with
 *   their lineage records: a larger cap then trains from the start, to the same numbers. A run
 *   that stopped on patience keeps its own (its kept parameters only: small, and it answers any
 *   larger cap without training).
 * Checkpoints always stay. Only this store's trials are looked at: several stores in one folder
 * share the artifact folder, and a trial another store holds is that store's to prune.
 *
 * @module
 */
import { join } from "node:path";
import type { ResultStore } from "../store/mod.ts";
import { endStatePath, type LineageEntry } from "./cap_continuation.ts";
import { lineageKey } from "./trial.ts";

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
  o: { endStates?: boolean; dryRun?: boolean } = {},
): Promise<PruneSummary> {
  const specs = new Map(
    (await Promise.all((await store.experiments()).map((e) => store.trials(e.name))))
      .flat().map((t) => [t.spec.key, t]),
  );
  const out: PruneSummary = { trainStates: 0, endStates: 0, bytes: 0, trials: specs.size };
  const remove = async (path: string, size: number) => {
    out.bytes += size;
    if (!o.dryRun) await Deno.remove(path).catch(() => {});
  };
  for (const [key, t] of specs) {
    const state = store.statePath(key), stateSize = await sizeOf(state);
    if (stateSize !== undefined && (await store.continuation(key)).waiting.length === 0) {
      out.trainStates++;
      await remove(state, stateSize);
    }
    if (!o.endStates || t.status !== "done") continue;
    const end = endStatePath(store.artifactDir(key)), endSize = await sizeOf(end);
    const lineage = lineageKey(t.spec);
    if (endSize === undefined || lineage === undefined) continue;
    const record = join(store.artifactsRoot(), "lineage", lineage, `${key}.json`);
    const entry = await Deno.readTextFile(record)
      .then((s) => JSON.parse(s) as LineageEntry, () => undefined);
    if (entry?.stopped) continue;
    out.endStates++;
    await remove(end, endSize);
    if (entry && !o.dryRun) await Deno.remove(record).catch(() => {});
  }
  return out;
}
