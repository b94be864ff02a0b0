/**
 * The tuning protocol's rows of the result store: every trial successive halving may run for a
 * (dataset, row) (`tuning`), releasing them to an experiment (a link with role `tune` or
 * `result` and a claim priority), their states, and how a rung continues the one below it.
 * {@linkcode ResultStore} delegates its tuning methods here; `lib/run/tune.ts` decides what to
 * release.
 *
 * @example Usage
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { SCHEMA } from "./schema.ts";
 * import { continuation, tuneEntries } from "./tuning.ts";
 *
 * const db = new DatabaseSync(":memory:");
 * db.exec(SCHEMA);
 * tuneEntries(db, "table3_fair"); // [] until the experiment is registered with tuning
 * continuation(db, "0123456789abcdef"); // { save: false, keep: true, waiting: [] }: no rung
 * ```
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import type { Row, TrialStatus } from "./rows.ts";

/**
 * One trial the tuning protocol may run for a (dataset, row): configuration `config` at rung
 * `rung` (an index into the row's rungs) on the tuning seed, or (`rung` −1) its final run with
 * `seed`. `metric` is the validation metric that ranks configurations. `point` (JSON) and
 * `pointLabel` are the configuration's search point in this experiment, which its links carry
 * (the same trial may be another experiment's, under another point); absent in stores written
 * before they were kept.
 */
export interface TuneEntry {
  dataset: string;
  label: string;
  config: number;
  rung: number;
  seed: number;
  trial: string;
  metric: string;
  point?: string;
  pointLabel?: string;
}

/**
 * Tuning entries grouped by (dataset, row), in the order they are first listed.
 *
 * @example Usage
 * ```ts
 * const e = { config: 0, rung: 0, seed: 1, trial: "k", metric: "NDCG@10" };
 * tuneRows([{ ...e, dataset: "d", label: "A" }, { ...e, dataset: "d", label: "B" }]).length; // 2
 * ```
 */
export function tuneRows(entries: readonly TuneEntry[]): TuneEntry[][] {
  const rows = new Map<string, TuneEntry[]>();
  for (const e of entries) {
    const id = JSON.stringify([e.dataset, e.label]);
    rows.set(id, [...(rows.get(id) ?? []), e]);
  }
  return [...rows.values()];
}

/** What the tuning protocol needs of a trial: its status and validation metrics. */
export interface TuneTrialState {
  status: TrialStatus;
  valid: Record<string, number>;
}

/** A trial released to an experiment: its key, link role (`tune`/`result`) and claim priority. */
export interface ReleaseItem {
  key: string;
  role: string;
  priority: number;
}

/**
 * Replaces an experiment's tuning rows on `datasets` by `entries` (none: the experiment is not
 * tuned there). Runs inside the caller's transaction (registering the experiment).
 */
