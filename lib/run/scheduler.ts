/**
 * Runs the pending trials of an experiment from the store: in this process (one job), or in
 * N worker processes that each claim trials from the store (TF.js wasm is single-threaded, so
 * one trial per core is how a sweep uses the machine). A trial's results are written in one
 * transaction when it ends, so killing everything at any moment loses at most the trials in
 * flight; the next run re-queues them and skips every completed one.
 *
 * @module
 */
import type { ResultStore, StatusCounts, TrialInfo } from "../store/mod.ts";
import { formatDuration, readTrainState, type TrainState, writeTrainState } from "../train/mod.ts";
import { type ExecuteContext, executeTrial, type TrialContinuation } from "./execute.ts";
import {
  findCapContinuation,
  recordLineage,
  type RunSeconds,
  saveEndState,
} from "./cap_continuation.ts";
import { Heartbeat } from "./heartbeat.ts";
import type { TrialSpec } from "./trial.ts";
import { advanceTuning } from "./tune.ts";

/** Options of {@linkcode runTrials}. */
export interface ScheduleOptions extends ExecuteContext {
  experiment: string;
  /** Worker processes (1 = run in this process). */
  jobs: number;
  /** Starts worker `i` (only called when the trials do not run in this process). */
  spawnWorker?: (i: number) => Deno.ChildProcess;
  /** Progress lines on stderr (trials done/total, ETA). */
  progress?: boolean;
  /**
   * Called once before trials run in this process (see {@linkcode runsInProcess}), e.g. to
   * initialise TF.js; worker processes initialise their own.
   */
  beforeInProcess?: () => Promise<unknown> | void;
}

/**
 * Whether {@linkcode runTrials} runs the trials in this process: one job, or at most one trial
 * pending (a worker process would only add its start-up to it) and none to come. Under tuning
 * more trials come: a completed rung releases the next one and then the final seeds, so a tuned
 * experiment resumed with a single trial pending still gets its `jobs` workers.
 */
export function runsInProcess(jobs: number, pending: number, moreToCome = false): boolean {
  return jobs <= 1 || (pending <= 1 && !moreToCome);
}

/**
 * How many worker processes {@linkcode runTrials} starts when the trials do not run in this
 * process: one per job, but no more than the pending trials where no more can come.
 */
export function workerCount(jobs: number, pending: number, moreToCome = false): number {
  return moreToCome ? jobs : Math.min(jobs, pending);
}

/** A progress reporter over the store's status counts. */
function progressLine(workers: number, startDone: number) {
  const t0 = performance.now();
  let lastDone = -1;
  return (c: StatusCounts, force = false) => {
    // The total is re-read every time: another run may link trials to the same experiment.
    const done = c.done + c.failed, total = done + c.pending + c.running;
    if (done === lastDone && !force) return;
    lastDone = done;
    const elapsed = (performance.now() - t0) / 1000, ran = done - startDone;
    const eta = ran > 0 ? (elapsed / ran) * (total - done) : NaN;
    console.error(
      `[trials ${done}/${total}${c.failed ? `, ${c.failed} failed` : ""}` +
        `${c.running ? `, ${c.running} running` : ""}] elapsed ${formatDuration(elapsed)}` +
        ` eta ${formatDuration(eta)}${workers > 1 ? ` (${workers} workers)` : ""}`,
    );
  };
}

/**
 * How a claimed trial continues earlier work: from the saved state of its configuration's
 * previous rung when there is one, else from the end of a finished run of it under a smaller
 * epoch cap (`cap_continuation.ts`), else from scratch (same result, more time). It saves its
 * own state when a next rung may continue it, and (with checkpoints on) its kept checkpoint and
 * end state for a larger cap when an experiment reads it as a result — both when its key is a
 * lower rung of one tuned experiment and a result of another. With `fromScratch` it never
 * continues a smaller cap's run, nor another experiment's rung. `rungs` holds the
 * seconds of the rungs below it that it continues (stored as their own trials, so not in its
 * outcome): what a larger cap continuing it owes besides its own.
 */
