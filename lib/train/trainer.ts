/**
 * The training engine: seeded interaction-level epochs, Adam with weight decay, validation on
 * the cold-validation items every N steps, the best checkpoint (by one validation metric) kept,
 * and test metrics computed only for that checkpoint.
 *
 * @module
 */
import { type EvalOptions, evaluate, type QueryMetrics, queryMetricsOf } from "../eval/mod.ts";
import { Optimizer, type OptimizerState } from "../nn/mod.ts";
import type { Rng } from "../rng/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import { buildInteractionIndex } from "./interaction_index.ts";
import type { ColdStartModel } from "./model.ts";
import { progressBar } from "./progress.ts";
import { splitBatches } from "./sampler.ts";
import type { TrainSettings } from "./settings.ts";

export type { TrainSettings };

/**
 * What a run is given: the engine settings (a trial's {@linkcode RunSettings} as they are, or
 * the subset {@linkcode TrainSettings} names) and the caller's hooks.
 */
export interface TrainOptions extends TrainSettings {
  /**
   * Evaluator options; by default the settings' block sizes, and under `user2item` with
   * `candidates: all-cold` every cold item (validation and test) as candidates.
   */
  evalOptions?: EvalOptions;
  /** Progress output: label, and whether to be silent. */
  label?: string;
  silent?: boolean;
  /**
   * Continue a run from the state another run saved at its end (see `onEnd`), instead of from
   * the model's initial parameters. The model must be built from the same config and seed, and
   * the caller restores its random generators (`TrainState.rng`). The result equals training
   * straight through (validation must be once per epoch: `evalEvery` 0).
   */
  resume?: TrainState;
  /** Called with the run's state when training ends, before the kept checkpoint is restored. */
  onEnd?: (state: TrainState) => void | Promise<void>;
}

/**
 * Everything a run needs to continue later exactly where it stopped: parameters (current and
 * kept), optimizer moments, position, the validation curve so far, and (set by the caller) the
 * trial's random generators. `lib/train/train_state.ts` writes it as a safetensors file.
 */
export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  steps: number;
  /** Validations without improvement so far. */
  stale: number;
  /** Training ended for good (early stopping): continuing only tests the kept checkpoint. */
  stopped: boolean;
  bestStep: number;
  best: Record<string, number>;
  curve: CurvePoint[];
  params: Map<string, Float32Array>;
  bestParams: Map<string, Float32Array>;
  optimizer: OptimizerState;
  /** The caller's random generators (e.g. `Rng.state()` of the trial's root generator). */
  rng?: unknown;
}

/** One validation point. */
export interface CurvePoint {
  step: number;
  epoch: number;
  metrics: Record<string, number>;
  /** Mean of each loss term since the previous point. */
  losses: Record<string, number>;
  /** The model's diagnostics and inference gaps at this point (see `ColdStartModel`). */
  diagnostics?: Record<string, number>;
}

/** Items and users diagnostics are taken on: at most this many of each, evenly spaced. */
export const DIAGNOSTIC_ITEMS = 256, DIAGNOSTIC_USERS = 512;

/** At most `n` entries of `xs`, evenly spaced (deterministic: no random draws). */
export function evenlySpaced(xs: Int32Array, n: number): Int32Array {
  if (xs.length <= n) return xs;
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = xs[Math.floor((k * xs.length) / n)];
  return out;
}

/** What training produced. */
export interface TrainReport {
  /** Step of the kept checkpoint (0 = initial parameters). */
  bestStep: number;
  /** Validation metrics of the kept checkpoint. */
  valid: Record<string, number>;
  /** Test metrics of the kept checkpoint only. */
  test: Record<string, number>;
  /** The same test metrics per query (cold item or user): `test` is their mean. */
  testQueries?: QueryMetrics;
  curve: CurvePoint[];
  steps: number;
  /** Wall time spent training and evaluating, in seconds. */
  trainSeconds: number;
  evalSeconds: number;
  /** Training interactions processed per second. */
  interactionsPerSecond: number;
}

/** The evaluator options of a run: the given ones, else those its settings imply. */
export function evalOptionsOf(o: TrainOptions, split: ColdSplit): EvalOptions | undefined {
  if (o.evalOptions) return o.evalOptions;
  const allCold = o.protocol === "user2item" && o.candidates === "all-cold";
  if (!allCold && o.userChunk === undefined && o.itemChunk === undefined) return undefined;
  return {
    userChunk: o.userChunk,
    itemChunk: o.itemChunk,
    candidateItems: allCold
      ? Int32Array.from([...split.validItems, ...split.testItems])
      : undefined,
  };
}

/**
 * Trains `model` on `split.train`, selects the checkpoint on cold validation and tests it.
 * A model with `needs === null` (nothing to train) is validated and tested as is.
 */
