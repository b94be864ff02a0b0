/**
 * Training-throughput benchmark: interactions per second of a registered model's training step
 * (sampling included) on a dataset, measured over a fixed number of steps after warm-up, and the
 * seconds one epoch of the split's training interactions takes at that rate.
 *
 * @example Usage
 * ```ts
 * import { measureTraining } from "./training.ts";
 * const m = measureTraining(ds, resolveModel("clcrec"), { batchSize: 4096, steps: 10 });
 * m.interactionsPerSecond; m.epochSeconds; // epochSeconds = m.epochInteractions / rate
 * ```
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import { Optimizer } from "../nn/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import { buildInteractionIndex } from "../train/interaction_index.ts";
import type { ColdStartModel, ModelSpec } from "../train/model.ts";
import { splitBatches, type TrainBatch } from "../train/sampler.ts";
import { epochSeconds } from "./reference.ts";
import type { BenchFigure } from "./runtime.ts";

/** Untimed steps before a training measurement (see {@linkcode TrainingOptions.warmup}). */
export const WARMUP_STEPS = 12;

/** What to measure. */
export interface TrainingOptions {
  batchSize: number;
  /** Timed steps, after `warmup` untimed ones; epochs follow one another as needed. */
  steps: number;
  /**
   * Untimed steps first (default 12): the wasm heap and the kernels' buffers grow over a run's
   * first steps, and a trial trains for thousands. After 3 the first DropoutNet figure in a process
   * read 20,700–25,800/s, after 12 28,400/s (a second run in the same process: 30,300–31,400/s).
   */
  warmup?: number;
  /** Config overrides on the model's defaults (e.g. `{ dim: 64 }`). */
  config?: Record<string, unknown>;
  /** The split to train on (default: `coldItemSplit(ds, { seed: 0 })`). */
  split?: ColdSplit;
  /** Caches shared between runs (pretrained warm embeddings); none = in memory only. */
  cacheDir?: string;
  /** Called after each timed step with its batch and the model (e.g. to count its shapes); its time is not counted. */
  onStep?: (batch: TrainBatch, model: ColdStartModel) => void;
}

/** A training measurement. */
export interface TrainingMeasurement {
  /** Training interactions per second of the timed steps, sampling included. */
  interactionsPerSecond: number;
  /** Timed steps and their wall seconds. */
  steps: number;
  seconds: number;
  /** Training interactions of one epoch of the split. */
  epochInteractions: number;
  /** Seconds one epoch takes at the measured rate (training only, no validation). */
  epochSeconds: number;
}

/**
 * Measures the training interactions/s of the model `spec` builds (e.g. `resolveModel("clcrec")`)
 * over `steps` batches of `batchSize`, sampling included.
 */
export function measureTraining(
  ds: Dataset,
  spec: ModelSpec<any>,
  opts: TrainingOptions,
): TrainingMeasurement {
  const split = opts.split ?? coldItemSplit(ds, { seed: 0 });
  const model = spec.create({ ...spec.defaults, ...opts.config }, {
    dataset: ds,
    split,
    rng: new Rng(1),
    seed: 0,
    cacheDir: opts.cacheDir,
  });
  const opt = new Optimizer(model.params, { lr: 1e-3 });
  try {
    if (!model.needs) throw new RangeError(`Model "${spec.name}" does not train`);
    const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
    const warm = opts.warmup ?? WARMUP_STEPS;
    let done = 0, timed = 0, interactions = 0, t0 = 0, secs = 0, hook = 0;
    // Epochs follow one another until warm-up and the timed steps are done.
    for (let epoch = 0; done < warm + opts.steps; epoch++) {
      const rng = new Rng(2 + epoch), before = done;
      for (const batch of splitBatches(split, index, opts.batchSize, model.needs, rng)) {
        if (done === warm) t0 = performance.now();
        model.trainStep(batch, opt);
        if (done >= warm) {
          timed++;
          interactions += batch.users.length;
          if (opts.onStep) {
            const h = performance.now();
            opts.onStep(batch, model);
            hook += performance.now() - h; // not part of what is measured
          }
        }
        if (++done === warm + opts.steps) break;
      }
      if (done === before) throw new RangeError(`${ds.name}: the split has no training batch`);
      secs = (performance.now() - t0 - hook) / 1000;
    }
    const rate = interactions / secs;
    const epochInteractions = split.train.users.length;
    return {
      interactionsPerSecond: rate,
      steps: timed,
      seconds: secs,
      epochInteractions,
      epochSeconds: epochSeconds(epochInteractions, rate),
    };
  } finally {
    model.dispose();
    opt.dispose();
  }
}

/**
 * Measures the training interactions/s of the model `spec` builds (e.g. `resolveModel("clcrec")`)
 * over `steps` batches of `batchSize`, as one printable figure.
 */
export function trainingThroughput(
  ds: Dataset,
  spec: ModelSpec<any>,
  opts: TrainingOptions,
): BenchFigure {
  const m = measureTraining(ds, spec, opts);
  return {
    name: `${spec.label} training, ${ds.name} (batch ${opts.batchSize})`,
    value: m.interactionsPerSecond,
    unit: "interactions/s",
    note: `${m.epochInteractions} training interactions, sampling included`,
  };
}