async function continuationOf(
  store: ResultStore,
  t: TrialSpec,
  o: { experiment: string; checkpoints: boolean; fromScratch: boolean; silent?: boolean },
  ended: (e: { epoch: number; stopped: boolean }) => void,
): Promise<TrialContinuation & { rungs: RunSeconds }> {
  const { checkpoints, silent } = o;
  const c = await store.continuation(t.key);
  // A fresh run continues only its own lower rungs, which it has just run again: another
  // sweep's state of the same configuration was saved before and may be stale code's.
  const own = o.fromScratch
    ? new Set((await store.trials(o.experiment)).map((i) => i.spec.key))
    : undefined;
  const from = await furthestState(store, own ? c.previous.filter((k) => own.has(k)) : c.previous);
  // Only a trial that keeps an end state (not a lower rung only) records what it cost.
  const rungs = await rungSeconds(store, o.experiment, c.keep ? from?.key : undefined);
  let resume = from?.state;
  let prior: TrialContinuation["prior"];
  if (!resume && !c.save && checkpoints && !o.fromScratch) {
    const found = await findCapContinuation(store.artifactsRoot(), (k) => store.artifactDir(k), t);
    if (found) {
      resume = found.state;
      prior = found.from.seconds;
      if (!silent) {
        console.error(
          `${t.dataset} ${t.label} seed ${t.seed}: continues trial ${found.from.key}` +
            (found.from.stopped
              ? ` (stopped on patience at epoch ${found.from.epochs}: nothing to train)`
              : ` from epoch ${found.from.epochs} to ${t.settings.epochs}`),
        );
      }
    }
  }
  const dir = store.artifactDir(t.key);
  const keepEnd = checkpoints && c.keep;
  return {
    rungs,
    resume,
    prior,
    save: c.save || keepEnd
      ? async (st) => {
        if (c.save) await writeTrainState(store.statePath(t.key), st);
        if (keepEnd && await saveEndState(dir, t, st)) {
          ended({ epoch: st.epoch, stopped: st.stopped });
        }
      }
      : undefined,
    // A lower rung's kept checkpoint is never looked at: it has its training state instead.
    checkpoint: keepEnd ? store.checkpointPath(t.key) : undefined,
    testQueries: keepEnd ? store.testQueriesPath(t.key) : undefined,
  };
}

/**
 * Of the saved training states of `keys` (a configuration's trials one rung below, one per sweep
 * that tunes it), the one that trained furthest; undefined when none is saved (any one continues
 * to the same numbers as training straight through, so the furthest saves the most time).
 *
 * @example Usage
 * ```ts ignore
 * const from = await furthestState(store, (await store.continuation(key)).previous);
 * from?.key; // the lower rung whose state the trial continues
 * ```
 */
export async function furthestState(
  store: Pick<ResultStore, "statePath">,
  keys: readonly string[],
): Promise<{ key: string; state: TrainState } | undefined> {
  let best: { key: string; state: TrainState } | undefined;
  for (const key of keys) {
    const state = await readTrainState(store.statePath(key));
    if (state && (!best || state.epoch > best.state.epoch)) best = { key, state };
  }
  return best;
}

/**
 * The recorded seconds of a tuning rung's trial and of every rung below it that it continued.
 * A rung below may be another sweep's (a shared key), so a trial not in `experiment` is looked up
 * in every experiment of the store; where a rung had several below it, the walk takes the one of
 * most epochs, as {@linkcode furthestState} did when their states were all saved.
 */
export async function rungSeconds(
  store: ResultStore,
  experiment: string,
  key: string | undefined,
): Promise<RunSeconds> {
  const sum: RunSeconds = { setupSeconds: 0, trainSeconds: 0, evalSeconds: 0 };
  if (key === undefined) return sum;
  const byKey = new Map((await store.trials(experiment)).map((i) => [i.spec.key, i]));
  let everywhere: Map<string, TrialInfo> | undefined;
  for (let k: string | undefined = key; k !== undefined; k = await furthestBelow(store, k)) {
    if (!byKey.has(k)) everywhere ??= await store.allTrials();
    const i = byKey.get(k) ?? everywhere?.get(k);
    sum.setupSeconds += i?.setupSeconds ?? 0;
    sum.trainSeconds += i?.trainSeconds ?? 0;
    sum.evalSeconds += i?.evalSeconds ?? 0;
  }
  return sum;
}

/** Of a rung's trials one rung below (one per sweep that tunes it), the one of most epochs. */
async function furthestBelow(store: ResultStore, key: string): Promise<string | undefined> {
  const { previous } = await store.continuation(key);
  if (previous.length <= 1) return previous[0];
  const epochs = await store.trialEpochs(previous);
  return previous.reduce((a, b) => (epochs.get(b) ?? 0) > (epochs.get(a) ?? 0) ? b : a);
}

/** Seconds a worker waits before looking again for work that tuning may release. */
const POLL_SECONDS = 2;

/** Options of {@linkcode workLoop}. */
export interface WorkLoopOptions extends ExecuteContext {
  experiment: string;
  /** Called (and awaited) after every trial this process ran. */
  onTrial?: () => void | Promise<void>;
  /** The coordinator's process id: when it is gone (reparented), stop taking trials. */
  parent?: number;
  /**
   * Stay while other workers' trials run, to take over any whose lease expires (a cluster job
   * array, whose tasks outlive no coordinator); by default a worker leaves when none is pending.
   */
  waitForRunning?: boolean;
}

/**
 * Claims and runs trials in this process until none is pending and (under tuning) none can be
 * released any more. While a trial runs, a heartbeat renews its lease. Returns trials run.
 */
