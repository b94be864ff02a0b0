/**
 * Rebuilding a finished trial's model from its kept checkpoint, for analysis after a run
 * (`explain`, embeddings, figures) without training again.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { ColdStartModel } from "../models/model.ts";
import type { ColdSplit } from "../split/types.ts";
import type { Checkpoint } from "./checkpoint.ts";
import { buildTrialModel, trialDataset } from "./execute.ts";
import { splitFor } from "./split_for.ts";

/**
 * Rebuilds a trial's model with its kept checkpoint: the dataset and split as the trial had
 * them, the model from its config and seed, then the stored parameters. Dispose the model.
 */
export async function restoreTrialModel(
  cp: Checkpoint,
  cacheDir?: string,
): Promise<{ model: ColdStartModel; dataset: Dataset; split: ColdSplit }> {
  const t = cp.trial;
  const { ds } = await trialDataset(t);
  const split = splitFor(ds, t.settings);
  const { model } = buildTrialModel(t, ds, split, cacheDir);
  model.params.setValues(cp.values);
  return { model, dataset: ds, split };
}
