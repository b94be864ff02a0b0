/**
 * The types of a resolved experiment: its datasets, models (rows) and plan. They sit below the
 * code that builds them (`experiment.ts`) and the code that layers settings over them
 * (`trial_settings.ts`), so neither imports the other's module for a type.
 *
 * @module
 */
import type { DatasetSpec } from "../data/mod.ts";
import type { ModelFamily } from "../models/model.ts";
import type { SearchAxis, SearchSpace } from "./search.ts";
import type { TunePreset } from "./presets.ts";
import type { SlurmBlock } from "./slurm_schema.ts";
import type { RunSettings } from "./train_defaults.ts";

/**
 * Where a settings layer sits, lowest first: `configs/base.yaml`, a dataset file, a model file,
 * the experiment's `settings` (after `--set`), a model's entry in the experiment. A higher level
 * wins; `resolveSettings` (trial_settings.ts) lays them over the built-in defaults.
 */
export const SETTING_LEVELS = ["base", "dataset", "model", "experiment", "entry"] as const;

/** Settings as written at one file location, and their level. */
export interface SettingsLayer {
  file: string;
  path: string;
  values: unknown;
  level: typeof SETTING_LEVELS[number];
}

/** A dataset of an experiment. */
export interface PlannedDataset {
  name: string;
  /** The loader spec, paths resolved against the data root. */
  spec: DatasetSpec;
  /** The spec as written (paths unresolved): what the trial hash covers. */
  written: Record<string, unknown>;
  /** Engine settings for this dataset: base < dataset file < experiment < `--set`. */
  settings: RunSettings;
  /** Its dataset file's settings, if it has any. */
  settingLayers: SettingsLayer[];
}

/** A model (or one variant of it) of an experiment. */
export interface PlannedModel {
  name: string;
  /**
   * Row label: the entry's `label:`, else the model's label plus the variant unless it is
   * `full`. Not part of the trial key.
   */
  label: string;
  /** `full` unless a named variant was chosen. */
  variant: string;
  family: ModelFamily;
  config: Record<string, unknown>;
  /** Engine settings this model brings (its model file's, its experiment entry's). */
  settingLayers: SettingsLayer[];
  /** Its search space for `search.method: tune` (the model file's `tune:` block; [] = none). */
  tune: SearchAxis[];
  /** Named configurations of that space (the model file's `presets:` block; [] = none). */
  presets: TunePreset[];
  /** The file the tune space came from (for error messages). */
  tuneFile: string;
  /**
   * The keys the row's experiment entry sets itself (`settings.<key>` for its engine settings):
   * a row run at another experiment's choice (`atChoice`) keeps them. Absent in older plans.
   */
  written?: string[];
}

/** A fully resolved experiment. */
export interface ExperimentPlan {
  file: string;
  /** The configs folder its layers came from. */
  configsDir: string;
  name: string;
  /** Its plugin modules (absolute paths), imported before its models and datasets are read. */
  plugins: string[];
  description: string;
  /** Experiment-level settings (base < experiment < `--set`), without dataset layers. */
  settings: RunSettings;
  /** The layers every trial shares: base and the experiment's own `settings` (after `--set`). */
  settingLayers: SettingsLayer[];
  datasets: PlannedDataset[];
  /** Models in table order. */
  models: PlannedModel[];
  search: SearchSpace;
  /**
   * A tuned experiment of the same store (`atChoice:`): every row runs at the point of its
   * model's tune space that the model's full row chose there, on each dataset, over this
   * experiment's own config and settings (`lib/run/at_choice.ts`). Absent: rows run as written.
   */
  atChoice?: string;
  seeds: number[];
  /** The job array's resources under `--executor slurm` (the `slurm:` block; {} when absent). */
  slurm: SlurmBlock;
}