export async function trainAndEvaluate(
  model: ColdStartModel,
  split: ColdSplit,
  options: TrainOptions,
  rng: Rng,
): Promise<TrainReport> {
  const opts = { ...options, evalOptions: evalOptionsOf(options, split) };
  const metricOf = (m: Record<string, number>) => {
    const v = m[opts.selectMetric];
    if (v === undefined) {
      throw new RangeError(
        `Cannot select on "${opts.selectMetric}": the ${opts.protocol} protocol reports ` +
          Object.keys(m).map((k) => `"${k}"`).join(", "),
      );
    }
    return v;
  };
  let evalSeconds = 0;
  const validate = async () => {
    const t = performance.now();
    const r = await evaluate(model.scorer(), split, "valid", opts.protocol, opts.evalOptions);
    evalSeconds += (performance.now() - t) / 1000;
    return r.metrics;
  };
  const diagItems = evenlySpaced(split.validItems, DIAGNOSTIC_ITEMS);
  const diagUsers = evenlySpaced(split.trainUsers, DIAGNOSTIC_USERS);
  /** The model's diagnostics and the gap of each alternative inference mode, if it has any. */
  const diagnose = async (metrics: Record<string, number>) => {
    if (!model.diagnostics && !model.alternativeScorers) return undefined;
    const t = performance.now();
    const out: Record<string, number> = { ...model.diagnostics?.(diagItems, diagUsers) };
    for (const [name, sc] of Object.entries(model.alternativeScorers?.() ?? {})) {
      const r = await evaluate(sc, split, "valid", opts.protocol, opts.evalOptions);
      out[`gap.${name}`] = metricOf(metrics) - metricOf(r.metrics);
    }
    evalSeconds += (performance.now() - t) / 1000;
    return out;
  };

  const from = opts.resume;
  if (from && opts.evalEvery !== 0) {
    throw new RangeError("Cannot resume a run that validates mid-epoch (evalEvery must be 0)");
  }
  const curve: CurvePoint[] = from ? structuredClone(from.curve) : [];
  let best = from ? { ...from.best } : await validate();
  metricOf(best); // fails fast on a metric the protocol does not report
  let bestStep = from?.bestStep ?? 0, steps = from?.steps ?? 0;
  let trainSeconds = 0, interactions = 0;
  if (!from) {
    curve.push({ step: 0, epoch: 0, metrics: best, losses: {}, diagnostics: await diagnose(best) });
  }

  if (model.needs !== null) {
    const opt = new Optimizer(model.params, {
      lr: opts.lr,
      weightDecay: opts.weightDecay,
      decoupled: opts.decoupledWeightDecay ?? false,
      tableLrScale: opts.embeddingLrScale ?? 1,
      tableUpdate: opts.tableUpdate ?? "lazy",
    });
    const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
    const perEpoch = Math.ceil(split.train.users.length / opts.batchSize);
    const total = opts.maxSteps
      ? Math.min(opts.maxSteps, perEpoch * opts.epochs)
      : perEpoch * opts.epochs;
    const evalEvery = opts.evalEvery > 0 ? opts.evalEvery : perEpoch;
    if (from) {
      model.params.setValues(from.bestParams);
    }
    let snapshot = model.params.snapshot();
    // A run that stopped on patience trains no further: only its kept parameters are read (its
    // saved state may hold nothing else, see `lib/run/cap_continuation.ts`).
    if (from && !from.stopped) {
      model.params.setValues(from.params);
      opt.loadState(from.optimizer);
    }
    const bar = progressBar({
      label: opts.label ?? model.name,
      total,
      silent: opts.silent,
      logEvery: opts.logEvery,
    });
    let sums: Record<string, number> = {}, count = 0, stale = from?.stale ?? 0;
    let stopped = from?.stopped ?? false, epochsDone = from?.epoch ?? 0;
    const sampleRng = rng.fork("sampler");
    try {
      outer: for (let epoch = epochsDone + 1; epoch <= opts.epochs && !stopped; epoch++) {
        const batches = splitBatches(split, index, opts.batchSize, model.needs, sampleRng);
        for (const batch of batches) {
          const t = performance.now();
          const terms = model.trainStep(batch, opt);
          trainSeconds += (performance.now() - t) / 1000;
          interactions += batch.users.length;
          steps++;
          for (const [k, v] of Object.entries(terms)) {
            if (!Number.isFinite(v)) {
              throw new RangeError(`Training diverged at step ${steps}: loss term "${k}" is ${v}`);
            }
            sums[k] = (sums[k] ?? 0) + v;
          }
          count++;
          bar.update(steps, `loss ${(terms.loss ?? NaN).toFixed(4)}`);
          const last = steps === total;
          if (steps % evalEvery === 0 || last) {
            const metrics = await validate();
            const losses = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / count]));
            curve.push({
              step: steps,
              epoch,
              metrics,
              losses,
              diagnostics: await diagnose(metrics),
            });
            sums = {};
            count = 0;
            const better = metricOf(metrics) > metricOf(best);
            bar.note(
              `  step ${steps} epoch ${epoch}: valid ${opts.selectMetric} ${
                metricOf(metrics).toFixed(4)
              }${better ? " (best)" : ""}`,
            );
            if (better) {
              model.params.disposeSnapshot(snapshot);
              snapshot = model.params.snapshot();
              best = metrics;
              bestStep = steps;
              stale = 0;
            } else if (opts.patience > 0 && ++stale >= opts.patience) {
              stopped = true;
              epochsDone = epoch;
              break outer;
            }
          }
          if (last) {
            // A step cap inside an epoch cannot be continued by epochs: it ends the run.
            stopped ||= steps < perEpoch * epoch;
            epochsDone = epoch;
            break outer;
          }
        }
        epochsDone = epoch;
      }
      if (opts.onEnd) {
        await opts.onEnd({
          epoch: epochsDone,
          steps,
          stale,
          stopped,
          bestStep,
          best,
          curve: structuredClone(curve),
          params: model.params.values(),
          bestParams: model.params.snapshotValues(snapshot),
          optimizer: opt.state(),
        });
      }
      model.params.restore(snapshot);
    } finally {
      bar.done();
      opt.dispose();
      model.params.disposeSnapshot(snapshot);
    }
  }
  const t = performance.now();
  const test = await evaluate(model.scorer(), split, "test", opts.protocol, {
    ...opts.evalOptions,
    keepLists: true,
  });
  evalSeconds += (performance.now() - t) / 1000;
  return {
    bestStep,
    valid: best,
    test: test.metrics,
    testQueries: queryMetricsOf(test),
    curve,
    steps,
    trainSeconds,
    evalSeconds,
    interactionsPerSecond: trainSeconds > 0 ? interactions / trainSeconds : 0,
  };
}
