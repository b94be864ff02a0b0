/**
 * Dataset entries of an experiment, or of a configs folder on their own (`data`): a
 * `configs/datasets/<name>.yaml` (optional) patched by the entry, every key checked against its
 * loader, paths resolved against the data root ({@linkcode PATH_KEYS}, a generic dataset's
 * `split:` files), and settings resolved from base < experiment < dataset file.
 *
 * @example Usage
 * ```ts
 * import { loadDatasetConfig } from "./dataset_entry.ts";
 *
 * const lastfm = await loadDatasetConfig("lastfm-2k-multimodal", { dataRoot: "../shared/data" });
 * console.log(lastfm?.spec, lastfm?.settings.epochs);
 * ```
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import type { DatasetSpec } from "../data/mod.ts";
import { isRegisteredLoader } from "../data/registry.ts";
import { datasetSpecProblem } from "../data/spec_schema.ts";
import { ConfigError, didYouMean } from "./check.ts";
import { baseLayers, configsFolder } from "./configs_folder.ts";
import type { PlannedDataset, SettingsLayer } from "./plan_types.ts";
import { resolveSettings } from "./trial_settings.ts";
import { asRecord, optionalYaml } from "./yaml_file.ts";

/** Dataset spec keys that hold paths (resolved against the data root). */
export const PATH_KEYS = [
  "path",
  "interactions",
  "attributes",
  "reviews",
  "meta",
  "images",
  "itemMap",
];

/** Keys of a generic dataset's `split:` block, each a path resolved as those above. */
export const SPLIT_PATH_KEYS = ["train", "valid", "test"];

function resolvePaths(spec: Record<string, unknown>, root: string): void {
  for (const k of PATH_KEYS) {
    const v = spec[k];
    if (typeof v === "string" && !isAbsolute(v)) spec[k] = resolve(root, v);
  }
  if (Array.isArray(spec.modalities)) {
    for (const m of spec.modalities) {
      if (m && typeof m === "object") resolvePaths(m as Record<string, unknown>, root);
    }
  }
  const split = spec.split as Record<string, unknown> | undefined;
  if (split && typeof split === "object" && !Array.isArray(split)) {
    for (const k of SPLIT_PATH_KEYS) {
      if (typeof split[k] === "string" && !isAbsolute(split[k])) split[k] = resolve(root, split[k]);
    }
  }
}

/**
 * The files and folders a dataset spec reads, as `[key path, value]` (its own path keys, each
 * modality's and the split's).
 */
function datasetPaths(spec: Record<string, unknown>): [string, unknown][] {
  const paths: [string, unknown][] = PATH_KEYS.map((k) => [k, spec[k]]);
  if (Array.isArray(spec.modalities)) {
    for (const [i, m] of spec.modalities.entries()) {
      if (m && typeof m === "object") {
        for (const k of PATH_KEYS) paths.push([`modalities.${i}.${k}`, (m as never)[k]]);
      }
    }
  }
  const split = spec.split;
  if (split && typeof split === "object") {
    for (const k of SPLIT_PATH_KEYS) paths.push([`split.${k}`, (split as never)[k]]);
  }
  return paths;
}

/**
 * The files and folders a dataset spec reads (its own path keys, each modality's and the
 * split's) that do not exist, as `[key path, path]`: checked before anything loads.
 *
 * @example Usage
 * ```ts
 * await missingPaths({ kind: "lastfm-2k-multimodal", path: "/no/such" }); // [["path", "/no/such"]]
 * ```
 */
export async function missingPaths(spec: Record<string, unknown>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const [k, v] of datasetPaths(spec)) {
    if (typeof v === "string" && !(await Deno.stat(v).then(() => true, () => false))) {
      out.push([k, v]);
    }
  }
  return out;
}

/**
 * One dataset entry: its `configs/datasets/<name>.yaml` (optional) patched by `entry`, paths
 * resolved against `root`, settings resolved from `around` (base, the experiment's) and its
 * file's.
 */
export async function datasetEntry(
  name: string,
  entry: Record<string, unknown>,
  where: { file: string; path: string },
  configs: string,
  root: string,
  around: SettingsLayer[],
): Promise<PlannedDataset> {
  const dsFile = join(configs, "datasets", `${name}.yaml`);
  const fileText = await optionalYaml(dsFile);
  const { settings: dsSettings, ...fromFile } = asRecord(fileText, dsFile, name);
  const written = { ...fromFile, ...entry };
  if (typeof written.kind !== "string") {
    const why = fileText === undefined ? `and no ${dsFile}` : `nor in ${dsFile}`;
    throw new ConfigError(where.file, `${where.path}.kind`, `missing (${why})`);
  }
  // Every key must be one its loader reads (a typo was silently ignored), with a sane value.
  // A plugin's loader (registerLoader) reads keys of its own.
  const problem = isRegisteredLoader(written.kind)
    ? undefined
    : datasetSpecProblem(written, didYouMean);
  if (problem) {
    const key = problem.path.split(".")[0];
    const [f, at] = Object.hasOwn(entry, key) || !Object.hasOwn(fromFile, key)
      ? [where.file, where.path]
      : [dsFile, name];
    throw new ConfigError(f, problem.path ? `${at}.${problem.path}` : at, problem.detail);
  }
  const spec = structuredClone(written);
  resolvePaths(spec, root);
  const settingLayers: SettingsLayer[] = dsSettings === undefined
    ? []
    : [{ file: dsFile, path: "settings", values: dsSettings, level: "dataset" }];
  return {
    name,
    spec: spec as unknown as DatasetSpec,
    written,
    settings: resolveSettings([...around, ...settingLayers], where.file),
    settingLayers,
  };
}

/**
 * A dataset of a configs folder on its own, as `data` loads it: its file's spec (`entry`
 * patching it), paths resolved against `dataRoot`, settings base < dataset file. Undefined when
 * the folder has no such entry and `entry` names no `kind`.
 */
export async function loadDatasetConfig(
  name: string,
  opts: { configsDir?: string; dataRoot?: string; entry?: Record<string, unknown> } = {},
): Promise<PlannedDataset | undefined> {
  const configs = await configsFolder(opts.configsDir);
  const dsFile = join(configs, "datasets", `${name}.yaml`);
  const exists = await Deno.stat(dsFile).then(() => true, () => false);
  if (!exists && typeof opts.entry?.kind !== "string") return undefined;
  return await datasetEntry(
    name,
    opts.entry ?? {},
    { file: dsFile, path: name },
    configs,
    opts.dataRoot ?? Deno.cwd(),
    await baseLayers(configs),
  );
}
