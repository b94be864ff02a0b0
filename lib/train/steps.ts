/**
 * Taking a fixed number of training steps outside the full engine, on seeded batches: for
 * tests and benchmarks that need a model in a trained state without validation.
 *
 * @module
 */
import { Optimizer } from "../nn/mod.ts";
import { Rng } from "../rng/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import { buildInteractionIndex } from "./interaction_index.ts";
import type { ColdStartModel } from "./model.ts";
import { splitBatches } from "./sampler.ts";

/** Options of {@linkcode trainSteps}. */
export interface StepOptions {
  /** Optimizer to use (default: Adam with `lr`, disposed at the end). */
  opt?: Optimizer;
  lr?: number;
  batchSize?: number;
  /** Seed of the batch sampler. */
  seed?: number;
}

/** Takes `steps` steps (looping over epochs as needed) and returns each step's loss terms. */
export function trainSteps(
  model: ColdStartModel,
  split: ColdSplit,
  steps: number,
  o: StepOptions = {},
): Record<string, number>[] {
  if (!model.needs) throw new RangeError(`Model "${model.name}" does not train`);
  const opt = o.opt ?? new Optimizer(model.params, { lr: o.lr ?? 1e-2 });
  const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
  const rng = new Rng(o.seed ?? 7), out: Record<string, number>[] = [];
  try {
    while (out.length < steps) {
      for (const b of splitBatches(split, index, o.batchSize ?? 64, model.needs, rng)) {
        out.push(model.trainStep(b, opt));
        if (out.length === steps) break;
      }
    }
  } finally {
    if (!o.opt) opt.dispose();
  }
  return out;
}
