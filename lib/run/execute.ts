/**
 * Runs one trial in this process: load (once per process) and split its dataset, build the
 * model from the registry with the trial's seed, train with checkpoint selection on cold
 * validation, test the kept checkpoint, and return what the store records.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type Dataset, loadDataset } from "../data/mod.ts";
import type { ColdStartModel } from "../models/model.ts";
import { withPretrainProgress } from "../models/common/warm_embeddings.ts";
import { resolveModel } from "../models/registry.ts";
import { Rng, type RngState } from "../rng/mod.ts";
import { canonicalPairs } from "../split/fingerprint.ts";
import type { ColdSplit } from "../split/types.ts";
import type { TrialOutcome } from "../store/mod.ts";
import { tf } from "../tf/mod.ts";
import { formatDuration, LOG_SECONDS, type ProgressSink, stderrSink } from "../train/progress.ts";
import { trainAndEvaluate, type TrainState } from "../train/trainer.ts";
import { canonicalJson, type TrialSpec } from "./plan.ts";
import { writeCheckpoint } from "./checkpoint.ts";
import { splitFor } from "./split_for.ts";
import { TOOLKIT_VERSION } from "./version.ts";
import { writeQueryMetrics } from "../store/mod.ts";

/** Process-wide context of trial execution. */
export interface ExecuteContext {
  codeVersion: string;
  /** Folder for cross-trial caches (pretrained warm embeddings). */
  cacheDir?: string;
  silent?: boolean;
  /** Overrides `settings.logEvery` of the progress lines (workers print less). */
  logEvery?: number;
  /** Do not write finished trials' kept checkpoints (by default the scheduler writes them). */
  noCheckpoints?: boolean;
  /**
   * No trial continues a finished run under a smaller cap (`run --fresh`: its stored state may
   * come from other code); tuning rungs still continue the rung below, run afresh in the same run.
   */
  fromScratch?: boolean;
}

const datasets = new Map<string, { ds: Dataset; fingerprint: string }>();
const splits = new Map<string, ColdSplit>();

/** SHA-256 (16 hex digits) of a dataset's interactions, attributes and modalities. */
export function datasetFingerprint(ds: Dataset): string {
  const h = createHash("sha256");
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(bytes(canonicalPairs(ds.interactions)));
  h.update(bytes(ds.attributes.offsets)).update(bytes(ds.attributes.tokens));
  for (const m of ds.modalities) h.update(`${m.name}:${m.dim}`).update(bytes(m.data));
  return h.digest("hex").slice(0, 16);
}

/**
 * Loads a trial's dataset, reusing it across trials of this process. A real set takes seconds
 * to minutes to read: on a terminal a line says which one is loading while it does (erased
 * when done), and a load that took {@linkcode LOG_SECONDS} or more leaves one line with its
 * time and size, on a terminal and in a log alike. `notice` is where it says so (stderr; tests
 * collect it).
 */
export async function trialDataset(
  t: TrialSpec,
  notice: ProgressSink = stderrSink,
): Promise<{ ds: Dataset; fingerprint: string }> {
  const id = canonicalJson(t.datasetSpec);
  let hit = datasets.get(id);
  if (!hit) {
    const t0 = performance.now();
    const tty = notice.tty;
    if (tty) notice.write(`\rloading dataset ${t.dataset} (${t.datasetSpec.kind})...\x1b[K`);
    let ds: Dataset;
    try {
      ds = await loadDataset(t.datasetSpec);
    } finally {
      if (tty) notice.write("\r\x1b[K");
    }
    hit = { ds, fingerprint: datasetFingerprint(ds) };
    const seconds = (performance.now() - t0) / 1000;
    if (seconds >= LOG_SECONDS) {
      notice.write(
        `loaded dataset ${t.dataset} in ${formatDuration(seconds)}: ${ds.userIds.length} users, ` +
          `${ds.itemIds.length} items, ${ds.interactions.users.length} interactions\n`,
      );
    }
    datasets.set(id, hit);
  }
  return hit;
}

