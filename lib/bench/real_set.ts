/**
 * A real dataset loaded for the benchmarks: a configs/datasets/ entry under the data root, loaded
 * (timed) and split as its trials split it. A set whose folder is absent is not loaded: the
 * figures that need it are skipped.
 *
 * @example Usage
 * ```ts
 * import { loadRealSet } from "./real_set.ts";
 * const entry = await loadDatasetConfig("lastfm-2k-multimodal", { dataRoot: "../shared/data" });
 * const set = await loadRealSet("lastfm-2k-multimodal", entry!, splitFor);
 * if (set) set.ds; set.split; set.loadSeconds;
 * ```
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import { type DatasetSpec, loadDataset } from "../data/registry.ts";
import type { ColdSplit } from "../split/types.ts";
import type { RunSettings } from "../train/settings.ts";

/** A loaded configs/datasets/ entry and its split. */
export interface RealSet {
  name: string;
  ds: Dataset;
  split: ColdSplit;
  settings: RunSettings;
  /** Seconds the loader took (the split excluded). */
  loadSeconds: number;
}

/** What {@linkcode loadRealSet} reads of a configs/datasets/ entry. */
export interface RealSetEntry {
  /** The loader spec, paths resolved against the data root. */
  spec: DatasetSpec;
  /** The engine settings of the entry's trials. */
  settings: RunSettings;
}

/**
 * Loads `entry` with the split its trials use (`splitOf`: the run layer's `splitFor`); undefined
 * when the entry's `path` is absent.
 */
export async function loadRealSet(
  name: string,
  entry: RealSetEntry,
  splitOf: (ds: Dataset, settings: RunSettings) => ColdSplit,
): Promise<RealSet | undefined> {
  const path = (entry.spec as { path?: string }).path;
  if (path !== undefined && !(await Deno.stat(path).then(() => true, () => false))) return;
  const t0 = performance.now();
  const ds = await loadDataset(entry.spec);
  const loadSeconds = (performance.now() - t0) / 1000;
  return { name, ds, split: splitOf(ds, entry.settings), settings: entry.settings, loadSeconds };
}
