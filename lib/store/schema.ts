/**
 * The SQL schema of the result store (SQLite through Deno's built-in `node:sqlite`).
 *
 * - `experiments`: one row per experiment name, with its resolved plan.
 * - `trials`: one row per trial key (content hash of dataset, model, config, settings, seed);
 *   status `pending` → `running` → `done` | `failed`; a trial is shared by every experiment
 *   that plans it (`experiment_trials`, which also holds the search point under which that
 *   experiment planned it: the same trial can be one experiment's `idInit=random` and another's
 *   `klWeight=1, beta=0.5`).
 * - `curves`: the validation metrics and mean loss terms at every evaluation of a trial.
 * - `metrics`: the final metrics of a trial's kept checkpoint, part `valid` or `test`.
 * - `tuning`: the trials the tuning protocol may run for each (dataset, row): every rung of every
 *   drawn configuration (on the tuning seed) and every seed of every configuration's final run
 *   (`rung` −1), with the search point under which this experiment planned it. Only the ones
 *   the protocol releases are linked to the experiment, under that point; a link's
 *   `role` is `tune` (a rung: never reported) or `result` (reported), and its `priority` orders
 *   claims (deeper rungs first, so rows finish early).
 * - A `running` trial holds a lease (`lease.ts`): its `host`, `pid` and `worker` id, the time of
 *   its last heartbeat (`heartbeat_at`) and the expiry the heartbeat pushes on (`lease_expires`,
 *   an ISO time). A trial whose lease has expired is re-queued by the next worker or coordinator.
 * - `diagnostics`: a model's measurements of its own internals at every evaluation of a trial
 *   (posterior health, gates, loss terms against chance, inference gaps), keyed like `curves`.
 *
 * A finished trial's curves, metrics and `done` status are written in one transaction, so a
 * trial is either complete or absent — never partial.
 *
 * @module
 */

/** Bumped when the schema changes; older versions are migrated by `MIGRATIONS`. */
export const SCHEMA_VERSION = 8;

/** Statements creating every table and index (idempotent). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS experiments (
  name TEXT PRIMARY KEY, file TEXT NOT NULL, description TEXT NOT NULL, plan TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
  key TEXT PRIMARY KEY, dataset TEXT NOT NULL, model TEXT NOT NULL, label TEXT NOT NULL,
  variant TEXT NOT NULL, family TEXT NOT NULL, point TEXT NOT NULL, point_label TEXT NOT NULL,
  seed INTEGER NOT NULL, protocol TEXT NOT NULL, config TEXT NOT NULL, settings TEXT NOT NULL,
  dataset_spec TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', host TEXT, pid INTEGER,
  started_at TEXT, finished_at TEXT, dataset_fingerprint TEXT, split_description TEXT,
  split_fingerprint TEXT, toolkit_version TEXT, code_version TEXT, backend TEXT,
  parameters INTEGER, best_step INTEGER, steps INTEGER, setup_seconds REAL,
  train_seconds REAL, eval_seconds REAL, interactions_per_second REAL, error TEXT,
  worker TEXT, lease_expires TEXT, heartbeat_at TEXT);
CREATE TABLE IF NOT EXISTS experiment_trials (
  experiment TEXT NOT NULL, trial TEXT NOT NULL, position INTEGER NOT NULL,
  point TEXT, point_label TEXT, role TEXT NOT NULL DEFAULT 'result',
  priority INTEGER NOT NULL DEFAULT 0, label TEXT, PRIMARY KEY (experiment, trial));
CREATE TABLE IF NOT EXISTS tuning (
  experiment TEXT NOT NULL, dataset TEXT NOT NULL, label TEXT NOT NULL, config INTEGER NOT NULL,
  rung INTEGER NOT NULL, seed INTEGER NOT NULL, trial TEXT NOT NULL, metric TEXT NOT NULL,
  point TEXT, point_label TEXT, PRIMARY KEY (experiment, dataset, label, config, rung, seed));
CREATE INDEX IF NOT EXISTS tuning_trial ON tuning (trial);
CREATE TABLE IF NOT EXISTS curves (
  trial TEXT NOT NULL, step INTEGER NOT NULL, epoch INTEGER NOT NULL, metrics TEXT NOT NULL,
  losses TEXT NOT NULL, PRIMARY KEY (trial, step));
CREATE TABLE IF NOT EXISTS metrics (
  trial TEXT NOT NULL, part TEXT NOT NULL, metric TEXT NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (trial, part, metric));
CREATE TABLE IF NOT EXISTS diagnostics (
  trial TEXT NOT NULL, step INTEGER NOT NULL, "values" TEXT NOT NULL, PRIMARY KEY (trial, step));
CREATE INDEX IF NOT EXISTS trials_status ON trials (status);
CREATE INDEX IF NOT EXISTS experiment_trials_trial ON experiment_trials (trial);
`;

/**
 * Statements that bring a store of version `v` to `v + 1`. Version 1 kept a trial's search point
 * only on the trial, so a trial shared by two experiments showed the first one's point in both;
 * its links get the trial's point, which is what that version reported.
 */
