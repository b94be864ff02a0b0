/**
 * Shared fixtures of the M2VAE tests: a tiny synthetic dataset and split, a small config, and
 * a helper that takes training steps on seeded batches.
 *
 * @module
 */
import { type Dataset, loadDataset } from "../../data/mod.ts";
import { Optimizer } from "../../nn/mod.ts";
import { Rng } from "../../rng/mod.ts";
import { coldItemSplit } from "../../split/mod.ts";
import type { ColdSplit } from "../../split/types.ts";
import { trainSteps } from "../../train/mod.ts";
import { M2VAE_DEFAULTS, type M2vaeConfig } from "./config.ts";
import { M2vae } from "./model.ts";

/** A small config for fast tests. */
export const SMALL: M2vaeConfig = {
  ...M2VAE_DEFAULTS,
  dim: 16,
  decoderHidden: 12,
  attnHidden: 8,
  gateHidden: 8,
  cp: 3,
  cn: 5,
  // The mechanism tests exercise Eq. 27's user-side term (negative users, negFusion); the
  // item-side default has its own test, and the conformance suite runs the defaults.
  rankNegatives: "users",
  // With `rankNegatives: items` the tests exercise the per-row negative items at τ 1; the shared
  // negatives (the default) have their own tests (shared_negatives_test.ts).
  sharedNegatives: 0,
  tauRank: 1,
};

/**
 * The patch that leaves the ranking terms alone: L_disentangle, L_co, the KLs and the
 * reconstruction off (beside them a ranking term trains slowly on the tiny set).
 */
export const RANKING_ALONE: Partial<M2vaeConfig> = {
  alpha: 0,
  beta: 0,
  klWeight: 0,
  reconWeight: 0,
};

/** A tiny synthetic dataset (`modalities` dense views) and its cold split. */
export async function tinySetup(
  modalities: number | string[] = 1,
): Promise<{ ds: Dataset; split: ColdSplit }> {
  const ds = await loadDataset({ kind: "synthetic", users: 200, items: 150, modalities });
  return { ds, split: coldItemSplit(ds, { seed: 0 }) };
}

/** Builds a model from `SMALL` plus `patch`, seeded. */
export function smallModel(
  ds: Dataset,
  split: ColdSplit,
  patch: Partial<M2vaeConfig> = {},
  seed = 1,
): M2vae {
  return new M2vae({ ...SMALL, ...patch }, { dataset: ds, split, rng: new Rng(seed) });
}

/** Takes `steps` training steps on batches of 64 from a fixed sampler seed. */
export function train(
  model: M2vae,
  split: ColdSplit,
  steps: number,
  opt = new Optimizer(model.params, { lr: 1e-2 }),
): Record<string, number>[] {
  return trainSteps(model, split, steps, { opt });
}
