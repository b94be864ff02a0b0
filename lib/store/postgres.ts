/**
 * The result store in a PostgreSQL database (`--store postgres://user@host:port/db`): the tables
 * of `schema.ts` (JSON kept as text, times as ISO strings, REAL as double precision) with the
 * semantics of the SQLite store, for a store that workers on several machines share.
 *
 * - A claim is one transaction that re-queues the experiment's stale running trials and takes
 *   the next pending one with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers never
 *   take the same trial and never wait on each other.
 * - Lease times (claim, heartbeat, expiry) and the staleness test use the server's clock
 *   (`now()`), so workers whose clocks disagree still agree on whose lease has expired.
 * - A finished trial (curves, diagnostics, metrics and its `done` status) is one transaction.
 * - Registering an experiment and releasing tuning trials to it hold a per-experiment advisory
 *   lock, as SQLite's one writer at a time did.
 *
 * The client is the npm package `postgres`; each store holds a small pool of its own (the
 * heartbeat's thread opens a store, and so a connection, of its own). Trial files (checkpoints,
 * tuning state) stay on disk under `M2VAE_ARTIFACTS` (default `results/artifacts`), which a
 * cluster's workers should share.
 *
 * The tuning protocol's rows are in `postgres_tuning.ts`, copying into the store in
 * `postgres_copy.ts`, and the SQL helpers they share in `postgres_sql.ts`.
 *
 * @module
 */
