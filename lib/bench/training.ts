/**
 * Training-throughput benchmark: interactions per second of a registered model's training step
 * (sampling included) on a dataset, measured over a fixed number of steps after warm-up.
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import { Optimizer } from "../nn/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { buildInteractionIndex } from "../train/interaction_index.ts";
import type { ModelSpec } from "../train/model.ts";
import { splitBatches } from "../train/sampler.ts";
import type { BenchFigure } from "./runtime.ts";

/**
 * Measures the training interactions/s of the model `spec` builds (e.g. `resolveModel("clcrec")`)
 * over `steps` batches of `batchSize`.
 */
export function trainingThroughput(
  ds: Dataset,
  spec: ModelSpec<any>,
  opts: { batchSize: number; steps: number; warmup?: number; config?: Record<string, unknown> },
): BenchFigure {
  const split = coldItemSplit(ds, { seed: 0 });
  const model = spec.create({ ...spec.defaults, ...opts.config }, {
    dataset: ds,
    split,
    rng: new Rng(1),
  });
  if (!model.needs) throw new RangeError(`Model "${spec.name}" does not train`);
  const opt = new Optimizer(model.params, { lr: 1e-3 });
  const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
  const batches = splitBatches(split, index, opts.batchSize, model.needs, new Rng(2));
  const warm = opts.warmup ?? 3;
  let done = 0, t0 = 0;
  for (const batch of batches) {
    if (done === warm) t0 = performance.now();
    model.trainStep(batch, opt);
    if (++done === warm + opts.steps) break;
  }
  const secs = (performance.now() - t0) / 1000;
  model.dispose();
  opt.dispose();
  return {
    name: `${spec.label} training, ${ds.name} (batch ${opts.batchSize})`,
    value: ((done - warm) * opts.batchSize) / secs,
    unit: "interactions/s",
    note: `${split.train.users.length} training interactions, sampling included`,
  };
}
