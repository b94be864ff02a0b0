// deno-lint-ignore-file require-await -- the SQLite store is synchronous inside; its methods are
// async because the PostgreSQL store's are.
/**
 * The embedded result store ({@linkcode SqliteStore}; its interface is `result_store.ts`):
 * experiments, trials, validation curves and final metrics in one SQLite file (WAL journal, so
 * several worker processes write safely; every write is a short `BEGIN IMMEDIATE` transaction).
 * See `schema.ts` for the tables, `open.ts` for opening a file, `tuning.ts` for the tuning
 * protocol's rows (the tuning methods here delegate to it), `lease.ts` for the leases of running
 * trials and `copy.ts` for the rules of copying a store into it. Callers open it through
 * `ResultStore.open`, from `store.ts`, which registers it.
 *
 * @example Usage
 * ```ts
 * import { SqliteStore } from "./sqlite.ts";
 *
 * const store = new SqliteStore("results/store.sqlite", 60, "host:1234", false);
 * store.transaction(() => 42); // one write transaction, rolled back if it throws
 * store.closeSync();
 * ```
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import {
  type Row,
  rowCurvePoint,
  rowExperiment,
  rowInfo,
  rowSpec,
  type TrialInfo,
  type TrialStatus,
} from "./rows.ts";
import { copyAttached, type CopySummary } from "./copy.ts";
import { isoAfter, staleReason } from "./lease.ts";
import { openStoreFile, rollback, StoreError } from "./open.ts";
import type { TrialSpec } from "./trial_spec.ts";
import * as tuning from "./tuning.ts";
import type { ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";
import {
  COPIED_TABLES,
  copyCheckpoints,
  DryRun,
  type ExperimentInfo,
  finishedValues,
  isPostgresUrl,
  ResultStore,
  type StatusCounts,
  type StoredCurvePoint,
  type StoreDump,
  type TrialOutcome,
  type TuningRows,
} from "./result_store.ts";

/** The lease columns `staleReason` reads. */
type LeaseRowLike = Parameters<typeof staleReason>[0];

function now(): string {
  return new Date().toISOString();
}

/**
 * Whether the paths `a` and `b` name one file: the same path once links are resolved, or the
 * same device and inode where the system gives both (a hard link of the file).
 */
function sameFile(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return Deno.realPathSync(p);
    } catch {
      return p;
    }
  };
  if (real(a) === real(b)) return true;
  try {
    const [x, y] = [Deno.statSync(a), Deno.statSync(b)];
    return x.ino !== null && y.ino !== null && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false; // one of them does not exist (yet): not the same file
  }
}

/** The result store in one SQLite file; synchronous inside, its methods return promises. */
export class SqliteStore extends ResultStore {
  private readonly db: DatabaseSync;

  constructor(path: string, leaseSeconds: number, worker: string, mustExist: boolean) {
    super(path, leaseSeconds, worker);
    this.db = openStoreFile(path, mustExist);
  }

  override artifactsRoot(): string {
    return join(dirname(this.path), "artifacts");
  }

  override close(): Promise<void> {
    return Promise.resolve(this.closeSync());
  }

  /** Closes the database (synchronously). */
  closeSync(): void {
    this.db.close();
  }

  /** Runs `fn` in one write transaction (rolled back if it throws). */
  transaction<T>(fn: () => T): T {
    try {
      this.db.exec("BEGIN IMMEDIATE");
    } catch (e) {
      throw new StoreError(this.path, `locked by another process (${(e as Error).message})`);
    }
    try {
      const out = fn();
      this.db.exec("COMMIT");
      return out;
    } catch (e) {
      rollback(this.db);
      throw e;
    }
  }

