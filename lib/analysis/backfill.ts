/**
 * Test metrics per query for trials that ran before they were kept: each finished result trial
 * (tuning rungs are never reported) with a kept checkpoint and no `test_queries.safetensors` is
 * ranked again on its test part, under its own protocol and evaluator settings, and the file
 * written — once the ranking reproduces the trial's stored test metrics (to 1e-6), so a
 * checkpoint that no longer reproduces its numbers never lends them an interval.
 *
 * @module
 */
import { metricCutoffs } from "../eval/mod.ts";
import { type ResultStore, type TrialInfo, writeQueryMetrics } from "../store/mod.ts";
import { type BackendName, initTf } from "../tf/mod.ts";
import { rankAgain } from "./compare.ts";
import { hasCheckpoint, hasTestQueries } from "./trials.ts";

/** What {@linkcode backfillQueries} did (or, as a dry run, would do). */
export interface BackfillSummary {
  /** Trials ranked again (a dry run: that would be). */
  ranked: number;
  /** Of those, the trials given their file. */
  written: number;
  /** Finished trials that already had one. */
  present: number;
  /** Finished trials without a checkpoint to rank with. */
  noCheckpoint: number;
  /**
   * Trials ranked again but not given the file, each with the reason: the first metric whose
   * ranking differs from the stored one, no stored test metrics to check against, or the error
   * that stopped its ranking (a checkpoint that cannot be read, a dataset not found, …).
   */
  notKept: { key: string; reason: string }[];
}

/**
 * Writes the test metrics per query of every finished trial of `store` that has a checkpoint and
 * lacks them (`dryRun`: counts only, loads nothing).
 *
 * @example Usage
 * ```ts ignore
 * const store = await ResultStore.open("results/store.sqlite", { mustExist: true });
 * const s = await backfillQueries(store);
 * console.log(`${s.written} of ${s.ranked} written; not kept: ${s.notKept.length}`);
 * ```
 */
export async function backfillQueries(
  store: ResultStore,
  opts: { dryRun?: boolean; cacheDir?: string } = {},
): Promise<BackfillSummary> {
  const s: BackfillSummary = { ranked: 0, written: 0, present: 0, noCheckpoint: 0, notKept: [] };
  const todo: TrialInfo[] = [];
  const seen = new Set<string>();
  for (const e of await store.experiments()) {
    for (const t of await store.trials(e.name)) {
      // Tuning rungs are never reported (the lower ones keep a training state, no checkpoint).
      if (t.status !== "done" || t.role !== "result" || seen.has(t.spec.key)) continue;
      seen.add(t.spec.key);
      if (hasTestQueries(store, t.spec.key)) s.present++;
      else if (!hasCheckpoint(store, t.spec.key)) s.noCheckpoint++;
      else todo.push(t);
    }
  }
  if (opts.dryRun) return { ...s, ranked: todo.length };
  const test = await store.metrics(todo.map((t) => t.spec.key), "test");
  for (const info of todo) {
    s.ranked++;
    const stored = test.get(info.spec.key) ?? {};
    if (Object.keys(stored).length === 0) {
      s.notKept.push({ key: info.spec.key, reason: "no stored test metrics to check against" });
      continue;
    }
    try {
      const reason = await rankAndKeep(store, info, stored, opts.cacheDir);
      if (reason) s.notKept.push({ key: info.spec.key, reason });
      else s.written++;
    } catch (e) {
      // One trial that cannot be ranked (its checkpoint or dataset unreadable) stops only itself.
      s.notKept.push({ key: info.spec.key, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return s;
}

/**
 * Ranks `info`'s test part again with its checkpoint and writes its file when every stored test
 * metric is reproduced; else returns why not.
 */
async function rankAndKeep(
  store: ResultStore,
  info: TrialInfo,
  stored: Record<string, number>,
  cacheDir?: string,
): Promise<string | undefined> {
  await initTf(info.spec.settings.backend as BackendName);
  const ks = metricCutoffs(Object.keys(stored));
  const { metrics, queries } = await rankAgain(store, info, "test", ks, cacheDir);
  const gap = Object.entries(stored).find(([m, v]) => !(Math.abs(metrics[m] - v) <= 1e-6));
  if (gap) {
    return `ranks ${gap[0]} ${metrics[gap[0]]} where the store holds ${gap[1]} ` +
      "(its checkpoint does not reproduce its results)";
  }
  await writeQueryMetrics(store.testQueriesPath(info.spec.key), queries);
  return undefined;
}