export async function workLoop(store: ResultStore, o: WorkLoopOptions): Promise<number> {
  const beat = await Heartbeat.start(store);
  try {
    return await claimAndRun(store, o, beat);
  } finally {
    await beat.stop();
  }
}

async function claimAndRun(store: ResultStore, o: WorkLoopOptions, beat: Heartbeat) {
  let ran = 0;
  const tuned = (await store.tuneEntries(o.experiment)).length > 0;
  for (;;) {
    // A worker whose coordinator died (reparented) stops taking new trials.
    if (o.parent !== undefined && Deno.ppid !== o.parent) break;
    const t = await store.claim(o.experiment);
    if (!t) {
      if (!tuned && !o.waitForRunning) break;
      if (tuned && await advanceTuning(store, o.experiment) > 0) continue;
      // Another worker's trial may still release work (a rung it completes): wait for it.
      await store.requeueStale(o.experiment);
      const c = await store.counts(o.experiment);
      if (c.running === 0) {
        // The last running trial may have completed since this worker advanced the tuning
        // above: with nothing running its rung is final, so advance once more before leaving.
        if (c.pending === 0 && !(tuned && await advanceTuning(store, o.experiment) > 0)) break;
        continue;
      }
      await new Promise((r) => setTimeout(r, POLL_SECONDS * 1000));
      continue;
    }
    beat.hold(t.key);
    try {
      let ended: { epoch: number; stopped: boolean } | undefined;
      const cont = await continuationOf(store, t, {
        experiment: o.experiment,
        checkpoints: !o.noCheckpoints,
        fromScratch: o.fromScratch ?? false,
        silent: o.silent,
      }, (e) => ended = e);
      const outcome = await executeTrial(t, o, cont);
      if (beat.lost.has(t.key)) console.error(`trial ${t.key}: lease lost while it ran`);
      // Its lease lapsed and another worker took the trial over and finished it first: that
      // result stands (the first wins), and this one is not stored.
      if (!await store.complete(t.key, outcome)) {
        console.error(
          `trial ${t.key}: finished by another worker first; this run's result dropped`,
        );
        ended = undefined;
      }
      if (ended) {
        // A larger cap finds it only once its outcome is stored.
        // A tuned row's top rung owes its lower rungs' seconds too (see continuationOf).
        await recordLineage(store.artifactsRoot(), t, ended, {
          setupSeconds: outcome.setupSeconds + cont.rungs.setupSeconds,
          trainSeconds: outcome.report.trainSeconds + cont.rungs.trainSeconds,
          evalSeconds: outcome.report.evalSeconds + cont.rungs.evalSeconds,
        });
      }
      if (tuned) await advanceTuning(store, o.experiment);
    } catch (e) {
      const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
      await store.fail(t.key, msg);
      console.error(`trial ${t.key} (${t.dataset} ${t.label} seed ${t.seed}) failed: ${msg}`);
    } finally {
      beat.hold(null);
    }
    ran++;
    await o.onTrial?.();
  }
  return ran;
}

/** Runs every pending trial of `o.experiment`; returns the final status counts. */
export async function runTrials(store: ResultStore, o: ScheduleOptions): Promise<StatusCounts> {
  let start = await store.counts(o.experiment);
  // Tuning with nothing running: release what completed rungs allow before choosing, so that a
  // finished sweep runs nothing in-process rather than starting idle workers.
  const tuning = (await store.tuneEntries(o.experiment)).length > 0;
  if (tuning && start.running === 0) {
    await advanceTuning(store, o.experiment);
    start = await store.counts(o.experiment);
  }
  // Under tuning, trials that complete may release more (the next rung, the final seeds).
  const moreToCome = tuning && (start.pending > 0 || start.running > 0);
  const inProcess = runsInProcess(o.jobs, start.pending, moreToCome);
  const n = inProcess ? 1 : workerCount(o.jobs, start.pending, moreToCome);
  // The line names the workers that run, not the ones asked for.
  const report = progressLine(n, start.done + start.failed);
  if (o.progress) report(start, true);
  if (inProcess) {
    await o.beforeInProcess?.();
    await workLoop(store, {
      ...o,
      onTrial: async () => {
        if (o.progress) report(await store.counts(o.experiment));
      },
    });
    return store.counts(o.experiment);
  }
  if (!o.spawnWorker) throw new Error("runTrials: jobs > 1 needs spawnWorker");
  const workers = Array.from({ length: n }, (_, i) => o.spawnWorker!(i));
  const timer = setInterval(() => {
    // A progress line skipped while the store is busy is no loss.
    if (o.progress) store.counts(o.experiment).then((c) => report(c), () => {});
  }, 2000);
  try {
    const codes = await Promise.all(workers.map((w) => w.status));
    const bad = codes.filter((c) => !c.success);
    if (bad.length) console.error(`${bad.length} worker(s) exited abnormally`);
  } finally {
    clearInterval(timer);
  }
  const end = await store.counts(o.experiment);
  if (o.progress) report(end, true);
  return end;
}