  /**
   * Records an experiment and its trials (replacing its trials on the same datasets; those on
   * other datasets stay): new trials become `pending`, failed ones are retried (with those its
   * tuning had released), done ones are kept (or reset with `fresh`). Stale `running` trials
   * (their process is gone) become `pending`. Returns the status counts after that.
   */
  override async register(
    name: string,
    file: string,
    description: string,
    plan: unknown,
    trials: TrialSpec[],
    fresh = false,
    tuningRows?: TuningRows,
  ): Promise<StatusCounts> {
    const host = Deno.hostname(), at = now();
    const tuneRole = tuning.tuneRoles(tuningRows?.entries ?? []);
    this.transaction(() => {
      this.db.prepare(
        `INSERT INTO experiments VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET
         file = excluded.file, description = excluded.description, plan = excluded.plan,
         updated_at = excluded.updated_at`,
      ).run(name, file, description, JSON.stringify(plan), now());
      // The plan replaces the experiment's trials on the datasets it names; trials on other
      // datasets stay linked, so running an experiment on one dataset and then another builds
      // up one table with both as column groups.
      const datasets = [...new Set(trials.map((t) => t.dataset))];
      const failed = tuning.failedReleased(
        this.db.prepare(
          `SELECT t.key FROM experiment_trials e JOIN trials t ON t.key = e.trial
           WHERE e.experiment = ? AND t.status = 'failed'
           AND t.dataset IN (SELECT value FROM json_each(?))`,
        ).all(name, JSON.stringify(datasets)) as Row[],
        tuningRows,
      );
      this.db.prepare(
        `DELETE FROM experiment_trials WHERE experiment = ? AND trial IN
         (SELECT key FROM trials WHERE dataset IN (SELECT value FROM json_each(?)))`,
      ).run(name, JSON.stringify(datasets));
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO trials (key, dataset, model, label, variant, family, point,
         point_label, seed, protocol, config, settings, dataset_spec)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const link = this.db.prepare(
        `INSERT OR REPLACE INTO experiment_trials (experiment, trial, position, point, point_label,
         role, label) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertSpec = (t: TrialSpec) =>
        insert.run(
          t.key,
          t.dataset,
          t.model,
          t.label,
          t.variant,
          t.family,
          JSON.stringify(t.point),
          t.pointLabel,
          t.seed,
          t.settings.protocol,
          JSON.stringify(t.config),
          JSON.stringify(t.settings),
          JSON.stringify(t.datasetSpec),
        );
      // Every trial tuning may run is stored now (unlinked ones are never claimed), so that
      // releasing one later is a link, done by any worker.
      for (const t of tuningRows?.specs ?? []) insertSpec(t);
      tuning.writeTuning(this.db, name, datasets, tuningRows?.entries ?? []);
      const reset = this.db.prepare(
        "UPDATE trials SET status = 'pending', error = NULL WHERE key = ? AND (status = 'failed' OR ?)",
      );
      const stale = this.db.prepare(
        "SELECT pid, host, lease_expires FROM trials WHERE key = ? AND status = 'running'",
      );
      const clear = this.db.prepare("DELETE FROM metrics WHERE trial = ?");
      const clearCurve = this.db.prepare("DELETE FROM curves WHERE trial = ?");
      const clearDiag = this.db.prepare("DELETE FROM diagnostics WHERE trial = ?");
      const settle = (key: string) => {
        const r = stale.get(key) as Row | undefined;
        // A running trial whose process is gone (this host) or lease expired (another) is
        // re-queued; one whose worker still holds it is left to that worker.
        const gone = r !== undefined && staleReason(r as LeaseRowLike, host, at) !== undefined;
        if (r && !gone) return;
        if (fresh || gone) {
          clear.run(key);
          clearCurve.run(key);
          clearDiag.run(key);
        }
        reset.run(key, fresh || gone ? 1 : 0);
        if (gone) this.requeue(key);
      };
      trials.forEach((t, i) => {
        insertSpec(t);
        link.run(
          name,
          t.key,
          i,
          JSON.stringify(t.point),
          t.pointLabel,
          tuneRole.get(t.key) ?? "result",
          t.label,
        );
        settle(t.key);
      });
      // Fresh: every rung and final run tuning may release is recomputed too (unlinked until
      // released), or the choice would mix fresh first-rung scores with stored later rungs.
      if (fresh) { for (const k of tuning.unlinkedTuning(trials, tuningRows?.specs)) settle(k); }
      else for (const k of failed) reset.run(k, 0);
      // A trial yet to run takes this plan's paths and unkeyed settings (see `register`).
      const refresh = this.db.prepare(
        "UPDATE trials SET settings = ?, dataset_spec = ? WHERE key = ? AND status = 'pending'",
      );
      for (const t of [...(tuningRows?.specs ?? []), ...trials]) {
        refresh.run(JSON.stringify(t.settings), JSON.stringify(t.datasetSpec), t.key);
      }
    });
    return this.countsSync(name);
  }

  /** Trial counts by status for an experiment. */
  override counts(experiment: string): Promise<StatusCounts> {
    return Promise.resolve(this.countsSync(experiment));
  }

  private countsSync(experiment: string): StatusCounts {
    const out: StatusCounts = { pending: 0, running: 0, done: 0, failed: 0 };
    const rows = this.db.prepare(
      `SELECT status, COUNT(*) AS n FROM trials JOIN experiment_trials ON trial = key
       WHERE experiment = ? GROUP BY status`,
    ).all(experiment) as Row[];
    for (const r of rows) out[r.status as TrialStatus] = Number(r.n);
    return out;
  }

  /**
   * Atomically takes the next pending trial of `experiment` for this process, if any, with a
   * lease of {@linkcode leaseSeconds} (renew it with {@linkcode renew} while the trial runs).
   * Stale running trials of the experiment (see `lease.ts`) are re-queued first.
   */
  override async claim(experiment: string): Promise<TrialSpec | undefined> {
    return this.transaction(() => {
      this.requeueStaleIn(experiment);
      const r = this.db.prepare(
        `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label, e.label AS link_label
         FROM trials t JOIN experiment_trials e ON e.trial = t.key
         WHERE e.experiment = ? AND t.status = 'pending' ORDER BY e.priority DESC, e.position
         LIMIT 1`,
      ).get(experiment) as Row | undefined;
      if (!r) return undefined;
      const at = new Date();
      this.db.prepare(
        `UPDATE trials SET status = 'running', host = ?, pid = ?, started_at = ?, worker = ?,
         heartbeat_at = ?, lease_expires = ? WHERE key = ?`,
      ).run(
        Deno.hostname(),
        Deno.pid,
        at.toISOString(),
        this.worker,
        at.toISOString(),
        isoAfter(at, this.leaseSeconds),
        r.key,
      );
      return rowSpec(r);
    });
  }

  /**
   * The heartbeat: extends the lease of a trial this worker runs by {@linkcode leaseSeconds}
   * from now. Returns false when the trial is no longer this worker's (re-queued after its
   * lease expired, or finished elsewhere). One short write, no transaction.
   */
  override async renew(key: string): Promise<boolean> {
    const at = new Date();
    const r = this.db.prepare(
      `UPDATE trials SET heartbeat_at = ?, lease_expires = ?
       WHERE key = ? AND status = 'running' AND worker = ?`,
    ).run(at.toISOString(), isoAfter(at, this.leaseSeconds), key, this.worker);
    return Number(r.changes) > 0;
  }

  /** A trial goes back to `pending`, its lease dropped. */
  private requeue(key: string): void {
    this.db.prepare(
      `UPDATE trials SET status = 'pending', worker = NULL, lease_expires = NULL,
       heartbeat_at = NULL WHERE key = ?`,
    ).run(key);
  }

  /** Re-queues an experiment's stale running trials, inside a transaction; returns how many. */
  private requeueStaleIn(experiment: string): number {
    const host = Deno.hostname(), at = now();
    const rows = this.db.prepare(
      `SELECT key, host, pid, lease_expires FROM trials JOIN experiment_trials ON trial = key
       WHERE experiment = ? AND status = 'running'`,
    ).all(experiment) as Row[];
    let n = 0;
    for (const r of rows) {
      if (staleReason(r as LeaseRowLike, host, at) !== undefined) {
        this.requeue(r.key);
        n++;
      }
    }
    return n;
  }

  /** The tuning protocol's trials of an experiment (every rung and final run it may release). */
  override async tuneEntries(experiment: string): Promise<TuneEntry[]> {
    return tuning.tuneEntries(this.db, experiment);
  }

  /** The epoch cap of trials, by key, linked or not (the rungs of tuning). */
  override async trialEpochs(keys: readonly string[]): Promise<Map<string, number>> {
    return tuning.trialEpochs(this.db, keys);
  }

  /** Status and validation metrics of trials, by key (unknown keys are absent). */
  override async tuneStates(keys: readonly string[]): Promise<Map<string, TuneTrialState>> {
    return tuning.tuneStates(this.db, keys);
  }

  /**
   * Links trials to an experiment (the tuning protocol releasing them), in one transaction;
   * returns how many links are new (see `tuning.ts`).
   */
  override async release(experiment: string, items: ReleaseItem[]): Promise<number> {
    return this.transaction(() => tuning.release(this.db, experiment, items));
  }

  /** How a trial continues tuning work (`tuning.ts`'s {@linkcode tuning.Continuation}). */
  override async continuation(key: string): Promise<tuning.Continuation> {
    return tuning.continuation(this.db, key);
  }

  /**
   * Running trials of an experiment whose process is gone (this host) or whose lease expired
   * (another host) go back to `pending`; returns how many.
   */
  override async requeueStale(experiment: string): Promise<number> {
    return this.transaction(() => this.requeueStaleIn(experiment));
  }

  /**
   * Copies the store at `source` into this one, idempotently by trial key (see `copy.ts`): a
   * trial done there replaces one pending or failed here, never the reverse. The source is
   * opened as a store first (migrated if older); its kept checkpoints are copied beside this
   * store where missing. Returns what was added (`dryRun`: what would be, nothing written).
   */
  override async copyFrom(
    source: string,
    opts: { dryRun?: boolean } = {},
  ): Promise<CopySummary & { checkpoints: number }> {
    if (isPostgresUrl(source)) {
      // Through a temporary SQLite file holding the source's rows, merged like a file.
      const src = await ResultStore.open(source, { mustExist: true });
      const dir = await Deno.makeTempDir({ prefix: "m2vae_copy_" });
      try {
        const file = join(dir, "source.sqlite");
        const tmp = new SqliteStore(file, this.leaseSeconds, this.worker, false);
        try {
          tmp.load(await src.dump());
        } finally {
          tmp.closeSync();
        }
        const summary = this.mergeFile(file, opts.dryRun ?? false);
        const checkpoints = copyCheckpoints(src, this, summary.doneKeys, opts.dryRun ?? false);
        return { ...summary, checkpoints };
      } finally {
        await src.close();
        await Deno.remove(dir, { recursive: true });
      }
    }
    if (sameFile(source, this.path)) {
      throw new StoreError(source, "is the store being copied into (FROM and TO are one file)");
    }
    const src = new SqliteStore(source, this.leaseSeconds, this.worker, true);
    try {
      const summary = this.mergeFile(source, opts.dryRun ?? false);
      return { ...summary, checkpoints: copyCheckpoints(src, this, summary.doneKeys, opts.dryRun) };
    } finally {
      src.closeSync();
    }
  }

  /** Merges the store file `source` into this one (see `copy.ts`); `dryRun` writes nothing. */
  private mergeFile(source: string, dryRun: boolean): CopySummary {
    this.db.prepare("ATTACH DATABASE ? AS src").run(source);
    try {
      return this.transaction(() => {
        const out = copyAttached(this.db);
        if (dryRun) throw new DryRun(out); // rolls the copy back
        return out;
      });
    } catch (e) {
      if (!(e instanceof DryRun)) throw e;
      return e.summary;
    } finally {
      this.db.exec("DETACH DATABASE src");
    }
  }

  override async dump(): Promise<StoreDump> {
    return Object.fromEntries(
      COPIED_TABLES.map((t) => [t, this.db.prepare(`SELECT * FROM ${t}`).all() as Row[]]),
    ) as StoreDump;
  }

  /** Writes a dump's rows into this (empty) store, in one transaction. */
  load(dump: StoreDump): void {
    this.transaction(() => {
      for (const table of COPIED_TABLES) {
        for (const r of dump[table]) {
          const cols = Object.keys(r);
          this.db.prepare(
            `INSERT OR REPLACE INTO ${table} (${cols.map((c) => `"${c}"`).join(", ")})
             VALUES (${cols.map(() => "?").join(", ")})`,
          ).run(...cols.map((c) => r[c]));
        }
      }
    });
  }

  /** Writes a finished trial in one transaction; false where another worker finished it. */
  override async complete(key: string, o: TrialOutcome): Promise<boolean> {
    const r = o.report;
    return this.transaction(() => {
      const cur = this.db.prepare("SELECT status, worker FROM trials WHERE key = ?").get(key) as
        | Row
        | undefined;
      if (cur?.status === "done" && cur.worker !== this.worker) return false;
      this.db.prepare("DELETE FROM curves WHERE trial = ?").run(key);
      this.db.prepare("DELETE FROM diagnostics WHERE trial = ?").run(key);
      this.db.prepare("DELETE FROM metrics WHERE trial = ?").run(key);
      const curve = this.db.prepare("INSERT INTO curves VALUES (?, ?, ?, ?, ?)");
      const diag = this.db.prepare("INSERT INTO diagnostics VALUES (?, ?, ?)");
      for (const p of r.curve) {
        curve.run(key, p.step, p.epoch, JSON.stringify(p.metrics), JSON.stringify(p.losses));
        if (p.diagnostics) diag.run(key, p.step, JSON.stringify(p.diagnostics));
      }
      const metric = this.db.prepare("INSERT INTO metrics VALUES (?, ?, ?, ?)");
      for (const [m, v] of Object.entries(r.valid)) metric.run(key, "valid", m, v);
      for (const [m, v] of Object.entries(r.test)) metric.run(key, "test", m, v);
      this.db.prepare(
        `UPDATE trials SET status = 'done', finished_at = ?, protocol = ?, dataset_fingerprint = ?,
         split_description = ?, split_fingerprint = ?, toolkit_version = ?, code_version = ?,
         backend = ?, parameters = ?, best_step = ?, steps = ?, setup_seconds = ?,
         train_seconds = ?, eval_seconds = ?, interactions_per_second = ?, error = NULL,
         lease_expires = NULL, worker = ? WHERE key = ?`,
      ).run(now(), ...finishedValues(key, o).slice(0, -1), this.worker, key);
      return true;
    });
  }

  /** Marks a trial failed with a one-line reason. */
  override async fail(key: string, error: string): Promise<void> {
    this.transaction(() => {
      this.db.prepare(
        // A trial finished by another worker (after this one lost its lease) stays done, and
        // one another worker took over stays running.
        `UPDATE trials SET status = 'failed', error = ?, finished_at = ?, lease_expires = NULL
         WHERE key = ? AND status != 'done' AND (worker IS NULL OR worker = ?)`,
      ).run(error, now(), key, this.worker);
    });
  }

  /** Names of stored experiments, newest first. */
  override async experiments(): Promise<ExperimentInfo[]> {
    return (this.db.prepare("SELECT * FROM experiments ORDER BY updated_at DESC").all() as Row[])
      .map(rowExperiment);
  }

  /** The resolved plan an experiment was registered with (parsed JSON), if it exists. */
  override async experimentPlan(name: string): Promise<unknown> {
    const r = this.db.prepare("SELECT plan FROM experiments WHERE name = ?").get(name) as
      | Row
      | undefined;
    return r ? JSON.parse(r.plan) : undefined;
  }

  /** The trials of an experiment in plan order (every status), without metrics. */
  override async trials(experiment: string): Promise<TrialInfo[]> {
    const rows = this.db.prepare(
      `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label, e.label AS link_label, e.role AS role
       FROM trials t JOIN experiment_trials e ON e.trial = t.key
       WHERE e.experiment = ? ORDER BY e.position`,
    ).all(experiment) as Row[];
    return rows.map(rowInfo);
  }

  /** Final metrics of trials for one part, by trial key. */
  override async metrics(
    keys: readonly string[],
    part: "valid" | "test",
  ): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    const q = this.db.prepare("SELECT metric, value FROM metrics WHERE trial = ? AND part = ?");
    for (const k of keys) {
      const rows = q.all(k, part) as Row[];
      if (rows.length) out.set(k, Object.fromEntries(rows.map((r) => [r.metric, Number(r.value)])));
    }
    return out;
  }

  /** The validation curve of a trial. */
  override async curve(key: string): Promise<StoredCurvePoint[]> {
    return (this.db.prepare(
      `SELECT c.*, d."values" AS diag FROM curves c
       LEFT JOIN diagnostics d ON d.trial = c.trial AND d.step = c.step
       WHERE c.trial = ? ORDER BY c.step`,
    ).all(key) as Row[]).map(rowCurvePoint);
  }
}
