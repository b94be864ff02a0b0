/**
 * Per-model training figures against the PyTorch reference: for each trainable model, the
 * training interactions/s at the reference batch size and width (`referenceShape`), the seconds
 * one epoch of the split's training interactions takes at that rate, and, where the model has a
 * PyTorch reference, the ratio to it with the target (≥ `TARGET_RATIO`).
 *
 * @example Usage
 * ```ts
 * import { modelTrainingFigures } from "./model_training.ts";
 * for (const f of modelTrainingFigures(ds, resolveModel("clcrec"), { steps: 10, split })) {
 *   console.log(f.name, f.value, f.unit, f.target ?? "");
 * }
 * ```
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import type { ColdSplit } from "../split/types.ts";
import type { ModelSpec } from "../train/model.ts";
import {
  epochSeconds,
  pytorchReference,
  REFERENCE_EPOCH_INTERACTIONS,
  referenceRatio,
  referenceShape,
  TARGET_RATIO,
} from "./reference.ts";
import type { BenchFigure } from "./runtime.ts";
import { measureTraining, type TrainingMeasurement } from "./training.ts";

/** Options of {@linkcode modelTrainingFigures}. */
export interface ModelTrainingOptions {
  /** Timed training steps (after the warm-up steps of `measureTraining`). */
  steps: number;
  /** The split whose training interactions make an epoch (default: the 70/15/15 seed-0 split). */
  split?: ColdSplit;
  /** Caches of pretrained warm embeddings shared between runs. */
  cacheDir?: string;
}

/** The config override that sets a model's width to `dim` (none for a model without `dim`). */
export function widthOverride(
  defaults: Record<string, unknown>,
  dim: number,
): Record<string, unknown> {
  return typeof defaults.dim === "number" ? { dim } : {};
}

/**
 * The printable figures of one measurement (no timing here): interactions/s, seconds per epoch
 * and, for a model with a reference (unless `withReference` is false, e.g. on another dataset
 * than the reference's), the ratio to it.
 *
 * @example
 * ```ts
 * const m = { interactionsPerSecond: 1482, steps: 10, seconds: 27.6, epochInteractions: 39_440, epochSeconds: 26.6 };
 * trainingFiguresOf("clcrec", "CLCRec", "lastfm-2k-multimodal", m, { batch: 4096, dim: 64 });
 * // [interactions/s (target ≥ 1482), s/epoch, ratio 2.00× (target ≥ 2)]
 * ```
 */
export function trainingFiguresOf(
  model: string,
  label: string,
  dataset: string,
  m: TrainingMeasurement,
  shape: { batch: number; dim: number | null },
  withReference = true,
): BenchFigure[] {
  const ref = withReference ? pytorchReference(model) : undefined;
  const at = `batch ${shape.batch}${shape.dim === null ? "" : `, d ${shape.dim}`}`;
  const figures: BenchFigure[] = [{
    name: `${label} training, ${dataset} (${at})`,
    value: m.interactionsPerSecond,
    unit: "interactions/s",
    target: ref
      ? `≥ ${Math.round(TARGET_RATIO * ref.interactionsPerSecond).toLocaleString("en-US")}`
      : undefined,
    note: ref
      ? `PyTorch reference ${ref.interactionsPerSecond.toLocaleString("en-US")}/s`
      : withReference
      ? "no PyTorch reference"
      : "the PyTorch reference is on lastfm-2k",
  }, {
    name: `${label} seconds per training epoch, ${dataset}`,
    value: m.epochSeconds,
    unit: "s",
    note: `${m.epochInteractions.toLocaleString("en-US")} training interactions` +
      (ref
        ? `; reference epoch ${
          epochSeconds(REFERENCE_EPOCH_INTERACTIONS, ref.interactionsPerSecond).toFixed(1)
        } s for ${REFERENCE_EPOCH_INTERACTIONS.toLocaleString("en-US")}`
        : ""),
  }];
  if (ref) {
    figures.push({
      name: `${label} training ÷ PyTorch reference, ${dataset}`,
      value: referenceRatio(m.interactionsPerSecond, ref),
      unit: "×",
      target: `≥ ${TARGET_RATIO}`,
    });
  }
  return figures;
}

/** Measures one model's training at its reference shape and returns its figures. */
export function modelTrainingFigures(
  ds: Dataset,
  spec: ModelSpec<any>,
  o: ModelTrainingOptions,
): BenchFigure[] {
  const shape = referenceShape(spec.name);
  const config = widthOverride(spec.defaults, shape.dim);
  const m = measureTraining(ds, spec, {
    batchSize: shape.batch,
    steps: o.steps,
    config,
    split: o.split,
    cacheDir: o.cacheDir,
  });
  return trainingFiguresOf(spec.name, spec.label, ds.name, m, {
    batch: shape.batch,
    dim: "dim" in config ? shape.dim : null,
  });
}
