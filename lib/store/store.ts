/**
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
class DryRun extends Error {
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

/** The result store. Open with {@linkcode ResultStore.open}; close when done. */
export class ResultStore {
  private constructor(
    readonly path: string,
    private readonly db: DatabaseSync,
    /** Seconds a claimed trial's lease lasts without a heartbeat ({@linkcode renew}). */
    readonly leaseSeconds: number,
    /** This process's worker id in its leases. */
    readonly worker: string,
  ) {}

  /** Opens (creating unless `mustExist`) the store at `path` and checks it is one. */
  static open(path: string, opts: OpenOptions = {}): ResultStore {
    const seconds = opts.leaseSeconds ?? leaseSeconds();
    if (!(seconds > 0)) throw new RangeError(`lease: expected positive seconds, got ${seconds}`);
    const db = openStoreFile(path, opts.mustExist ?? false);
    return new ResultStore(path, db, seconds, opts.worker ?? workerId());
  }

  close(): void {
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
  register(
    name: string,
    file: string,
    description: string,
    plan: unknown,
    trials: TrialSpec[],
    fresh = false,
    tuningRows?: { entries: TuneEntry[]; specs: TrialSpec[] },
  ): StatusCounts {
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
    return this.counts(name);
  }

  /** Trial counts by status for an experiment. */
  counts(experiment: string): StatusCounts {
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
  claim(experiment: string): TrialSpec | undefined {
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
  renew(key: string): boolean {
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
  tuneEntries(experiment: string): TuneEntry[] {
    return tuning.tuneEntries(this.db, experiment);
  }

  /** The epoch cap of trials, by key, linked or not (the rungs of tuning). */
  trialEpochs(keys: readonly string[]): Map<string, number> {
    return tuning.trialEpochs(this.db, keys);
  }

  /** Status and validation metrics of trials, by key (unknown keys are absent). */
  tuneStates(keys: readonly string[]): Map<string, TuneTrialState> {
    return tuning.tuneStates(this.db, keys);
  }

  /**
   * Links trials to an experiment (the tuning protocol releasing them), in one transaction;
   * returns how many links are new (see `tuning.ts`).
   */
  release(experiment: string, items: ReleaseItem[]): number {
    return this.transaction(() => tuning.release(this.db, experiment, items));
  }

  /**
   * How a trial continues tuning work: `resumeFrom` = the trial of the same configuration at the
   * previous rung (whose saved state it may continue), `save` = it is a rung below the top, so
   * the next rung may continue it.
   */
  continuation(key: string): { resumeFrom?: string; save: boolean } {
    return tuning.continuation(this.db, key);
  }

  /** The folder of a trial's files beside the store: `<store folder>/artifacts/<key>/`. */
  artifactDir(key: string): string {
    return join(dirname(this.path), "artifacts", key);
  }

  /** Where a trial's training state is kept for tuning (deleted once no rung needs it). */
  statePath(key: string): string {
    return tuning.statePath(this.artifactDir(key));
  }

  /** Where a finished trial's kept checkpoint is (see `lib/run/checkpoint.ts`). */
  checkpointPath(key: string): string {
    return join(this.artifactDir(key), "checkpoint.safetensors");
  }

  /**
   * Running trials of an experiment whose process is gone (this host) or whose lease expired
   * (another host) go back to `pending`; returns how many.
   */
  requeueStale(experiment: string): number {
    return this.transaction(() => this.requeueStaleIn(experiment));
  }

  /**
   * Copies the store at `source` into this one, idempotently by trial key (see `copy.ts`): a
   * trial done there replaces one pending or failed here, never the reverse. The source is
   * opened as a store first (migrated if older); its kept checkpoints are copied beside this
   * store where missing. Returns what was added (`dryRun`: what would be, nothing written).
   */
  copyFrom(source: string, opts: { dryRun?: boolean } = {}): CopySummary & { checkpoints: number } {
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
    ResultStore.open(source, { mustExist: true }).close();
    this.db.prepare("ATTACH DATABASE ? AS src").run(source);
    let summary: CopySummary | undefined;
    try {
      summary = this.transaction(() => {
        const out = copyAttached(this.db);
        if (opts.dryRun) throw new DryRun(out); // rolls the copy back
        return out;
      });
    } catch (e) {
      if (!(e instanceof DryRun)) throw e;
      summary = e.summary;
    } finally {
      this.db.exec("DETACH DATABASE src");
    }
    let checkpoints = 0;
    const from = join(dirname(source), "artifacts");
    for (const key of summary.doneKeys) {
      const file = join(from, key, "checkpoint.safetensors");
      const to = this.checkpointPath(key);
      try {
        Deno.statSync(to);
        continue;
      } catch {
        // absent here: copied below if the source has it
      }
      try {
        Deno.statSync(file);
      } catch {
        continue;
      }
      if (!opts.dryRun) {
        Deno.mkdirSync(dirname(to), { recursive: true });
        Deno.copyFileSync(file, to);
      }
      checkpoints++;
    }
    return { ...summary, checkpoints };
  }

  /** Writes a finished trial: curves, metrics and status in one transaction. */
  complete(key: string, o: TrialOutcome): void {
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
  fail(key: string, error: string): void {
    this.transaction(() => {
      this.db.prepare(
        // A trial finished by another worker (after this one lost its lease) stays done.
        `UPDATE trials SET status = 'failed', error = ?, finished_at = ?, lease_expires = NULL
         WHERE key = ? AND status != 'done'`,
      ).run(error, now(), key);
    });
  }

  /** Names of stored experiments, newest first. */
  experiments(): { name: string; file: string; description: string; updatedAt: string }[] {
    return (this.db.prepare("SELECT * FROM experiments ORDER BY updated_at DESC").all() as Row[])
      .map((r) => ({
        name: r.name,
        file: r.file,
        description: r.description,
        updatedAt: r.updated_at,
      }));
  }

  /** The resolved plan an experiment was registered with (parsed JSON), if it exists. */
  experimentPlan(name: string): unknown {
    const r = this.db.prepare("SELECT plan FROM experiments WHERE name = ?").get(name) as
      | Row
      | undefined;
    return r ? JSON.parse(r.plan) : undefined;
  }

  /** The trials of an experiment in plan order (every status), without metrics. */
  trials(experiment: string): TrialInfo[] {
    const rows = this.db.prepare(
      `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label, e.role AS role
       FROM trials t JOIN experiment_trials e ON e.trial = t.key
       WHERE e.experiment = ? ORDER BY e.position`,
    ).all(experiment) as Row[];
    return rows.map(rowInfo);
  }

  /** Final metrics of trials for one part, by trial key. */
  metrics(keys: readonly string[], part: "valid" | "test"): Map<string, Record<string, number>> {
    const out = new Map<string, Record<string, number>>();
    const q = this.db.prepare("SELECT metric, value FROM metrics WHERE trial = ? AND part = ?");
    for (const k of keys) {
      const rows = q.all(k, part) as Row[];
      if (rows.length) out.set(k, Object.fromEntries(rows.map((r) => [r.metric, Number(r.value)])));
    }
    return out;
  }

  /** The validation curve of a trial. */
  curve(
    key: string,
  ): {
    step: number;
    epoch: number;
    metrics: Record<string, number>;
    losses: Record<string, number>;
    /** The model's diagnostics at this point (`{}` for a model without any). */
    diagnostics: Record<string, number>;
  }[] {
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
