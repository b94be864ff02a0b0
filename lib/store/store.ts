// deno-lint-ignore-file require-await -- the SQLite store is synchronous inside; its methods are
// async because the PostgreSQL store's are.
/**
 * The result store's interface ({@linkcode ResultStore}, every method returning a promise) and
 * its SQLite implementation ({@linkcode SqliteStore}; `postgres.ts` holds the PostgreSQL one).
 * The embedded result store: experiments, trials, validation curves and final metrics in one
 * SQLite file (WAL journal, so several worker processes write safely; every write is a short
 * `BEGIN IMMEDIATE` transaction). See `schema.ts` for the tables, `open.ts` for opening a file,
 * `tuning.ts` for the tuning protocol's rows (the tuning methods here delegate to it) and
 * `lease.ts` for the leases of running trials.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import type { TrainReport } from "../train/trainer.ts";
import {
  type Row,
  rowInfo,
  rowSpec,
  type TrialInfo,
  type TrialLease,
  type TrialStatus,
} from "./rows.ts";
import { copyAttached, type CopySummary } from "./copy.ts";
import { isoAfter, leaseSeconds, staleReason, workerId } from "./lease.ts";
import { openStoreFile, rollback, StoreError } from "./open.ts";
import type { TrialSpec } from "./trial_spec.ts";
import * as tuning from "./tuning.ts";
import type { ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";

export type {
  CopySummary,
  ReleaseItem,
  TrialInfo,
  TrialLease,
  TrialStatus,
  TuneEntry,
  TuneTrialState,
};
export { StoreError };

/** What a finished trial records besides its spec. */
export interface TrialOutcome {
  protocol: string;
  datasetFingerprint: string;
  split: { description: string; fingerprint: string };
  toolkitVersion: string;
  codeVersion: string;
  backend: string;
  parameters: number;
  setupSeconds: number;
  report: TrainReport;
}

/** The lease columns `staleReason` reads. */
type LeaseRowLike = Parameters<typeof staleReason>[0];

/** Counts of an experiment's trials by status. */
export type StatusCounts = Record<TrialStatus, number>;

function now(): string {
  return new Date().toISOString();
}

/** Carries a dry run's summary out of the transaction it rolls back. */
export class DryRun extends Error {
  constructor(readonly summary: CopySummary) {
    super("dry run");
  }
}

/** Options of {@linkcode ResultStore.open}. */
export interface OpenOptions {
  /** Refuse to create the store (a command that only reads). */
  mustExist?: boolean;
  /** Lease length of the trials this process claims (default: `M2VAE_LEASE_SECONDS` or 300). */
  leaseSeconds?: number;
  /** This process's worker id in the leases it takes (default: `host:pid`, see `lease.ts`). */
  worker?: string;
}

/** A stored experiment. */
export interface ExperimentInfo {
  name: string;
  file: string;
  description: string;
  updatedAt: string;
}

/** One point of a trial's validation curve. */
export interface StoredCurvePoint {
  step: number;
  epoch: number;
  metrics: Record<string, number>;
  losses: Record<string, number>;
  /** The model's diagnostics at this point (`{}` for a model without any). */
  diagnostics: Record<string, number>;
}

/** The tuning protocol's trials registered with an experiment. */
export interface TuningRows {
  entries: TuneEntry[];
  specs: TrialSpec[];
}

/**
 * The result store, whatever holds it: every method that reads or writes returns a promise.
 * {@linkcode ResultStore.open} opens an SQLite file (the default) or, for a `postgres://` URL,
 * a PostgreSQL database with the same tables and semantics; close when done.
 */
export abstract class ResultStore {
  protected constructor(
    /** The store's file, or its `postgres://` URL. */
    readonly path: string,
    /** Seconds a claimed trial's lease lasts without a heartbeat ({@linkcode renew}). */
    readonly leaseSeconds: number,
    /** This process's worker id in its leases. */
    readonly worker: string,
  ) {}

