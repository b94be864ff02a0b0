/**
 * Random — a sanity floor: every (user, item) pair gets a score from a seeded hash, so the
 * ranking is uniformly random yet reproducible. Nothing is trained; any real model must beat it.
 *
 * @module
 */
import type { ColdStartModel, ModelContext, ModelSpec } from "./model.ts";
import { ParamSet } from "../nn/mod.ts";
import type { Scorer } from "../eval/scorer.ts";
import { pairScorer } from "./common/read_scores.ts";

/** Random has no hyperparameters. */
export type RandomConfig = Record<string, never>;

/** A 32-bit integer hash of (seed, user, item), mapped to [0, 1). */
function pairScore(seed: number, u: number, i: number): number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0x9e3779b1) ^ Math.imul(u + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2f) ^ Math.imul(i + 1, 0x165667b1);
  h = Math.imul(h ^ (h >>> 13), 0x85ebca77);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

class RandomModel implements ColdStartModel {
  readonly name = "random";
  readonly params = new ParamSet();
  readonly needs = null;
  readonly #seed: number;

  constructor(ctx: ModelContext) {
    this.#seed = ctx.rng.nextU32() | 0;
  }

  trainStep(): Record<string, number> {
    throw new Error("The random model has nothing to train");
  }

  scorer(): Scorer {
    return pairScorer((user, item) => pairScore(this.#seed, user, item));
  }

  dispose(): void {}
}

/** Registry entry of the random floor. */
export const randomSpec: ModelSpec<RandomConfig> = {
  name: "random",
  label: "Random",
  family: "sanity",
  reference: "uniformly random scores from a seeded hash (a floor, not a paper model)",
  defaults: {},
  create: (_cfg, ctx) => new RandomModel(ctx),
};
