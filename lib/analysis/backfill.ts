/**
 * Test metrics per query for trials that ran before they were kept: each finished result trial
 * (tuning rungs are never reported) with a kept checkpoint and no `test_queries.safetensors` is
 * ranked again on its test part, under its own protocol and evaluator settings, and the file
 * written — once the ranking reproduces the trial's stored test metrics (to 1e-6), so a
 * checkpoint that no longer reproduces its numbers never lends them an interval.
 *
 * @module
 */
import { evaluate, perQueryMetrics, type Protocol } from "../eval/mod.ts";
import { type ResultStore, type TrialInfo, writeQueryMetrics } from "../store/mod.ts";
import { type BackendName, initTf } from "../tf/mod.ts";
import { evalOptionsOf, type TrainOptions } from "../train/mod.ts";
import { hasCheckpoint, hasTestQueries, loadTrial } from "./trials.ts";

/** What {@linkcode backfillQueries} did (or, as a dry run, would do). */
export interface BackfillSummary {
  /** Trials given their file. */
  written: number;
  /** Finished trials that already had one. */
  present: number;
  /** Finished trials without a checkpoint to rank with. */
  noCheckpoint: number;
  /** Trials whose ranking did not reproduce their stored test metrics: key and the first gap. */
  mismatched: { key: string; metric: string; stored: number; ranked: number }[];
}

/**
 * Writes the test metrics per query of every finished trial of `store` that has a checkpoint and
 * lacks them (`dryRun`: counts only, loads nothing).
 *
 * @example Usage
 * ```ts ignore
 * const store = await ResultStore.open("results/store.sqlite", { mustExist: true });
 * const s = await backfillQueries(store);
 * console.log(`${s.written} written, ${s.mismatched.length} not reproduced`);
 * ```
 */
export async function backfillQueries(
  store: ResultStore,
  opts: { dryRun?: boolean; cacheDir?: string } = {},
): Promise<BackfillSummary> {
  const s: BackfillSummary = { written: 0, present: 0, noCheckpoint: 0, mismatched: [] };
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
  if (opts.dryRun) return { ...s, written: todo.length };
  const test = await store.metrics(todo.map((t) => t.spec.key), "test");
  for (const info of todo) {
    await initTf(info.spec.settings.backend as BackendName);
    const t = await loadTrial(store, info, opts.cacheDir);
    try {
      const settings = t.info.spec.settings as unknown as TrainOptions;
      const protocol = settings.protocol as Protocol;
      const r = await evaluate(t.model.scorer(), t.split, "test", protocol, {
        ...evalOptionsOf(settings, t.split),
        keepLists: true,
      });
      const stored = test.get(info.spec.key) ?? {};
      const ks = [...new Set(Object.keys(stored).map((m) => Number(m.split("@")[1])))];
      const per = perQueryMetrics(r.lists!, protocol, ks.length ? ks : [5, 10, 20]);
      const gap = Object.entries(stored).find(([m, v]) => !(Math.abs(r.metrics[m] - v) <= 1e-6));
      if (gap) {
        s.mismatched.push({
          key: info.spec.key,
          metric: gap[0],
          stored: gap[1],
          ranked: r.metrics[gap[0]],
        });
        continue;
      }
      await writeQueryMetrics(store.testQueriesPath(info.spec.key), {
        ids: r.lists!.ids,
        metrics: per,
      });
      s.written++;
    } finally {
      t.model.dispose();
    }
  }
  return s;
}