  /**
   * Opens (creating unless `mustExist`) the store at `path` — an SQLite file, or a
   * `postgres://` / `postgresql://` URL — and checks it is one.
   */
  static open(path: string, opts: OpenOptions = {}): Promise<ResultStore> {
    try {
      const seconds = opts.leaseSeconds ?? leaseSeconds();
      if (!(seconds > 0)) throw new RangeError(`lease: expected positive seconds, got ${seconds}`);
      const worker = opts.worker ?? workerId();
      if (isPostgresUrl(path)) {
        return import("./postgres.ts").then((m) =>
          m.PostgresStore.connect(path, opts.mustExist ?? false, seconds, worker)
        );
      }
      return Promise.resolve(new SqliteStore(path, seconds, worker, opts.mustExist ?? false));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Closes the store's connection. */
  abstract close(): Promise<void>;

  /**
   * Records an experiment and its trials (replacing its trials on the same datasets; those on
   * other datasets stay): new trials become `pending`, failed ones are retried,
   * done ones are kept (or reset with `fresh`). Stale `running` trials (their process is gone)
   * become `pending`. Returns the status counts after that.
   */
  abstract register(
    name: string,
    file: string,
    description: string,
    plan: unknown,
    trials: TrialSpec[],
    fresh?: boolean,
    tuningRows?: TuningRows,
  ): Promise<StatusCounts>;

  /** Trial counts by status for an experiment. */
  abstract counts(experiment: string): Promise<StatusCounts>;

  /**
   * Atomically takes the next pending trial of `experiment` for this process, if any, with a
   * lease of {@linkcode leaseSeconds} (renew it with {@linkcode renew} while the trial runs).
   * Stale running trials of the experiment (see `lease.ts`) are re-queued first.
   */
  abstract claim(experiment: string): Promise<TrialSpec | undefined>;

  /**
   * The heartbeat: extends the lease of a trial this worker runs by {@linkcode leaseSeconds}
   * from now. Returns false when the trial is no longer this worker's (re-queued after its
   * lease expired, or finished elsewhere).
   */
  abstract renew(key: string): Promise<boolean>;

  /** The tuning protocol's trials of an experiment (every rung and final run it may release). */
  abstract tuneEntries(experiment: string): Promise<TuneEntry[]>;

  /** The epoch cap of trials, by key, linked or not (the rungs of tuning). */
  abstract trialEpochs(keys: readonly string[]): Promise<Map<string, number>>;

  /** Status and validation metrics of trials, by key (unknown keys are absent). */
  abstract tuneStates(keys: readonly string[]): Promise<Map<string, TuneTrialState>>;

  /**
   * Links trials to an experiment (the tuning protocol releasing them), in one transaction;
   * returns how many links are new (see `tuning.ts`).
   */
  abstract release(experiment: string, items: ReleaseItem[]): Promise<number>;

  /**
   * How a trial continues tuning work: `resumeFrom` = the trial of the same configuration at the
   * previous rung (whose saved state it may continue), `save` = it is a rung below the top, so
   * the next rung may continue it.
   */
  abstract continuation(key: string): Promise<{ resumeFrom?: string; save: boolean }>;

  /**
   * Running trials of an experiment whose process is gone (this host) or whose lease expired
   * (another host) go back to `pending`; returns how many.
   */
  abstract requeueStale(experiment: string): Promise<number>;

  /** Writes a finished trial: curves, metrics and status in one transaction. */
  abstract complete(key: string, o: TrialOutcome): Promise<void>;

  /** Marks a trial failed with a one-line reason (a trial done meanwhile stays done). */
  abstract fail(key: string, error: string): Promise<void>;

  /** Stored experiments, newest first. */
  abstract experiments(): Promise<ExperimentInfo[]>;

  /** The resolved plan an experiment was registered with (parsed JSON), if it exists. */
  abstract experimentPlan(name: string): Promise<unknown>;

  /** The trials of an experiment in plan order (every status), without metrics. */
  abstract trials(experiment: string): Promise<TrialInfo[]>;

  /** Final metrics of trials for one part, by trial key. */
  abstract metrics(
    keys: readonly string[],
    part: "valid" | "test",
  ): Promise<Map<string, Record<string, number>>>;

  /** The validation curve of a trial. */
  abstract curve(key: string): Promise<StoredCurvePoint[]>;

  /**
   * Copies the store at `source` into this one, idempotently by trial key (see `copy.ts`): a
   * trial done there replaces one pending or failed here, never the reverse. The source is
   * opened as a store first (migrated if older); its kept checkpoints are copied beside this
   * store where missing. Returns what was added (`dryRun`: what would be, nothing written).
   */
  abstract copyFrom(
    source: string,
    opts?: { dryRun?: boolean },
  ): Promise<CopySummary & { checkpoints: number }>;

  /** Every row of the tables a copy carries (see `copy.ts`), by table. */
  abstract dump(): Promise<StoreDump>;

  /**
   * The folder of the store's trial files: `<store folder>/artifacts/` beside an SQLite file,
   * `M2VAE_ARTIFACTS` (default `results/artifacts`) for a PostgreSQL store.
   */
  abstract artifactsRoot(): string;

  /** The folder of a trial's files: `<artifacts root>/<key>/`. */
  artifactDir(key: string): string {
    return join(this.artifactsRoot(), key);
  }

  /** Where a trial's training state is kept for tuning (deleted once no rung needs it). */
  statePath(key: string): string {
    return tuning.statePath(this.artifactDir(key));
  }

  /** Where a finished trial's kept checkpoint is (see `lib/run/checkpoint.ts`). */
  checkpointPath(key: string): string {
    return join(this.artifactDir(key), "checkpoint.safetensors");
  }
}

/** The tables a copy carries, parents first. */
export const COPIED_TABLES = [
  "experiments",
  "trials",
  "experiment_trials",
  "tuning",
  "curves",
  "metrics",
  "diagnostics",
] as const;

/** Every row of a store's copied tables, by table. */
export type StoreDump = Record<(typeof COPIED_TABLES)[number], Row[]>;

/**
 * Copies the kept checkpoints of trials `keys` from `from`'s artifacts to `to`'s where `to` has
 * none and `from` has one; returns how many (`dryRun`: would be, nothing written).
 */
export function copyCheckpoints(
  from: ResultStore,
  to: ResultStore,
  keys: readonly string[],
  dryRun = false,
): number {
  let checkpoints = 0;
  for (const key of keys) {
    const file = from.checkpointPath(key), target = to.checkpointPath(key);
    if (file === target) continue;
    try {
      Deno.statSync(target);
      continue;
    } catch {
      // absent here: copied below if the source has it
    }
    try {
      Deno.statSync(file);
    } catch {
      continue;
    }
    if (!dryRun) {
      Deno.mkdirSync(dirname(target), { recursive: true });
      Deno.copyFileSync(file, target);
    }
    checkpoints++;
  }
  return checkpoints;
}

/**
 * The store commands use without `--store`: `M2VAE_STORE` (an SQLite file or a `postgres://`
 * URL) when set, else `results/store.sqlite`.
 */
export function defaultStore(): string {
  try {
    return Deno.env.get("M2VAE_STORE") || "results/store.sqlite";
  } catch {
    return "results/store.sqlite"; // no permission to read the environment
  }
}

/** Whether a `--store` value names a PostgreSQL database rather than an SQLite file. */
export function isPostgresUrl(store: string): boolean {
  return /^postgres(ql)?:\/\//i.test(store);
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
   * other datasets stay): new trials become `pending`, failed ones are retried,
   * done ones are kept (or reset with `fresh`). Stale `running` trials (their process is gone)
   * become `pending`. Returns the status counts after that.
   */
  override async register(
    name: string,
    file: string,
    description: string,
    plan: unknown,
    trials: TrialSpec[],
    fresh = false,
    tuningRows?: { entries: TuneEntry[]; specs: TrialSpec[] },
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
         role) VALUES (?, ?, ?, ?, ?, ?)`,
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
      trials.forEach((t, i) => {
        insertSpec(t);
        link.run(
          name,
          t.key,
          i,
          JSON.stringify(t.point),
          t.pointLabel,
          tuneRole.get(t.key) ?? "result",
        );
        const r = stale.get(t.key) as Row | undefined;
        // A running trial whose process is gone (this host) or lease expired (another) is
        // re-queued; one whose worker still holds it is left to that worker.
        const gone = r !== undefined && staleReason(r as LeaseRowLike, host, at) !== undefined;
        if (r && !gone) return;
        if (fresh || gone) {
          clear.run(t.key);
          clearCurve.run(t.key);
          clearDiag.run(t.key);
        }
        reset.run(t.key, fresh || gone ? 1 : 0);
        if (gone) this.requeue(t.key);
      });
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
        `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label
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

  /**
   * How a trial continues tuning work: `resumeFrom` = the trial of the same configuration at the
   * previous rung (whose saved state it may continue), `save` = it is a rung below the top, so
   * the next rung may continue it.
   */
  override async continuation(key: string): Promise<{ resumeFrom?: string; save: boolean }> {
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
    const real = (p: string) => {
      try {
        return Deno.realPathSync(p);
      } catch {
        return p;
      }
    };
    if (real(source) === real(this.path)) {
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

  /** Writes a finished trial: curves, metrics and status in one transaction. */
  override async complete(key: string, o: TrialOutcome): Promise<void> {
    const r = o.report;
    this.transaction(() => {
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
         lease_expires = NULL WHERE key = ?`,
      ).run(
        now(),
        o.protocol,
        o.datasetFingerprint,
        o.split.description,
        o.split.fingerprint,
        o.toolkitVersion,
        o.codeVersion,
        o.backend,
        o.parameters,
        r.bestStep,
        r.steps,
        o.setupSeconds,
        r.trainSeconds,
        r.evalSeconds,
        r.interactionsPerSecond,
        key,
      );
    });
  }

  /** Marks a trial failed with a one-line reason. */
  override async fail(key: string, error: string): Promise<void> {
    this.transaction(() => {
      this.db.prepare(
        // A trial finished by another worker (after this one lost its lease) stays done.
        `UPDATE trials SET status = 'failed', error = ?, finished_at = ?, lease_expires = NULL
         WHERE key = ? AND status != 'done'`,
      ).run(error, now(), key);
    });
  }

  /** Names of stored experiments, newest first. */
  override async experiments(): Promise<ExperimentInfo[]> {
    return (this.db.prepare("SELECT * FROM experiments ORDER BY updated_at DESC").all() as Row[])
      .map((r) => ({
        name: r.name,
        file: r.file,
        description: r.description,
        updatedAt: r.updated_at,
      }));
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
      `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label, e.role AS role
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
    ).all(key) as Row[])
      .map((r) => ({
        step: r.step,
        epoch: r.epoch,
        metrics: JSON.parse(r.metrics),
        losses: JSON.parse(r.losses),
        diagnostics: r.diag ? JSON.parse(r.diag) : {},
      }));
  }
}
