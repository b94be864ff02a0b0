/**
 * Copying one result store into another (`deno task store copy FROM TO`): experiments, trials
 * with their curves, metrics and diagnostics, the experiments' links and tuning rows, and the kept
 * checkpoints beside the store, merged by trial key so that a copy is idempotent (a second copy
 * adds nothing):
 *
 * - a trial absent from the target is added (one running in the source arrives `pending`: its
 *   lease is the source's);
 * - a trial done in the source replaces one pending or failed in the target, never the reverse,
 *   and a running or done one in the target is kept;
 * - an experiment is added, or its plan updated when the source registered it later;
 * - links and tuning rows are added where missing.
 *
 * The source is opened as a store first (so an older one is migrated), then read through SQLite's
 * `ATTACH`; everything is written in one transaction of the target. Either store may be a
 * PostgreSQL database (`postgres://…`): a PostgreSQL source reaches an SQLite target through a
 * temporary SQLite file of its rows, and a PostgreSQL target applies these same rules to the
 * source's rows in temporary tables (`postgres.ts`).
 *
 * @example Usage
 * ```ts
 * import { ResultStore } from "./store.ts";
 *
 * const lab = await ResultStore.open("lab/store.sqlite");
 * console.log(await lab.copyFrom("results/store.sqlite")); // { trials: 48, replaced: 0, … }
 * await lab.close();
 * ```
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Row } from "./rows.ts";

/** What a copy added to the target. */
export interface CopySummary {
  /** Experiments added or whose plan was updated. */
  experiments: number;
  /** Trials added. */
  trials: number;
  /** Trials done in the source that replaced pending or failed ones. */
  replaced: number;
  /** Experiment–trial links added. */
  links: number;
  /** Tuning rows added. */
  tuning: number;
  /** Keys of the trials added or replaced that are done (their checkpoints may follow). */
  doneKeys: string[];
}

/** Column names of a table of the target. */
function columns(db: DatabaseSync, table: string): string[] {
  return (db.prepare(`PRAGMA main.table_info(${table})`).all() as Row[]).map((r) =>
    `"${String(r.name)}"`
  );
}

/**
 * Copies the attached store `src` into `main` of `db`; the caller attaches it and holds the
 * transaction.
 */
export function copyAttached(db: DatabaseSync): CopySummary {
  const changes = (sql: string) => Number(db.prepare(sql).run().changes);
  const exp = columns(db, "experiments").join(", ");
  const experiments = changes(
    `INSERT INTO main.experiments (${exp}) SELECT ${exp} FROM src.experiments WHERE true
     ON CONFLICT(name) DO UPDATE SET file = excluded.file, description = excluded.description,
     plan = excluded.plan, updated_at = excluded.updated_at
     WHERE excluded.updated_at > experiments.updated_at`,
  );
  const trialCols = columns(db, "trials");
  const list = trialCols.join(", ");
  const srcTrials = db.prepare("SELECT key, status FROM src.trials").all() as Row[];
  const here = db.prepare("SELECT status FROM main.trials WHERE key = ?");
  const put = db.prepare(
    `INSERT OR REPLACE INTO main.trials (${list}) SELECT ${list} FROM src.trials WHERE key = ?`,
  );
  const pend = db.prepare(
    `UPDATE main.trials SET status = 'pending', host = NULL, pid = NULL, worker = NULL,
     lease_expires = NULL, heartbeat_at = NULL, started_at = NULL WHERE key = ?`,
  );
  const results = ["curves", "metrics", "diagnostics"].map((table) => {
    const cols = columns(db, table).join(", ");
    return [
      db.prepare(`DELETE FROM main.${table} WHERE trial = ?`),
      db.prepare(
        `INSERT INTO main.${table} (${cols}) SELECT ${cols} FROM src.${table} WHERE trial = ?`,
      ),
    ];
  });
  let trials = 0, replaced = 0;
  const doneKeys: string[] = [];
  for (const s of srcTrials) {
    const t = here.get(s.key) as Row | undefined;
    const replace = t !== undefined && s.status === "done" &&
      (t.status === "pending" || t.status === "failed");
    if (t !== undefined && !replace) continue;
    put.run(s.key);
    for (const [clear, copy] of results) {
      clear.run(s.key);
      copy.run(s.key);
    }
    if (s.status === "running") pend.run(s.key);
    if (s.status === "done") doneKeys.push(s.key);
    if (replace) replaced++;
    else trials++;
  }
  const link = columns(db, "experiment_trials").join(", ");
  const links = changes(
    `INSERT OR IGNORE INTO main.experiment_trials (${link}) SELECT ${link}
     FROM src.experiment_trials`,
  );
  const tune = columns(db, "tuning").join(", ");
  const tuning = changes(
    `INSERT OR IGNORE INTO main.tuning (${tune}) SELECT ${tune} FROM src.tuning`,
  );
  return { experiments, trials, replaced, links, tuning, doneKeys };
}
