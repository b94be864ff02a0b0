/**
 * Runs a resolved experiment: for each dataset, load and split it once; for each model and
 * seed, build the model from the registry, train it with validation-based checkpoint selection
 * and test the kept checkpoint. Each trial's record carries its resolved config, the split
 * fingerprint, the seed, the code version and the backend.
 *
 * @module
 */
import { type Dataset, type DatasetStats, datasetStats, loadDataset } from "../data/mod.ts";
import type { Protocol } from "../eval/mod.ts";
import { resolveModel } from "../models/registry.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit, providedColdSplit } from "../split/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import { tf } from "../tf/mod.ts";
import { trainAndEvaluate, type TrainReport } from "../train/trainer.ts";
import type { ExperimentPlan } from "../config/experiment.ts";
import type { RunSettings } from "../config/train_defaults.ts";

/** One finished trial. */
export interface TrialRecord {
  experiment: string;
  dataset: string;
  model: string;
  /** Label for tables, e.g. `CLCRec`. */
  label: string;
  seed: number;
  protocol: Protocol;
  config: Record<string, unknown>;
  settings: RunSettings;
  split: { description: string; fingerprint: string };
  codeVersion: string;
  backend: string;
  parameters: number;
  report: TrainReport;
}

/** Callbacks of a run. */
export interface RunHooks {
  silent?: boolean;
  /** Called after a dataset is loaded and split. */
  onDataset?: (name: string, stats: DatasetStats, split: ColdSplit) => void;
  /** Called after every trial. */
  onTrial?: (t: TrialRecord) => void | Promise<void>;
  codeVersion: string;
}

/** Splits a dataset as the settings say (its provided split wins when it has one). */
export function splitFor(ds: Dataset, s: RunSettings): ColdSplit {
  if (ds.providedSplit) return providedColdSplit(ds);
  return coldItemSplit(ds, {
    ratios: [s.splitTrain, s.splitValid, s.splitTest],
    seed: s.splitSeed,
  });
}

/** Runs every (dataset, model, seed) trial of the plan in order. */
export async function runExperiment(plan: ExperimentPlan, hooks: RunHooks): Promise<TrialRecord[]> {
  const s = plan.settings;
  const out: TrialRecord[] = [];
  for (const { name, spec } of plan.datasets) {
    const ds = await loadDataset(spec);
    const split = splitFor(ds, s);
    hooks.onDataset?.(name, datasetStats(ds), split);
    for (const m of plan.models) {
      const spec = resolveModel(m.name);
      for (const seed of plan.seeds) {
        const rng = new Rng(seed).fork(`${name}/${m.name}`);
        const model = spec.create(m.config, { dataset: ds, split, rng: rng.fork("model") });
        try {
          const report = await trainAndEvaluate(model, split, {
            epochs: s.epochs,
            batchSize: s.batchSize,
            lr: s.lr,
            weightDecay: s.weightDecay,
            embeddingLrScale: s.embeddingLrScale,
            evalEvery: s.evalEvery,
            selectMetric: s.selectMetric,
            protocol: s.protocol as Protocol,
            patience: s.patience,
            evalOptions: { userChunk: s.userChunk, itemChunk: s.itemChunk },
            label: `${name} ${m.label} seed ${seed}`,
            silent: hooks.silent,
            logEvery: s.logEvery,
          }, rng.fork("train"));
          const rec: TrialRecord = {
            experiment: plan.name,
            dataset: name,
            model: m.name,
            label: m.label,
            seed,
            protocol: s.protocol as Protocol,
            config: m.config,
            settings: s,
            split: { description: split.description, fingerprint: split.fingerprint },
            codeVersion: hooks.codeVersion,
            backend: tf.getBackend(),
            parameters: model.params.count(),
            report,
          };
          out.push(rec);
          await hooks.onTrial?.(rec);
        } finally {
          model.dispose();
        }
      }
    }
  }
  return out;
}