import postgres from "postgres";
import { join } from "node:path";
import {
  rowCurvePoint,
  rowExperiment,
  rowInfo,
  rowSpec,
  type TrialInfo,
  type TrialStatus,
} from "./rows.ts";
import { type LeaseRow, staleReason } from "./lease.ts";
import { StoreError } from "./open.ts";
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from "./schema.ts";
import { redactStoreUrls, shownStore } from "./store_name.ts";
import type { TrialSpec } from "./trial_spec.ts";
import { failedReleased, tuneRoles, unlinkedTuning } from "./tuning.ts";
import type { Continuation, ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";
import type { CopySummary } from "./copy.ts";
import { dumpRows, mergeDump } from "./postgres_copy.ts";
import { inList, iso, json, NOW, type Query } from "./postgres_sql.ts";
import * as pgTuning from "./postgres_tuning.ts";
import {
  copyCheckpoints,
  DryRun,
  type ExperimentInfo,
  finishedValues,
  ResultStore,
  type StatusCounts,
  type StoredCurvePoint,
  type StoreDump,
  type TrialOutcome,
  type TuningRows,
} from "./result_store.ts";

/** The schema in PostgreSQL's words: SQLite's REAL is a 4-byte float there. */
export const PG_SCHEMA = SCHEMA.replace(/\bREAL\b/g, "DOUBLE PRECISION");

/**
 * The oldest schema version a PostgreSQL store can have (the version the backend came with):
 * from there `MIGRATIONS` bring it up to date on open, as they do an SQLite store.
 */
const PG_FIRST_VERSION = 5;

/** The one line of a client or server error (any store URL in it without its password). */
function line(e: unknown): string {
  return redactStoreUrls((e instanceof Error ? e.message : String(e)).split("\n")[0]);
}

/** The result store in a PostgreSQL database. Open with `ResultStore.open(url)`. */
export class PostgresStore extends ResultStore {
  private constructor(
    path: string,
    leaseSeconds: number,
    worker: string,
    private readonly sql: postgres.Sql,
  ) {
    super(path, leaseSeconds, worker);
  }

  /** Connects, creates the tables unless `mustExist` (then they must be there) and checks them. */
  static async connect(
    url: string,
    mustExist: boolean,
    leaseSeconds: number,
    worker: string,
  ): Promise<PostgresStore> {
    const shown = shownStore(url);
    let sql: postgres.Sql;
    try {
      sql = postgres(url, {
        max: 2,
        onnotice: () => {},
        connect_timeout: 15,
        idle_timeout: 60,
        connection: { application_name: "m2vae" },
      });
    } catch (e) {
      throw new StoreError(shown, `not a usable PostgreSQL URL (${line(e)})`);
    }
    try {
      await sql.begin(async (tx) => {
        const q: Query = (t, p) => tx.unsafe(t, (p ?? []) as any[]) as any;
        const [{ meta }] = await q("SELECT to_regclass('meta') IS NOT NULL AS meta");
        if (!meta && mustExist) {
          throw new StoreError(shown, "no result store here (run an experiment first)");
        }
        if (!meta) {
          // Two processes creating the tables at once would collide in the catalog. A store
          // that exists is only read here, so a user without CREATE may open it.
          await q("SELECT pg_advisory_xact_lock(hashtext('m2vae schema'))");
          await q(PG_SCHEMA);
        }
        const v = await q("SELECT value FROM meta WHERE key = 'schema'");
        const at = v.length === 0 ? SCHEMA_VERSION : Number(v[0].value);
        if (v.length === 0) {
          await q("INSERT INTO meta VALUES ('schema', $1)", [String(SCHEMA_VERSION)]);
        } else if (at < SCHEMA_VERSION && at >= PG_FIRST_VERSION) {
          // An older store is brought up to date in this transaction, under the schema lock (a
          // second process opening it meanwhile waits, then finds it current).
          await q("SELECT pg_advisory_xact_lock(hashtext('m2vae schema'))");
          const [now] = await q("SELECT value FROM meta WHERE key = 'schema' FOR UPDATE");
          for (let s = Number(now.value); s < SCHEMA_VERSION; s++) await q(MIGRATIONS[s]);
          await q("UPDATE meta SET value = $1 WHERE key = 'schema'", [String(SCHEMA_VERSION)]);
        } else if (at !== SCHEMA_VERSION) {
          throw new StoreError(
            shown,
            `schema version ${v[0].value}; this toolkit reads ${SCHEMA_VERSION}`,
          );
        }
      });
    } catch (e) {
      await sql.end({ timeout: 5 }).catch(() => {});
      if (e instanceof StoreError) throw e;
      throw new StoreError(shown, `cannot open the PostgreSQL store: ${line(e)}`);
    }
    return new PostgresStore(url, leaseSeconds, worker, sql);
  }

  private q: Query = (t, p) => this.sql.unsafe(t, (p ?? []) as any[]) as any;

  /** Runs `fn` in one transaction (rolled back if it throws). */
  private tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return this.sql.begin((tx) => fn((t, p) => tx.unsafe(t, (p ?? []) as any[]) as any)) as Promise<
      T
    >;
  }

  override async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  override artifactsRoot(): string {
    return Deno.env.get("M2VAE_ARTIFACTS") || join("results", "artifacts");
  }

  override register(
    name: string,
    file: string,
    description: string,
    plan: unknown,
    trials: TrialSpec[],
    fresh = false,
    tuningRows?: TuningRows,
  ): Promise<StatusCounts> {
    const host = Deno.hostname();
    const tuneRole = tuneRoles(tuningRows?.entries ?? []);
    return this.tx(async (q) => {
      await q("SELECT pg_advisory_xact_lock(hashtext('m2vae experiment ' || $1))", [name]);
      const [{ now }] = await q(`SELECT ${NOW} AS now`);
      await q(
        `INSERT INTO experiments VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET
         file = excluded.file, description = excluded.description, plan = excluded.plan,
         updated_at = excluded.updated_at`,
        [name, file, description, JSON.stringify(plan), now],
      );
      const datasets = [...new Set(trials.map((t) => t.dataset))];
      const failed = failedReleased(
        await q(
          `SELECT t.key FROM experiment_trials e JOIN trials t ON t.key = e.trial
           WHERE e.experiment = $1 AND t.status = 'failed' AND t.dataset IN ${inList(2)}`,
          [name, json(datasets)],
        ),
        tuningRows,
      );
      await q(
        `DELETE FROM experiment_trials WHERE experiment = $1 AND trial IN
         (SELECT key FROM trials WHERE dataset IN ${inList(2)})`,
        [name, json(datasets)],
      );
      await insertSpecs(q, [...(tuningRows?.specs ?? []), ...trials]);
      await pgTuning.writeTuning(q, name, datasets, tuningRows?.entries ?? []);
      // A plan may list a trial twice (the last position wins, as SQLite's INSERT OR REPLACE).
      const links = new Map(trials.map((t, i) => [t.key, {
        trial: t.key,
        position: i,
        point: JSON.stringify(t.point),
        point_label: t.pointLabel,
        role: tuneRole.get(t.key) ?? "result",
        label: t.label,
      }]));
      await q(
        `INSERT INTO experiment_trials (experiment, trial, position, point, point_label, role,
         priority, label) SELECT $1, x.trial, x.position, x.point, x.point_label, x.role, 0,
         x.label FROM jsonb_to_recordset($2::text::jsonb) AS x(trial text, position int,
         point text, point_label text, role text, label text)
         ON CONFLICT (experiment, trial) DO UPDATE SET position = excluded.position,
         point = excluded.point, point_label = excluded.point_label, role = excluded.role,
         priority = 0, label = excluded.label`,
        [name, json([...links.values()])],
      );
      const keys = [...links.keys()];
      // Fresh: every rung and final run tuning may release is recomputed too (unlinked until
      // released), or the choice would mix fresh first-rung scores with stored later rungs.
      const unlinked = fresh ? unlinkedTuning(trials, tuningRows?.specs) : [];
      // Every candidate row is locked, whatever its status (in key order, so that two
      // registrations never deadlock): a claim committed after this read could otherwise make a
      // trial running that `fresh` below would put back to pending under its worker.
      const running = (await q(
        `SELECT key, status, host, pid, lease_expires FROM trials WHERE key IN ${inList(1)}
         ORDER BY key FOR UPDATE`,
        [json([...keys, ...unlinked])],
      )).filter((r) => r.status === "running");
      // A running trial whose process is gone (this host) or lease expired (another) is
      // re-queued; one whose worker still holds it is left to that worker.
      const held = new Set<string>(), gone: string[] = [];
      for (const r of running) {
        if (staleReason(r as LeaseRow, host, now) !== undefined) gone.push(r.key);
        else held.add(r.key);
      }
      const free = keys.filter((k) => !held.has(k));
      const force = fresh ? [...free, ...unlinked.filter((k) => !held.has(k))] : gone;
      for (const table of ["metrics", "curves", "diagnostics"]) {
        await q(`DELETE FROM ${table} WHERE trial IN ${inList(1)}`, [json(force)]);
      }
      await q(
        `UPDATE trials SET status = 'pending', error = NULL WHERE key IN ${inList(1)}`,
        [json(force)],
      );
      await q(
        `UPDATE trials SET status = 'pending', error = NULL WHERE key IN ${inList(1)}
         AND status = 'failed'`,
        [json([...free, ...(fresh ? [] : failed)])],
      );
      await requeue(q, gone);
      // A trial yet to run takes this plan's paths and unkeyed settings (see `register`).
      await q(
        `UPDATE trials t SET settings = x.settings, dataset_spec = x.dataset_spec
         FROM jsonb_to_recordset($1::text::jsonb) AS x(key text, settings text, dataset_spec text)
         WHERE t.key = x.key AND t.status = 'pending'`,
        [json([...(tuningRows?.specs ?? []), ...trials].map((t) => ({
          key: t.key,
          settings: JSON.stringify(t.settings),
          dataset_spec: JSON.stringify(t.datasetSpec),
        })))],
      );
      return countsOf(q, name);
    });
  }

  override counts(experiment: string): Promise<StatusCounts> {
    return countsOf(this.q, experiment);
  }

  override claim(experiment: string): Promise<TrialSpec | undefined> {
    return this.tx(async (q) => {
      await requeueStaleIn(q, experiment);
      const [r] = await q(
        `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label, e.label AS link_label
         FROM trials t JOIN experiment_trials e ON e.trial = t.key
         WHERE e.experiment = $1 AND t.status = 'pending' ORDER BY e.priority DESC, e.position
         LIMIT 1 FOR UPDATE OF t SKIP LOCKED`,
        [experiment],
      );
      if (!r) return undefined;
      await q(
        `UPDATE trials SET status = 'running', host = $1, pid = $2, started_at = ${NOW},
         worker = $3, heartbeat_at = ${NOW},
         lease_expires = ${iso("now() + make_interval(secs => $4::float8)")} WHERE key = $5`,
        [Deno.hostname(), Deno.pid, this.worker, this.leaseSeconds, r.key],
      );
      return rowSpec(r);
    });
  }

  override async renew(key: string): Promise<boolean> {
    const r = await this.q(
      `UPDATE trials SET heartbeat_at = ${NOW},
       lease_expires = ${iso("now() + make_interval(secs => $1::float8)")}
       WHERE key = $2 AND status = 'running' AND worker = $3`,
      [this.leaseSeconds, key, this.worker],
    );
    return r.count > 0;
  }

  override requeueStale(experiment: string): Promise<number> {
    return this.tx((q) => requeueStaleIn(q, experiment));
  }

  override tuneEntries(experiment: string): Promise<TuneEntry[]> {
    return pgTuning.tuneEntries(this.q, experiment);
  }

  override trialEpochs(keys: readonly string[]): Promise<Map<string, number>> {
    return pgTuning.trialEpochs(this.q, keys);
  }

  override tuneStates(keys: readonly string[]): Promise<Map<string, TuneTrialState>> {
    return pgTuning.tuneStates(this.q, keys);
  }

  override release(experiment: string, items: ReleaseItem[]): Promise<number> {
    return this.tx((q) => pgTuning.release(q, experiment, items));
  }

  override continuation(key: string): Promise<Continuation> {
    return pgTuning.continuation(this.q, key);
  }

  override complete(key: string, o: TrialOutcome): Promise<boolean> {
    const r = o.report;
    return this.tx(async (q) => {
      // The row lock serialises two workers completing the same trial: the first result wins.
      const [cur] = await q("SELECT status, worker FROM trials WHERE key = $1 FOR UPDATE", [key]);
      if (cur?.status === "done" && cur.worker !== this.worker) return false;
      for (const table of ["curves", "diagnostics", "metrics"]) {
        await q(`DELETE FROM ${table} WHERE trial = $1`, [key]);
      }
      await q(
        `INSERT INTO curves SELECT $1, x.step, x.epoch, x.metrics, x.losses
         FROM jsonb_to_recordset($2::text::jsonb) AS x(step int, epoch int, metrics text, losses text)`,
        [
          key,
          json(r.curve.map((p) => ({
            step: p.step,
            epoch: p.epoch,
            metrics: JSON.stringify(p.metrics),
            losses: JSON.stringify(p.losses),
          }))),
        ],
      );
      await q(
        `INSERT INTO diagnostics SELECT $1, x.step, x.v
         FROM jsonb_to_recordset($2::text::jsonb) AS x(step int, v text)`,
        [
          key,
          json(
            r.curve.filter((p) => p.diagnostics).map((p) => ({
              step: p.step,
              v: JSON.stringify(p.diagnostics),
            })),
          ),
        ],
      );
      const metrics = [
        ...Object.entries(r.valid).map(([metric, value]) => ({ part: "valid", metric, value })),
        ...Object.entries(r.test).map(([metric, value]) => ({ part: "test", metric, value })),
      ];
      await q(
        `INSERT INTO metrics SELECT $1, x.part, x.metric, x.value
         FROM jsonb_to_recordset($2::text::jsonb) AS x(part text, metric text, value float8)`,
        [key, json(metrics)],
      );
      await q(
        `UPDATE trials SET status = 'done', finished_at = ${NOW}, protocol = $1,
         dataset_fingerprint = $2, split_description = $3, split_fingerprint = $4,
         toolkit_version = $5, code_version = $6, backend = $7, parameters = $8::int,
         best_step = $9::int, steps = $10::int, setup_seconds = $11::float8,
         train_seconds = $12::float8, eval_seconds = $13::float8,
         interactions_per_second = $14::float8, error = NULL, lease_expires = NULL,
         worker = $16 WHERE key = $15`,
        [...finishedValues(key, o), this.worker],
      );
      return true;
    });
  }

  override async fail(key: string, error: string): Promise<void> {
    // A trial finished by another worker (after this one lost its lease) stays done, and one
    // another worker took over stays running.
    await this.q(
      `UPDATE trials SET status = 'failed', error = $1, finished_at = ${NOW},
       lease_expires = NULL WHERE key = $2 AND status != 'done' AND (worker IS NULL OR worker = $3)`,
      [error, key, this.worker],
    );
  }

  override async experiments(): Promise<ExperimentInfo[]> {
    return (await this.q("SELECT * FROM experiments ORDER BY updated_at DESC")).map(rowExperiment);
  }

  override async experimentPlan(name: string): Promise<unknown> {
    const [r] = await this.q("SELECT plan FROM experiments WHERE name = $1", [name]);
    return r ? JSON.parse(r.plan) : undefined;
  }

  override async trials(experiment: string): Promise<TrialInfo[]> {
    return (await this.q(
      `SELECT t.*, e.point AS link_point, e.point_label AS link_point_label, e.label AS link_label, e.role AS role
       FROM trials t JOIN experiment_trials e ON e.trial = t.key
       WHERE e.experiment = $1 ORDER BY e.position`,
      [experiment],
    )).map(rowInfo);
  }

  override async metrics(
    keys: readonly string[],
    part: "valid" | "test",
  ): Promise<Map<string, Record<string, number>>> {
    const rows = await this.q(
      `SELECT trial, metric, value FROM metrics WHERE part = $1 AND trial IN ${inList(2)}`,
      [part, json(keys)],
    );
    const found = new Map<string, Record<string, number>>();
    for (const r of rows) {
      if (!found.has(r.trial)) found.set(r.trial, {});
      found.get(r.trial)![r.metric] = Number(r.value);
    }
    // In the order asked, as the SQLite store returns them.
    const out = new Map<string, Record<string, number>>();
    for (const k of keys) if (found.has(k)) out.set(k, found.get(k)!);
    return out;
  }

  override async curve(key: string): Promise<StoredCurvePoint[]> {
    return (await this.q(
      `SELECT c.*, d."values" AS diag FROM curves c
       LEFT JOIN diagnostics d ON d.trial = c.trial AND d.step = c.step
       WHERE c.trial = $1 ORDER BY c.step`,
      [key],
    )).map(rowCurvePoint);
  }

  override dump(): Promise<StoreDump> {
    return dumpRows(this.q);
  }

  override async copyFrom(
    source: string,
    opts: { dryRun?: boolean } = {},
  ): Promise<CopySummary & { checkpoints: number }> {
    if (source === this.path) {
      throw new StoreError(
        shownStore(source),
        "is the store being copied into (FROM and TO are one)",
      );
    }
    const src = await ResultStore.open(source, { mustExist: true });
    try {
      const dump = await src.dump();
      let summary: CopySummary;
      try {
        summary = await this.tx(async (q) => {
          const out = await mergeDump(q, dump);
          if (opts.dryRun) throw new DryRun(out); // rolls the copy back
          return out;
        });
      } catch (e) {
        if (!(e instanceof DryRun)) throw e;
        summary = e.summary;
      }
      const checkpoints = copyCheckpoints(src, this, summary.doneKeys, opts.dryRun ?? false);
      return { ...summary, checkpoints };
    } finally {
      await src.close();
    }
  }
}