export const MIGRATIONS: Record<number, string> = {
  1: `ALTER TABLE experiment_trials ADD COLUMN point TEXT;
ALTER TABLE experiment_trials ADD COLUMN point_label TEXT;
UPDATE experiment_trials SET point = (SELECT point FROM trials WHERE key = trial),
  point_label = (SELECT point_label FROM trials WHERE key = trial);`,
  // Version 3 adds the diagnostics table, which SCHEMA creates before migrating.
  2: `SELECT 1;`,
  // Version 4 adds the tuning table (created by SCHEMA) and the links' role and priority.
  3: `ALTER TABLE experiment_trials ADD COLUMN role TEXT NOT NULL DEFAULT 'result';
ALTER TABLE experiment_trials ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;`,
  // Version 5 adds the leases of running trials (a running trial of version 4 has none: on this
  // host its process decides, as before).
  4: `ALTER TABLE trials ADD COLUMN worker TEXT;
ALTER TABLE trials ADD COLUMN lease_expires TEXT;
ALTER TABLE trials ADD COLUMN heartbeat_at TEXT;`,
  // Version 6 keeps each experiment's row label on its links: a trial shared by two experiments
  // (same config, another row name) showed the first one's label in both.
  5: `ALTER TABLE experiment_trials ADD COLUMN label TEXT;
UPDATE experiment_trials SET label = (SELECT label FROM trials WHERE key = trial);`,
  // Version 7 keeps each tuning trial's search point as its experiment planned it: a final run
  // first registered by another experiment (another point, or none) was linked under that one's
  // point, so the report split the chosen configuration's seeds into two rows and showed one.
  // The table is rebuilt rather than altered: a store older than version 4 gets it from SCHEMA
  // with the new columns already. Rows of older versions keep no point (NULL: the trial's).
  6: `CREATE TABLE tuning_v7 (
  experiment TEXT NOT NULL, dataset TEXT NOT NULL, label TEXT NOT NULL, config INTEGER NOT NULL,
  rung INTEGER NOT NULL, seed INTEGER NOT NULL, trial TEXT NOT NULL, metric TEXT NOT NULL,
  point TEXT, point_label TEXT, PRIMARY KEY (experiment, dataset, label, config, rung, seed));
INSERT INTO tuning_v7 (experiment, dataset, label, config, rung, seed, trial, metric)
  SELECT experiment, dataset, label, config, rung, seed, trial, metric FROM tuning;
DROP TABLE tuning;
ALTER TABLE tuning_v7 RENAME TO tuning;
CREATE INDEX IF NOT EXISTS tuning_trial ON tuning (trial);`,
  // Version 8 indexes the links by trial: a trial's continuation looks for every experiment
  // linking it (SCHEMA creates the index in a new store).
  7: `CREATE INDEX IF NOT EXISTS experiment_trials_trial ON experiment_trials (trial);`,
};
