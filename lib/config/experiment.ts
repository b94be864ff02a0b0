/**
 * Experiment files: which datasets, which models (with config overrides) and which seeds, plus
 * engine settings. Resolution is layered — built-in defaults < `configs/base.yaml` <
 * `configs/models/<name>.yaml` < the experiment < `--set key.path=value` — and every layer is
 * checked against the typed defaults, so an unknown key names its file and path. Settings are
 * kept as the layers each file wrote and resolved in one place, `resolveSettings`
 * (`trial_settings.ts`). The file's top level (its keys, and the `search:` and `slurm:` blocks)
 * is checked first, by `EXPERIMENT_SCHEMA` (`experiment_schema.ts`). A `models:` entry is a row:
 * its key names a model (`m2vae`, `m2vae (w/o SG)`), or it is a free row id and the entry says
 * `model:`; `label:` names the row instead of the model and variant. A `datasets:` entry is
 * resolved by `dataset_entry.ts`, against the configs folder of `configs_folder.ts`.
 *
 * @example
 * ```ts
 * import { loadExperiment } from "./experiment.ts";
 * const plan = await loadExperiment("experiments/demo.yaml");
 * console.log(plan.models.map((m) => m.label), plan.seeds);
 * ```
 *
 * @module
 */
import { basename, join } from "node:path";
import { parse } from "yaml";
import { modelConfigProblem } from "../models/config_schema.ts";
import { modelInfo, modelNames } from "../models/catalog.ts";
import type { z } from "zod";
import { checkConfig, ConfigError, didYouMean } from "./check.ts";
import { baseLayers, configsFolder } from "./configs_folder.ts";
import { datasetEntry } from "./dataset_entry.ts";
import { EXPERIMENT_SCHEMA, experimentProblem } from "./experiment_schema.ts";
import { loadPlugins, pluginPaths } from "./plugins.ts";
import { parseSearch, parseTuneSpace } from "./search.ts";
import { parseTunePresets } from "./presets.ts";
import { resolveSettings } from "./trial_settings.ts";
import type { ExperimentPlan, SettingsLayer } from "./plan_types.ts";
import { asRecord, optionalYaml, readYamlFile } from "./yaml_file.ts";

export type { ExperimentPlan, PlannedDataset, PlannedModel } from "./plan_types.ts";
export { MAX_SEED, MAX_SEEDS } from "./experiment_schema.ts";

/** Default number of seeds when an experiment gives none: the paper averages 5 runs. */
export const DEFAULT_SEEDS = 5;