/** Trial counts by status of an experiment. */
async function countsOf(q: Query, experiment: string): Promise<StatusCounts> {
  const out: StatusCounts = { pending: 0, running: 0, done: 0, failed: 0 };
  const rows = await q(
    `SELECT status, COUNT(*) AS n FROM trials JOIN experiment_trials ON trial = key
     WHERE experiment = $1 GROUP BY status`,
    [experiment],
  );
  for (const r of rows) out[r.status as TrialStatus] = Number(r.n);
  return out;
}

/** Stores trial specs that are not stored yet (`register` refreshes those yet to run). */
async function insertSpecs(q: Query, specs: readonly TrialSpec[]): Promise<void> {
  if (specs.length === 0) return;
  await q(
    `INSERT INTO trials (key, dataset, model, label, variant, family, point, point_label, seed,
     protocol, config, settings, dataset_spec)
     SELECT x.key, x.dataset, x.model, x.label, x.variant, x.family, x.point, x.point_label,
     x.seed, x.protocol, x.config, x.settings, x.dataset_spec
     FROM jsonb_to_recordset($1::text::jsonb) AS x(key text, dataset text, model text, label text,
     variant text, family text, point text, point_label text, seed int, protocol text,
     config text, settings text, dataset_spec text)
     ON CONFLICT (key) DO NOTHING`,
    [json(specs.map((t) => ({
      key: t.key,
      dataset: t.dataset,
      model: t.model,
      label: t.label,
      variant: t.variant,
      family: t.family,
      point: JSON.stringify(t.point),
      point_label: t.pointLabel,
      seed: t.seed,
      protocol: t.settings.protocol,
      config: JSON.stringify(t.config),
      settings: JSON.stringify(t.settings),
      dataset_spec: JSON.stringify(t.datasetSpec),
    })))],
  );
}

/** Trials go back to `pending`, their leases dropped. */
async function requeue(q: Query, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await q(
    `UPDATE trials SET status = 'pending', worker = NULL, lease_expires = NULL,
     heartbeat_at = NULL WHERE key IN ${inList(1)}`,
    [json(keys)],
  );
}

/**
 * Re-queues an experiment's stale running trials (by the server's clock), inside a transaction;
 * trials another transaction holds (being claimed or finished) are left alone. Returns how many.
 */
async function requeueStaleIn(q: Query, experiment: string): Promise<number> {
  const host = Deno.hostname();
  const rows = await q(
    `SELECT t.key, t.host, t.pid, t.lease_expires, ${NOW} AS now FROM trials t
     JOIN experiment_trials e ON e.trial = t.key
     WHERE e.experiment = $1 AND t.status = 'running' FOR UPDATE OF t SKIP LOCKED`,
    [experiment],
  );
  const stale = rows.filter((r) => staleReason(r as LeaseRow, host, r.now) !== undefined)
    .map((r) => r.key as string);
  await requeue(q, stale);
  return stale.length;
}
