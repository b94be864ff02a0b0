/**
 * The result store's interface, {@linkcode ResultStore}: every method returns a promise, so an
 * SQLite file (`sqlite.ts`, the embedded default) and a PostgreSQL database (`postgres.ts`) serve
 * the same callers. `ResultStore.open` reaches the backends through {@linkcode storeBackends},
 * which `store.ts` fills when it is imported — import the store from `store.ts` or `mod.ts`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { TrainReport } from "../train/trainer.ts";
import type { ExperimentInfo, Row, StoredCurvePoint, TrialInfo, TrialStatus } from "./rows.ts";
import type { CopySummary } from "./copy.ts";
import { leaseSeconds, workerId } from "./lease.ts";
import type { TrialSpec } from "./trial_spec.ts";
import { TEST_QUERIES_FILE } from "./test_queries.ts";
import * as tuning from "./tuning.ts";
import type { Continuation, ReleaseItem, TuneEntry, TuneTrialState } from "./tuning.ts";

/** Opens one backend's store: (path or URL, lease seconds, worker id, must it exist). */
export type StoreOpener = (
  path: string,
  leaseSeconds: number,
  worker: string,
  mustExist: boolean,
) => Promise<ResultStore>;

/** The backends `ResultStore.open` dispatches to; `store.ts` sets both when imported. */
export const storeBackends: { sqlite?: StoreOpener; postgres?: StoreOpener } = {};

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

/**
 * The values a finished trial writes to its `trials` row, in the order both stores' UPDATE names
 * them: protocol, dataset and split fingerprints, versions, backend, size, steps and timings, then
 * the key (its WHERE).
 */
export function finishedValues(key: string, o: TrialOutcome): (string | number | null)[] {
  const r = o.report;
  return [
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
  ];
}

/** Counts of an experiment's trials by status. */
export type StatusCounts = Record<TrialStatus, number>;

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

export type { ExperimentInfo, StoredCurvePoint } from "./rows.ts";

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
      const open = isPostgresUrl(path) ? storeBackends.postgres : storeBackends.sqlite;
      if (open === undefined) {
        throw new Error("ResultStore.open: import the store from lib/store/store.ts or mod.ts");
      }
      return open(path, seconds, worker, opts.mustExist ?? false);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Closes the store's connection. */
  abstract close(): Promise<void>;

  /**
   * Records an experiment and its trials (replacing its trials on the same datasets; those on
   * other datasets stay): new trials become `pending`, failed ones are retried (with those its
   * tuning had released, so that the protocol waits for them when it replays its choices), done
   * ones are kept (or reset with `fresh`). Stale `running` trials (their process is
   * gone) become `pending`. A trial left `pending` takes this registration's settings and
   * dataset spec: its key holds neither the data root its paths were resolved against nor the
   * settings that change no result (`COSMETIC_SETTINGS`: chunk sizes, logging), so a rerun with
   * another `--data-root` or a smaller `userChunk` runs what it asked for; a done or running
   * trial keeps the spec it ran with. Where two experiments or hosts share a pending trial, the
   * latest registration's paths are the ones it runs with. Returns the status counts after that.
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
   * the next rung may continue it, `keep` = an experiment reads it as a result, so it keeps its
   * checkpoint and end state (a trial in no tuning keeps them; one key may both save and keep),
   * `waiting` = the experiments whose next rung of this configuration may still continue it (not
   * done, and released or not decided yet).
   */
  abstract continuation(key: string): Promise<Continuation>;

  /**
   * Running trials of an experiment whose process is gone (this host) or whose lease expired
   * (another host) go back to `pending`; returns how many.
   */
  abstract requeueStale(experiment: string): Promise<number>;

  /**
   * Writes a finished trial: curves, metrics and status in one transaction, recording this
   * worker as the one that finished it. The first result wins: a trial another worker finished
   * meanwhile (this one having lost its lease) keeps its numbers, and this returns false.
   */
  abstract complete(key: string, o: TrialOutcome): Promise<boolean>;

  /**
   * Marks a trial failed with a one-line reason — only one this worker holds or nobody does: a
   * trial done meanwhile stays done, and one another worker took over stays that worker's.
   */
  abstract fail(key: string, error: string): Promise<void>;

  /** Stored experiments, newest first. */
  abstract experiments(): Promise<ExperimentInfo[]>;

  /** The resolved plan an experiment was registered with (parsed JSON), if it exists. */
  abstract experimentPlan(name: string): Promise<unknown>;

  /** The trials of an experiment in plan order (every status), without metrics. */
  abstract trials(experiment: string): Promise<TrialInfo[]>;

  /** Every trial linked to any experiment of the store, by key (a shared trial once). */
  async allTrials(): Promise<Map<string, TrialInfo>> {
    const lists = await Promise.all((await this.experiments()).map((e) => this.trials(e.name)));
    return new Map(lists.flat().map((t) => [t.spec.key, t]));
  }

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

  /** Where a finished trial's test metrics per query are (see `test_queries.ts`). */
  testQueriesPath(key: string): string {
    return join(this.artifactDir(key), TEST_QUERIES_FILE);
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
 * none and `from` has one, with their test metrics per query likewise; returns how many
 * checkpoints (`dryRun`: would be, nothing written).
 */
export function copyCheckpoints(
  from: ResultStore,
  to: ResultStore,
  keys: readonly string[],
  dryRun = false,
): number {
  let checkpoints = 0;
  for (const key of keys) {
    if (copyMissing(from.checkpointPath(key), to.checkpointPath(key), dryRun)) checkpoints++;
    copyMissing(from.testQueriesPath(key), to.testQueriesPath(key), dryRun);
  }
  return checkpoints;
}

/** Copies `file` to `target` when the target is absent and the file is there; says if it did. */
function copyMissing(file: string, target: string, dryRun: boolean): boolean {
  if (file === target) return false;
  try {
    Deno.statSync(target);
    return false;
  } catch {
    // absent here: copied below if the source has it
  }
  try {
    Deno.statSync(file);
  } catch {
    return false;
  }
  if (!dryRun) {
    Deno.mkdirSync(dirname(target), { recursive: true });
    Deno.copyFileSync(file, target);
  }
  return true;
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
