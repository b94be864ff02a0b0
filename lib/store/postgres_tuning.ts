/**
 * The tuning protocol's rows in the PostgreSQL store: what `tuning.ts` does for SQLite, with the
 * same SQL text where the two dialects agree (`numbered` turns its `?` into `$n`). Each function
 * takes the query of the pool or of the caller's transaction; {@linkcode PostgresStore} delegates
 * its tuning methods here.
 *
 * @example Usage
 * ```ts
 * import { tuneEntries } from "./postgres_tuning.ts";
 *
 * const entries = await tuneEntries(q, "table3_fair"); // q: a Query on the pool
 * ```
 *
 * @module
 */
import { inList, json, numbered, type Query } from "./postgres_sql.ts";
import * as tuning from "./tuning.ts";
import type { ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";

/** The link SQL of a released trial (`tuning.ts`), with PostgreSQL's typed parameters. */
const RELEASE_LINK_PG = tuning.releaseLinkSql((i, type) => `$${i}::${type}`);

/** The tuning protocol's trials of an experiment (every rung and final run it may release). */
export async function tuneEntries(q: Query, experiment: string): Promise<TuneEntry[]> {
  return (await q(numbered(tuning.TUNE_ENTRIES_SQL), [experiment])).map(tuning.tuneEntryOf);
}

/**
 * Replaces an experiment's tuning rows on `datasets` by `entries` (none: the experiment is not
 * tuned there). Runs inside the caller's transaction (registering the experiment).
 */
export async function writeTuning(
  q: Query,
  experiment: string,
  datasets: readonly string[],
  entries: readonly TuneEntry[],
): Promise<void> {
  await q(
    `DELETE FROM tuning WHERE experiment = $1 AND dataset IN ${inList(2)}`,
    [experiment, json(datasets)],
  );
  await q(
    `INSERT INTO tuning (experiment, dataset, label, config, rung, seed, trial, metric, point,
     point_label) SELECT $1, x.dataset, x.label, x.config, x.rung, x.seed, x.trial, x.metric,
     x."point", x."pointLabel" FROM jsonb_to_recordset($2::text::jsonb) AS x(dataset text,
     label text, config int, rung int, seed int, trial text, metric text, "point" text,
     "pointLabel" text)`,
    [experiment, json(entries)],
  );
}

/** The epoch cap of trials, by key, linked or not (the rungs of tuning). */
export async function trialEpochs(
  q: Query,
  keys: readonly string[],
): Promise<Map<string, number>> {
  const rows = await q(
    `SELECT key, (settings::jsonb ->> 'epochs') AS e FROM trials WHERE key IN ${inList(1)}`,
    [json(keys)],
  );
  const found = new Map(rows.map((r) => [r.key as string, Number(r.e)]));
  return new Map(keys.filter((k) => found.has(k)).map((k) => [k, found.get(k)!]));
}

/** Status and validation metrics of trials, by key (unknown keys are absent). */
export async function tuneStates(
  q: Query,
  keys: readonly string[],
): Promise<Map<string, TuneTrialState>> {
  const rows = await q(
    `SELECT key, status FROM trials WHERE key IN ${inList(1)}`,
    [json(keys)],
  );
  const metrics = await q(
    `SELECT trial, metric, value FROM metrics WHERE part = 'valid' AND trial IN ${inList(1)}`,
    [json(keys)],
  );
  const found = new Map<string, TuneTrialState>();
  for (const r of rows) found.set(r.key, { status: r.status, valid: {} });
  for (const m of metrics) found.get(m.trial)!.valid[m.metric] = Number(m.value);
  // In the order asked, as the SQLite store returns them.
  return new Map(keys.filter((k) => found.has(k)).map((k) => [k, found.get(k)!]));
}

/**
 * Links trials to an experiment, as `tuning.ts`'s `release`, under the experiment's advisory
 * lock. Returns how many links are new. Runs inside the caller's transaction.
 */
export async function release(
  q: Query,
  experiment: string,
  items: readonly ReleaseItem[],
): Promise<number> {
  await q("SELECT pg_advisory_xact_lock(hashtext('m2vae experiment ' || $1))", [experiment]);
  let added = 0;
  for (const it of items) {
    const [r] = await q(
      "SELECT role FROM experiment_trials WHERE experiment = $1 AND trial = $2",
      [experiment, it.key],
    );
    if (r) {
      if (r.role !== it.role && it.role === "result") {
        await q(numbered(tuning.PROMOTE_SQL), [experiment, it.key]);
      }
      await q(numbered(tuning.REPOINT_SQL), [experiment, it.key]);
      continue;
    }
    await q(RELEASE_LINK_PG, [experiment, it.role, it.priority, it.key]);
    await q(numbered(tuning.RETRY_FAILED_SQL), [it.key]);
    added++;
  }
  return added;
}

/** How a trial continues tuning work (see `tuning.ts`'s `continuation`). */
export async function continuation(q: Query, key: string): Promise<tuning.Continuation> {
  return tuning.continuationOf(await q(numbered(tuning.CONTINUATION_SQL), [key, key]));
}