export function writeTuning(
  db: DatabaseSync,
  experiment: string,
  datasets: readonly string[],
  entries: readonly TuneEntry[],
): void {
  db.prepare(
    `DELETE FROM tuning WHERE experiment = ? AND dataset IN (SELECT value FROM json_each(?))`,
  ).run(experiment, JSON.stringify(datasets));
  const entry = db.prepare(
    `INSERT INTO tuning (experiment, dataset, label, config, rung, seed, trial, metric, point,
     point_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const e of entries) {
    entry.run(
      experiment,
      e.dataset,
      e.label,
      e.config,
      e.rung,
      e.seed,
      e.trial,
      e.metric,
      e.point ?? null,
      e.pointLabel ?? null,
    );
  }
}

/**
 * The failed trials an experiment had linked that its tuning released (later rungs, final runs:
 * `linked` are its links on the datasets being registered, before the registration drops them),
 * which a registration retries at once. The protocol replays its choices right after, and a rung
 * that failed because its run was killed must be waited for, not eliminated; once unlinked, it
 * would otherwise be retried only after its row had chosen without it (the release retries what it
 * links anew). A trial that fails every time fails again on the rerun, and its row then chooses as
 * before. Trials other experiments released are left to them.
 *
 * @example Usage
 * ```ts
 * failedReleased([{ key: "r1" }, { key: "x" }], { specs: [{ key: "r1" }] }); // ["r1"]
 * ```
 */
export function failedReleased(
  linked: readonly Row[],
  rows: { specs: readonly { key: string }[] } | undefined,
): string[] {
  const mine = new Set(rows?.specs.map((t) => t.key) ?? []);
  return linked.map((r) => String(r.key)).filter((k) => mine.has(k));
}

/**
 * The keys of the tuning trials a registration leaves unlinked (later rungs, final runs), each
 * once, in order: what a `fresh` registration resets besides the trials it links.
 *
 * @example Usage
 * ```ts
 * unlinkedTuning([{ key: "a" }], [{ key: "a" }, { key: "b" }, { key: "b" }]); // ["b"]
 * ```
 */
export function unlinkedTuning(
  linked: readonly { key: string }[],
  specs: readonly { key: string }[] = [],
): string[] {
  const seen = new Set(linked.map((t) => t.key)), out: string[] = [];
  for (const { key } of specs) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(key);
  }
  return out;
}

/**
 * The link role each tuning trial starts with: `tune` for a rung trial — also where it is a
 * final run too (a top rung on the tuning seed, the only rung when the budget is below η): the
 * protocol promotes the chosen configuration's to `result` — and `result` for a final run only.
 *
 * @example Usage
 * ```ts
 * const e = { dataset: "d", label: "M", config: 0, seed: 1, metric: "NDCG@10" };
 * tuneRoles([{ ...e, rung: 0, trial: "a" }, { ...e, rung: -1, trial: "a" }]).get("a"); // "tune"
 * ```
 */
export function tuneRoles(entries: readonly TuneEntry[]): Map<string, string> {
  const role = new Map(entries.filter((e) => e.rung >= 0).map((e) => [e.trial, "tune"]));
  for (const e of entries) if (e.rung < 0 && !role.has(e.trial)) role.set(e.trial, "result");
  return role;
}

/**
 * The SQL that lists an experiment's tuning rows (one `?`: the experiment), in the order
 * {@linkcode tuneEntries} returns them; both stores run this text.
 */
export const TUNE_ENTRIES_SQL =
  "SELECT * FROM tuning WHERE experiment = ? ORDER BY dataset, label, config, rung, seed";

/**
 * A row of the `tuning` table as a {@linkcode TuneEntry} (numbers as numbers, whichever driver
 * read it).
 *
 * @example Usage
 * ```ts
 * import { tuneEntryOf } from "./tuning.ts";
 *
 * tuneEntryOf({ dataset: "lastfm", label: "CLCRec", config: "2", rung: "0", seed: "1",
 *   trial: "0123456789abcdef", metric: "NDCG@10" }).config; // 2
 * ```
 */
export function tuneEntryOf(r: Row): TuneEntry {
  return {
    dataset: r.dataset,
    label: r.label,
    config: Number(r.config),
    rung: Number(r.rung),
    seed: Number(r.seed),
    trial: r.trial,
    metric: r.metric,
    ...(r.point == null ? {} : { point: r.point, pointLabel: r.point_label ?? "" }),
  };
}

/** The tuning protocol's trials of an experiment (every rung and final run it may release). */
export function tuneEntries(db: DatabaseSync, experiment: string): TuneEntry[] {
  return (db.prepare(TUNE_ENTRIES_SQL).all(experiment) as Row[]).map(tuneEntryOf);
}

/** The epoch cap of trials, by key, linked or not (the rungs of tuning). */
export function trialEpochs(db: DatabaseSync, keys: readonly string[]): Map<string, number> {
  const q = db.prepare("SELECT json_extract(settings, '$.epochs') AS e FROM trials WHERE key = ?");
  const out = new Map<string, number>();
  for (const k of keys) {
    const r = q.get(k) as Row | undefined;
    if (r) out.set(k, Number(r.e));
  }
  return out;
}

/** Status and validation metrics of trials, by key (unknown keys are absent). */
export function tuneStates(db: DatabaseSync, keys: readonly string[]): Map<string, TuneTrialState> {
  const out = new Map<string, TuneTrialState>();
  const q = db.prepare("SELECT status FROM trials WHERE key = ?");
  const m = db.prepare("SELECT metric, value FROM metrics WHERE trial = ? AND part = 'valid'");
  for (const k of keys) {
    const r = q.get(k) as Row | undefined;
    if (!r) continue;
    const rows = m.all(k) as Row[];
    out.set(k, {
      status: r.status,
      valid: Object.fromEntries(rows.map((x) => [x.metric, Number(x.value)])),
    });
  }
  return out;
}

/** A tuning row's `col` for (experiment, trial), SQL expressions; NULL when no row has one. */
function fromTuning(col: string, experiment: string, trial: string): string {
  return `(SELECT u.${col} FROM tuning u WHERE u.experiment = ${experiment} AND u.trial = ${trial}
     AND u.${col} IS NOT NULL LIMIT 1)`;
}

/**
 * The SQL that links a released trial (`?`s: experiment, role, priority, trial) after the
 * experiment's last position, under this experiment's row label and search point from its
 * tuning rows (the trial's own, written by whichever experiment registered it first, where
 * those have none). `param` writes the i-th parameter: SQLite's `?`, PostgreSQL's cast `$i`.
 */
export function releaseLinkSql(param: (i: number, type: string) => string): string {
  const own = (col: string) => fromTuning(col, "x.experiment", "t.key");
  return `INSERT INTO experiment_trials (experiment, trial, position, point, point_label, role,
   priority, label)
   SELECT x.experiment, t.key, (SELECT COALESCE(MAX(e.position), -1) + 1 FROM experiment_trials e
   WHERE e.experiment = x.experiment), COALESCE(${own("point")}, t.point),
   COALESCE(${own("point_label")}, t.point_label), x.role, x.priority,
   COALESCE(${own("label")}, t.label)
   FROM (SELECT ${param(1, "text")} AS experiment, ${param(2, "text")} AS role,
   ${param(3, "int")} AS priority) x
   JOIN trials t ON t.key = ${param(4, "text")}`;
}

/** {@linkcode releaseLinkSql} with SQLite's `?` parameters. */
export const RELEASE_LINK_SQL = releaseLinkSql(() => "?");

/**
 * The SQL that gives an existing link its experiment's search point from the tuning rows, where
 * they have one (`?`s: experiment, trial): links released before the rows kept the point carry
 * the trial's first registration's, and take this experiment's on the next release.
 */
export const REPOINT_SQL = (() => {
  const own = (col: string) =>
    fromTuning(col, "experiment_trials.experiment", "experiment_trials.trial");
  return `UPDATE experiment_trials SET point = COALESCE(${own("point")}, point),
   point_label = COALESCE(${own("point_label")}, point_label) WHERE experiment = ? AND trial = ?`;
})();

/** The SQL that makes a released `tune` link a `result` (`?`s: experiment, trial). */
export const PROMOTE_SQL =
  "UPDATE experiment_trials SET role = 'result' WHERE experiment = ? AND trial = ?";

/** The SQL that retries a released trial that had failed (`?`: its key). */
export const RETRY_FAILED_SQL =
  "UPDATE trials SET status = 'pending', error = NULL WHERE key = ? AND status = 'failed'";

/**
 * Links trials to an experiment (the tuning protocol releasing them): new links get the
 * given role and priority after every existing position; an existing `tune` link may become
 * `result` (the chosen configuration's top rung is also its final run on the tuning seed).
 * A failed trial linked anew is retried. Returns how many links are new. Runs inside the
 * caller's transaction.
 */
export function release(
  db: DatabaseSync,
  experiment: string,
  items: readonly ReleaseItem[],
): number {
  let added = 0;
  const has = db.prepare("SELECT role FROM experiment_trials WHERE experiment = ? AND trial = ?");
  for (const it of items) {
    const r = has.get(experiment, it.key) as Row | undefined;
    if (r) {
      if (r.role !== it.role && it.role === "result") {
        db.prepare(PROMOTE_SQL).run(experiment, it.key);
      }
      db.prepare(REPOINT_SQL).run(experiment, it.key);
      continue;
    }
    db.prepare(RELEASE_LINK_SQL).run(experiment, it.role, it.priority, it.key);
    db.prepare(RETRY_FAILED_SQL).run(it.key);
    added++;
  }
  return added;
}

/**
 * How a trial continues tuning work: `resumeFrom` = the trial of the same configuration at the
 * previous rung (whose saved state it may continue), `save` = it is a rung below the top, so
 * the next rung may continue it, `keep` = some experiment reads it as a result (a top rung, a
 * final seed or a plain trial), so it keeps its checkpoint and end state. One trial key can be
 * both (a lower rung of one tuned experiment, the top rung of another): it then saves both.
 * `waiting` = the experiments whose next rung may still continue the saved state: that rung is
 * not done, and it was released (promoted) or its row has not decided that rung yet (nothing of
 * it released); a configuration a row eliminated waits nowhere.
 */
export interface Continuation {
  resumeFrom?: string;
  /**
   * Every trial of the same configuration one rung below, one per experiment that tunes this key
   * (two sweeps may give it different rungs below: other η or rungs), `resumeFrom` first. The
   * scheduler continues whichever of their saved states went furthest.
   */
  previous: string[];
  save: boolean;
  keep: boolean;
  waiting: string[];
}

/** How a trial continues tuning work (see {@linkcode Continuation}). */
export function continuation(db: DatabaseSync, key: string): Continuation {
  return continuationOf(db.prepare(CONTINUATION_SQL).all(key, key) as Row[]);
}

/**
 * The SQL that reads a trial's tuning entries, rungs and final seeds (two `?`s: the trial's key,
 * twice), each with the top rung of its row (`top`), the same configuration's trial one rung
 * below (`prev`), how many experiments link the trial with no tuning entry of theirs (`plain`)
 * and whether that configuration's next rung may still continue it (`waiting`: not done, and
 * released or not decided yet); both stores run this text and read its rows with
 * {@linkcode continuationOf}.
 */
export const CONTINUATION_SQL = `SELECT t.*, (SELECT MAX(rung) FROM tuning x WHERE
  x.experiment = t.experiment AND x.dataset = t.dataset AND x.label = t.label) AS top,
  (SELECT trial FROM tuning p WHERE p.experiment = t.experiment AND p.dataset = t.dataset
   AND p.label = t.label AND p.config = t.config AND p.rung = t.rung - 1 AND p.rung >= 0
   LIMIT 1) AS prev,
  (SELECT COUNT(*) FROM experiment_trials e WHERE e.trial = ? AND NOT EXISTS
   (SELECT 1 FROM tuning u WHERE u.experiment = e.experiment AND u.trial = e.trial)) AS plain,
  (SELECT COUNT(*) FROM tuning n LEFT JOIN trials x ON x.key = n.trial
   WHERE n.experiment = t.experiment AND n.dataset = t.dataset AND n.label = t.label
   AND n.config = t.config AND n.rung = t.rung + 1 AND t.rung >= 0
   AND (x.status IS NULL OR x.status <> 'done')
   AND (EXISTS (SELECT 1 FROM experiment_trials l WHERE l.experiment = n.experiment
     AND l.trial = n.trial)
    OR NOT EXISTS (SELECT 1 FROM tuning m JOIN experiment_trials k
     ON k.experiment = m.experiment AND k.trial = m.trial WHERE m.experiment = t.experiment
     AND m.dataset = t.dataset AND m.label = t.label AND m.rung = t.rung + 1))) AS waiting
  FROM tuning t WHERE t.trial = ? ORDER BY t.experiment, t.rung`;

/**
 * How a trial continues tuning work, from the rows of {@linkcode CONTINUATION_SQL}.
 *
 * @example Usage
 * ```ts
 * import { continuationOf } from "./tuning.ts";
 *
 * continuationOf([{ experiment: "e", rung: 0, top: 2, prev: null, plain: 0, waiting: 1 }]);
 * // { resumeFrom: undefined, previous: [], save: true, keep: false, waiting: ["e"] }: a lower rung only
 * ```
 */
export function continuationOf(rows: readonly Row[]): Continuation {
  if (rows.length === 0) return { save: false, keep: true, waiting: [], previous: [] };
  const rungs = rows.filter((r) => Number(r.rung) >= 0);
  const previous = [...new Set(rungs.flatMap((r) => r.prev ? [String(r.prev)] : []))];
  return {
    resumeFrom: previous[0],
    previous,
    save: rungs.some((r) => Number(r.rung) < Number(r.top)),
    keep: rows.some((r) => Number(r.rung) < 0 || Number(r.rung) === Number(r.top)) ||
      Number(rows[0].plain) > 0,
    waiting: [...new Set(rungs.filter((r) => Number(r.waiting) > 0).map((r) => r.experiment))],
  };
}

/** Where a trial's training state is kept for tuning, in its artifact folder. */
export function statePath(artifactDir: string): string {
  return join(artifactDir, "train_state.safetensors");
}
