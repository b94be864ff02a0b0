/**
 * The embedded result store: experiments, trials, validation curves and final metrics in one
 * SQLite file (WAL journal, so several worker processes write safely; every write is a short
 * `BEGIN IMMEDIATE` transaction). See `schema.ts` for the tables, `open.ts` for opening a file and
 * `tuning.ts` for the tuning protocol's rows, which the tuning methods here delegate to.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import type { TrainReport } from "../train/trainer.ts";
import { type Row, rowInfo, rowSpec, type TrialInfo, type TrialStatus } from "./rows.ts";
import { openStoreFile, StoreError } from "./open.ts";
import type { TrialSpec } from "./trial_spec.ts";
import * as tuning from "./tuning.ts";
import type { ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";

export type { ReleaseItem, TrialInfo, TrialStatus, TuneEntry, TuneTrialState };
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

/** Counts of an experiment's trials by status. */
export type StatusCounts = Record<TrialStatus, number>;

function now(): string {
  return new Date().toISOString();
}

/**
 * Whether process `pid` is alive on this host (Linux `/proc`; a zombie — killed but not yet
 * reaped — is dead; unknown = alive).
 */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch (e) {
    return !(e instanceof Deno.errors.NotFound);
  }
}

/** The result store. Open with {@linkcode ResultStore.open}; close when done. */
export class ResultStore {
  private constructor(readonly path: string, private readonly db: DatabaseSync) {}

  /** Opens (creating unless `mustExist`) the store at `path` and checks it is one. */
  static open(path: string, opts: { mustExist?: boolean } = {}): ResultStore {
    return new ResultStore(path, openStoreFile(path, opts.mustExist ?? false));
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
      this.db.exec("ROLLBACK");
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
    const host = Deno.hostname();
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
        "SELECT pid, host FROM trials WHERE key = ? AND status = 'running'",
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
        const gone = r && (r.host !== host || !alive(r.pid));
        if (r && !gone) return; // running in a live process: leave it to that process
        if (fresh || gone) {
          clear.run(t.key);
          clearCurve.run(t.key);
          clearDiag.run(t.key);
        }
        reset.run(t.key, fresh || gone ? 1 : 0);
        if (gone) this.db.prepare("UPDATE trials SET status = 'pending' WHERE key = ?").run(t.key);
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

  /** Atomically takes the next pending trial of `experiment` for this process, if any. */
  claim(experiment: string): TrialSpec | undefined {
    return this.transaction(() => {
      const r = this.db.prepare(
        `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label
         FROM trials t JOIN experiment_trials e ON e.trial = t.key
         WHERE e.experiment = ? AND t.status = 'pending' ORDER BY e.priority DESC, e.position
         LIMIT 1`,
      ).get(experiment) as Row | undefined;
      if (!r) return undefined;
      this.db.prepare(
        "UPDATE trials SET status = 'running', host = ?, pid = ?, started_at = ? WHERE key = ?",
      ).run(Deno.hostname(), Deno.pid, now(), r.key);
      return rowSpec(r);
    });
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

  /** Running trials of an experiment whose process is gone go back to `pending`; returns how many. */
  requeueStale(experiment: string): number {
    const host = Deno.hostname();
    return this.transaction(() => {
      const rows = this.db.prepare(
        `SELECT key, host, pid FROM trials JOIN experiment_trials ON trial = key
         WHERE experiment = ? AND status = 'running'`,
      ).all(experiment) as Row[];
      let n = 0;
      for (const r of rows) {
        if (r.host === host && !alive(r.pid)) {
          this.db.prepare("UPDATE trials SET status = 'pending' WHERE key = ?").run(r.key);
          n++;
        }
      }
      return n;
    });
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
         train_seconds = ?, eval_seconds = ?, interactions_per_second = ?, error = NULL
         WHERE key = ?`,
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
        "UPDATE trials SET status = 'failed', error = ?, finished_at = ? WHERE key = ?",
      )
        .run(error, now(), key);
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