/** How a trial continues another's run and leaves its own to be continued (tuning rungs). */
export interface TrialContinuation {
  /** The state a shorter run of the same configuration and seed saved at its end. */
  resume?: TrainState;
  /** Receives this run's state (with its random generators) when training ends. */
  save?: (state: TrainState) => Promise<void>;
  /** Where to write the kept checkpoint (`lib/run/checkpoint.ts`); none when absent. */
  checkpoint?: string;
  /** Where to write the test metrics per query (`lib/store/test_queries.ts`); none when absent. */
  testQueries?: string;
  /**
   * Seconds of the stored run that `resume` comes from when it is not in this trial's
   * experiment (a smaller epoch cap, `cap_continuation.ts`): added to this trial's, so that its
   * record says what its result cost.
   */
  prior?: { setupSeconds: number; trainSeconds: number; evalSeconds: number };
}

/**
 * Builds a trial's model from its config and seed on its dataset and split, as every run of the
 * trial does. Every random stream of the trial forks from the returned `rng`, so its state is
 * the trial's whole randomness (see `Rng.state`): a continued run restores it after this.
 */
export function buildTrialModel(
  t: TrialSpec,
  ds: Dataset,
  split: ColdSplit,
  cacheDir?: string,
): { model: ColdStartModel; rng: Rng } {
  const rng = new Rng(t.seed).fork(`${t.dataset}/${t.model}`);
  const model = resolveModel(t.model).create({ ...t.config }, {
    dataset: ds,
    split,
    rng: rng.fork("model"),
    seed: t.seed,
    cacheDir,
  });
  return { model, rng };
}

/**
 * Runs one trial and returns its outcome (throws on failure; nothing is written here). With
 * `cont.resume` it continues the saved run of the same configuration and seed (fewer epochs)
 * instead of starting over: the outcome is the same as training straight through, with the
 * timings of the continuation only.
 */
export async function executeTrial(
  t: TrialSpec,
  ctx: ExecuteContext,
  cont: TrialContinuation = {},
): Promise<TrialOutcome> {
  const t0 = performance.now();
  const { ds, fingerprint } = await trialDataset(t);
  const s = t.settings;
  // Trials of one dataset share its split: compute (and fingerprint) it once per process.
  const splitId = canonicalJson([
    t.datasetSpec,
    s.splitTrain,
    s.splitValid,
    s.splitTest,
    s.splitSeed,
  ]);
  let split = splits.get(splitId);
  if (!split) splits.set(splitId, split = splitFor(ds, s));
  // Models that start from BPR-MF embeddings pretrain here: show it as training is shown.
  const point = t.pointLabel ? ` [${t.pointLabel}]` : "";
  const label = `${t.dataset} ${t.label}${point} seed ${t.seed}`;
  const { model, rng } = withPretrainProgress(
    { label, silent: ctx.silent, logEvery: ctx.logEvery ?? s.logEvery },
    () => buildTrialModel(t, ds, split, ctx.cacheDir),
  );
  if (cont.resume) {
    if (cont.resume.rng === undefined) throw new Error("the saved run has no generator state");
    rng.setState(cont.resume.rng as RngState);
  }
  const setupSeconds = (performance.now() - t0) / 1000;
  try {
    // The trial's settings go to the engine as they are: it reads the ones it knows by name.
    const report = await trainAndEvaluate(model, split, {
      ...s,
      label,
      silent: ctx.silent,
      logEvery: ctx.logEvery ?? s.logEvery,
      resume: cont.resume,
      onEnd: cont.save && ((st) => cont.save!({ ...st, rng: rng.state() })),
    }, rng.fork("train"));
    if (cont.checkpoint) await writeCheckpoint(cont.checkpoint, model.params, t);
    if (cont.testQueries && report.testQueries) {
      // The trial's results stand without them (reports then print no interval over queries).
      await writeQueryMetrics(cont.testQueries, report.testQueries).catch((e) =>
        console.warn(
          `warning: ${cont.testQueries}: test metrics per query not written: ${
            e instanceof Error ? e.message : e
          }`,
        )
      );
    }
    const prior = cont.prior;
    if (prior) {
      report.trainSeconds += prior.trainSeconds;
      report.evalSeconds += prior.evalSeconds;
    }
    return {
      protocol: s.protocol,
      datasetFingerprint: fingerprint,
      split: { description: split.description, fingerprint: split.fingerprint },
      toolkitVersion: TOOLKIT_VERSION,
      codeVersion: ctx.codeVersion,
      backend: tf.getBackend(),
      parameters: model.params.count(),
      setupSeconds: setupSeconds + (prior?.setupSeconds ?? 0),
      report,
    };
  } finally {
    model.dispose();
  }
}