/** How to resolve an experiment. */
export interface ResolveOptions {
  /**
   * Folder holding `base.yaml`, `models/` and `datasets/` (default {@linkcode TOOLKIT_CONFIGS}).
   * Files missing from it are layers left out; the folder itself missing is an error.
   */
  configsDir?: string;
  /** Root for relative dataset paths (default: the current directory). */
  dataRoot?: string;
  /** `key.path=value` overrides (`settings.epochs=3`, `models.clcrec.tau=1`, `seeds=[1,2]`). */
  overrides?: string[];
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (typeof o[k] !== "object" || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
}

/** An experiment name becomes folder and file names: letters, digits, `_`, `-`, `.` only. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

function checkName(name: string, file: string, written: boolean): string {
  if (!SAFE_NAME.test(name) || name.includes("..")) {
    throw new ConfigError(
      file,
      "name",
      `${JSON.stringify(name)}${written ? "" : " (from the file name)"} is not a safe file name: ` +
        `use letters, digits, "_", "-" and "." (no "/" or ".."), at most 100 characters`,
    );
  }
  return name;
}

/**
 * The model (and variant) of a `models:` entry. Without `model:` the key names them: `m2vae` or
 * `m2vae (w/o SG)`. With `model: <registered name>` the key is a free row id and a variant comes
 * from the entry's `variant:` key only.
 */
function rowModel(
  key: string,
  model: unknown,
  file: string,
): { name: string; variant?: string } {
  let name: string, variant: string | undefined, at: string;
  if (model !== undefined) {
    at = `models.${key}.model`;
    if (typeof model !== "string" || model.trim() === "") {
      throw new ConfigError(
        file,
        at,
        `expected a registered model name, got ${JSON.stringify(model)}`,
      );
    }
    name = model.trim();
  } else {
    at = `models.${key}`;
    // `m2vae` or `m2vae (w/o SG)`: a registered model, optionally one of its named variants.
    const m = /^\s*([\w-]+)\s*(?:\((.+)\))?\s*$/.exec(key);
    if (!m) {
      throw new ConfigError(
        file,
        at,
        "expected <model> or <model> (<variant>), or an entry with model: <model>",
      );
    }
    [, name, variant] = m;
  }
  if (!modelNames().includes(name)) {
    const known = modelNames().map((n) => `"${n}"`).join(", ");
    const hint = didYouMean(name, modelNames());
    throw new ConfigError(
      file,
      at,
      `Cannot resolve model "${name}": registered models are ${known}` +
        (hint ? `; did you mean "${hint}"?` : ""),
    );
  }
  return { name, variant };
}

/** Reads, layers and checks an experiment file. */
export async function loadExperiment(
  file: string,
  opts: ResolveOptions = {},
): Promise<ExperimentPlan> {
  const configs = await configsFolder(opts.configsDir);
  const raw = asRecord(await readYamlFile(file), file, "");
  for (const o of opts.overrides ?? []) {
    const eq = o.indexOf("=");
    if (eq <= 0) throw new ConfigError("--set", o, "expected key.path=value");
    setPath(raw, o.slice(0, eq).split("."), parse(o.slice(eq + 1)));
  }
  const problem = experimentProblem(raw);
  if (problem) throw new ConfigError(file, problem.path, problem.detail);
  const top = raw as z.infer<typeof EXPERIMENT_SCHEMA>;
  const name = top.name !== undefined
    ? checkName(top.name, file, true)
    : checkName(basename(file).replace(/\.ya?ml$/, ""), file, false);
  // Plugins first: the models and loader kinds they register may be named below.
  const plugins = pluginPaths(top.plugins, file);
  await loadPlugins(plugins, file);
  const settingLayers = await baseLayers(configs);
  if (top.settings !== undefined) {
    settingLayers.push({ file, path: "settings", values: top.settings, level: "experiment" });
  }
  const settings = resolveSettings(settingLayers, file);

  const root = opts.dataRoot ?? Deno.cwd();
  const datasets: ExperimentPlan["datasets"] = [];
  for (const [ds, v] of Object.entries(top.datasets ?? {})) {
    const where = { file, path: `datasets.${ds}` };
    const entry = asRecord(v, file, where.path);
    datasets.push(await datasetEntry(ds, entry, where, configs, root, settingLayers));
  }
  if (datasets.length === 0) throw new ConfigError(file, "datasets", "no dataset named");

  const models: ExperimentPlan["models"] = [];
  const modelEntries = Array.isArray(top.models)
    ? top.models.map((m) => [m, {}] as const)
    : Object.entries(top.models ?? {});
  for (const [key, v] of modelEntries) {
    const at = `models.${key}`;
    const {
      settings: entrySettings,
      model: modelRaw,
      label: labelRaw,
      ...entry
    } = asRecord(v, file, at);
    const { name, variant } = rowModel(key, modelRaw, file);
    if (
      labelRaw !== undefined && (typeof labelRaw !== "string" || labelRaw.trim() === "")
    ) {
      throw new ConfigError(
        file,
        `${at}.label`,
        `expected a non-empty string, got ${JSON.stringify(labelRaw)}`,
      );
    }
    const spec = modelInfo(name);
    const mFile = join(configs, "models", `${name}.yaml`);
    // A model file or entry may carry engine settings of its own (e.g. GAR's learning rate).
    const { settings: fileSettings, tune: tuneRaw, presets: presetsRaw, ...fromFile } = asRecord(
      await optionalYaml(mFile),
      mFile,
      name,
    );
    const tune = parseTuneSpace(tuneRaw, mFile, name);
    const presets = parseTunePresets(presetsRaw, tune, mFile);
    let config = checkConfig(spec.defaults, fromFile, mFile, name);
    config = checkConfig(config, entry, file, at);
    const modelLayers: SettingsLayer[] = [];
    if (fileSettings !== undefined) {
      modelLayers.push({ file: mFile, path: "settings", values: fileSettings, level: "model" });
    }
    if (entrySettings !== undefined) {
      modelLayers.push({
        file,
        path: `${at}.settings`,
        values: entrySettings,
        level: "entry",
      });
    }
    if (variant !== undefined) {
      if (!spec.variants?.includes(variant)) {
        const known = spec.variants?.map((x) => `"${x}"`).join(", ");
        throw new ConfigError(
          file,
          at,
          known
            ? `unknown variant "${variant}"; variants are ${known}`
            : `"${name}" has no variants`,
        );
      }
      config = { ...config, variant };
    }
    if (typeof config.variant === "string" && !spec.variants?.includes(config.variant)) {
      const hint = didYouMean(config.variant, spec.variants ?? []);
      throw new ConfigError(
        file,
        `${at}.variant`,
        `unknown variant "${config.variant}"${hint ? ` (did you mean "${hint}"?)` : ""}; ` +
          `variants are ${spec.variants?.map((x) => `"${x}"`).join(", ")}`,
      );
    }
    // Each layer's values against the model's schema where they were written (the rules across
    // keys wait for the complete config, checked with every planned trial's).
    for (
      const [values, f, where] of [[fromFile, mFile, name], [entry, file, at]] as const
    ) {
      const p = modelConfigProblem(name, values, didYouMean, false);
      if (p) {
        throw new ConfigError(f, `${where}.${p.path}`, `${name} config "${p.path}": ${p.detail}`);
      }
    }
    const chosen = typeof config.variant === "string" ? config.variant : "full";
    const label = labelRaw !== undefined
      ? labelRaw.trim()
      : chosen === "full"
      ? spec.label
      : `${spec.label} ${chosen}`;
    if (models.some((x) => x.label === label)) {
      throw new ConfigError(
        file,
        labelRaw !== undefined ? `${at}.label` : at,
        `row "${label}" is listed twice` +
          (labelRaw !== undefined ? "" : `; give one of them a label: "<row label>"`),
      );
    }
    // The trial key holds the model, its config and settings, not the label: two rows that
    // differ only in label would plan the same trials and share their results.
    const same = models.find((x) =>
      x.name === name && JSON.stringify(x.config) === JSON.stringify(config) &&
      JSON.stringify(x.settingLayers.filter((l) => l.level === "entry").map((l) => l.values)) ===
        JSON.stringify(entrySettings === undefined ? [] : [entrySettings])
    );
    if (same) {
      throw new ConfigError(
        file,
        at,
        `the same model, config and settings as row "${same.label}": its trials would be ` +
          "that row's (only the label differs)",
      );
    }
    models.push({
      name,
      label,
      variant: chosen,
      family: spec.family,
      config,
      settingLayers: modelLayers,
      tune,
      presets,
      tuneFile: mFile,
      written: [
        ...Object.keys(entry).filter((k) => k !== "variant"),
        ...Object.keys(asRecord(entrySettings ?? {}, file, `${at}.settings`)).map((k) =>
          `settings.${k}`
        ),
      ],
    });
  }
  if (models.length === 0) throw new ConfigError(file, "models", "no model named");
  const search = parseSearch(top.search, file);
  if (top.atChoice !== undefined && top.atChoice === name) {
    throw new ConfigError(
      file,
      "atChoice",
      `names this experiment itself ("${name}"): rows run at another, tuned experiment's choice`,
    );
  }
  if (top.atChoice !== undefined && search.method === "tune") {
    throw new ConfigError(
      file,
      "atChoice",
      "a tuned experiment (search.method tune) chooses its own configurations; atChoice runs " +
        "rows at another experiment's choice",
    );
  }
  if (top.atChoice !== undefined && search.axes.length > 0) {
    throw new ConfigError(
      file,
      "atChoice",
      "rows run at another experiment's choice, so there is nothing to search: leave out " +
        "search.space",
    );
  }

  return {
    file,
    configsDir: configs,
    name,
    plugins,
    description: top.description ?? "",
    settings,
    settingLayers,
    datasets,
    models,
    search,
    ...(top.atChoice !== undefined ? { atChoice: top.atChoice } : {}),
    seeds: parseSeeds(top.seeds),
    slurm: top.slurm ?? {},
  };
}

/** `seeds: [1, 2, 3]` or `seeds: 3` (= 1, 2, 3); absent = {@linkcode DEFAULT_SEEDS}. */
function parseSeeds(seeds: unknown = DEFAULT_SEEDS): number[] {
  // Checked with the file's other keys (experiment_schema.ts).
  return typeof seeds === "number"
    ? Array.from({ length: seeds }, (_, i) => i + 1)
    : [...seeds as number[]];
}
