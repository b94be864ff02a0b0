/**
 * Copying into a PostgreSQL store (`deno task store copy FROM postgres://…`): a store's rows
 * (`dumpRows`, what a PostgreSQL source hands over) merged by the rules of `copy.ts`
 * (`mergeDump`). {@linkcode PostgresStore}'s `dump` and `copyFrom` delegate here.
 *
 * @example Usage
 * ```ts
 * import { dumpRows, mergeDump } from "./postgres_copy.ts";
 *
 * const summary = await mergeDump(q, await dumpRows(source)); // q: a Query in a transaction
 * ```
 *
 * @module
 */
import type { CopySummary } from "./copy.ts";
import { inList, json, type Query } from "./postgres_sql.ts";
import { COPIED_TABLES, type StoreDump } from "./result_store.ts";

/** Every row of the copied tables. */
export async function dumpRows(q: Query): Promise<StoreDump> {
  const out: Partial<StoreDump> = {};
  for (const t of COPIED_TABLES) out[t] = [...await q(`SELECT * FROM ${t}`)];
  return out as StoreDump;
}

/**
 * Merges a store's rows into this database, as `copy.ts` merges an attached SQLite file: the
 * rows go to temporary tables shaped like the real ones, then the same rules apply. Runs inside
 * the caller's transaction.
 */
export async function mergeDump(q: Query, dump: StoreDump): Promise<CopySummary> {
  for (const t of COPIED_TABLES) {
    await q(`CREATE TEMP TABLE src_${t} (LIKE ${t}) ON COMMIT DROP`);
    // By column name, so a source with another column order (an older, migrated file) fits.
    await q(
      `INSERT INTO src_${t} SELECT * FROM jsonb_populate_recordset(NULL::src_${t},
       $1::text::jsonb)`,
      [json(dump[t])],
    );
  }
  const experiments = (await q(
    `INSERT INTO experiments SELECT * FROM src_experiments ON CONFLICT (name) DO UPDATE SET
     file = excluded.file, description = excluded.description, plan = excluded.plan,
     updated_at = excluded.updated_at WHERE excluded.updated_at > experiments.updated_at`,
  )).count;
  const here = new Map(
    (await q(
      "SELECT key, status FROM trials WHERE key IN (SELECT key FROM src_trials) FOR UPDATE",
    )).map((r) => [r.key as string, r.status as string]),
  );
  let trials = 0, replaced = 0;
  const take: string[] = [], running: string[] = [], doneKeys: string[] = [];
  for (const s of dump.trials) {
    const t = here.get(s.key);
    const replace = t !== undefined && s.status === "done" && (t === "pending" || t === "failed");
    if (t !== undefined && !replace) continue;
    take.push(s.key);
    if (s.status === "running") running.push(s.key);
    if (s.status === "done") doneKeys.push(s.key);
    if (replace) replaced++;
    else trials++;
  }
  await q(`DELETE FROM trials WHERE key IN ${inList(1)}`, [json(take)]);
  await q(`INSERT INTO trials SELECT * FROM src_trials WHERE key IN ${inList(1)}`, [json(take)]);
  for (const t of ["curves", "metrics", "diagnostics"]) {
    await q(`DELETE FROM ${t} WHERE trial IN ${inList(1)}`, [json(take)]);
    await q(`INSERT INTO ${t} SELECT * FROM src_${t} WHERE trial IN ${inList(1)}`, [json(take)]);
  }
  // A trial running in the source arrives pending: its lease is the source's.
  await q(
    `UPDATE trials SET status = 'pending', host = NULL, pid = NULL, worker = NULL,
     lease_expires = NULL, heartbeat_at = NULL, started_at = NULL WHERE key IN ${inList(1)}`,
    [json(running)],
  );
  const links = (await q(
    "INSERT INTO experiment_trials SELECT * FROM src_experiment_trials ON CONFLICT DO NOTHING",
  )).count;
  const tuning = (await q("INSERT INTO tuning SELECT * FROM src_tuning ON CONFLICT DO NOTHING"))
    .count;
  return { experiments, trials, replaced, links, tuning, doneKeys };
}
