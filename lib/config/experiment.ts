/**
 * Experiment files: which datasets, which models (with config overrides) and which seeds, plus
 * engine settings. Resolution is layered — built-in defaults < `configs/base.yaml` <
 * `configs/models/<name>.yaml` < the experiment < `--set key.path=value` — and every layer is
 * checked against the typed defaults, so an unknown key names its file and path.
 *
 * @module
 */
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import type { DatasetSpec } from "../data/mod.ts";
import { resolveModel } from "../models/registry.ts";
import { checkConfig, ConfigError } from "./check.ts";
import { RUN_DEFAULTS, type RunSettings } from "./train_defaults.ts";
import { readYamlFile } from "./yaml_file.ts";

/** A fully resolved experiment. */
export interface ExperimentPlan {
  file: string;
  name: string;
  settings: RunSettings;
  datasets: { name: string; spec: DatasetSpec }[];
  /** Models in table order; `label` is the row label (model label plus any variant). */
  models: { name: string; label: string; config: Record<string, unknown> }[];
  seeds: number[];
}

/** How to resolve an experiment. */
export interface ResolveOptions {
  /** Folder holding `base.yaml`, `models/` and `datasets/` (default `configs`). */
  configsDir?: string;
  /** Root for relative dataset paths (default: the current directory). */
  dataRoot?: string;
  /** `key.path=value` overrides (`settings.epochs=3`, `models.clcrec.tau=1`, `seeds=[1,2]`). */
  overrides?: string[];
}

const PATH_KEYS = ["path", "interactions", "attributes", "reviews", "meta", "images", "itemMap"];

function asRecord(v: unknown, file: string, path: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new ConfigError(file, path, `expected a mapping, got ${JSON.stringify(v)}`);
  }
  return v as Record<string, unknown>;
}

async function optionalYaml(path: string): Promise<unknown> {
  try {
    await Deno.stat(path);
  } catch {
    return undefined;
  }
  return await readYamlFile(path);
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (typeof o[k] !== "object" || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
}

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
}

/** Reads, layers and checks an experiment file. */
export async function loadExperiment(
  file: string,
  opts: ResolveOptions = {},
): Promise<ExperimentPlan> {
  const configs = opts.configsDir ?? "configs";
  const raw = asRecord(await readYamlFile(file), file, "");
  for (const o of opts.overrides ?? []) {
    const eq = o.indexOf("=");
    if (eq <= 0) throw new ConfigError("--set", o, "expected key.path=value");
    setPath(raw, o.slice(0, eq).split("."), parse(o.slice(eq + 1)));
  }
  const allowed = ["name", "settings", "datasets", "models", "seeds"];
  for (const k of Object.keys(raw)) {
    if (!allowed.includes(k)) {
      throw new ConfigError(file, k, `unknown key; known keys: ${allowed.join(", ")}`);
    }
  }
  const basePath = join(configs, "base.yaml");
  const base = asRecord(await optionalYaml(basePath), basePath, "");
  let settings = checkConfig(RUN_DEFAULTS, base.settings, basePath, "settings");
  settings = checkConfig(settings, raw.settings, file, "settings");
  if (!["item2user", "user2item"].includes(settings.protocol)) {
    throw new ConfigError(file, "settings.protocol", `expected "item2user" or "user2item"`);
  }

  const root = opts.dataRoot ?? Deno.cwd();
  const datasets: ExperimentPlan["datasets"] = [];
  for (const [name, v] of Object.entries(asRecord(raw.datasets, file, "datasets"))) {
    const dsFile = join(configs, "datasets", `${name}.yaml`);
    const fromFile = asRecord(await optionalYaml(dsFile), dsFile, name);
    const spec = { ...fromFile, ...asRecord(v, file, `datasets.${name}`) };
    if (typeof spec.kind !== "string") {
      throw new ConfigError(file, `datasets.${name}.kind`, `missing (and no ${dsFile})`);
    }
    resolvePaths(spec, root);
    datasets.push({ name, spec: spec as unknown as DatasetSpec });
  }
  if (datasets.length === 0) throw new ConfigError(file, "datasets", "no dataset named");

  const models: ExperimentPlan["models"] = [];
  const modelEntries = Array.isArray(raw.models)
    ? raw.models.map((m) => [String(m), {}] as const)
    : Object.entries(asRecord(raw.models, file, "models"));
  for (const [key, v] of modelEntries) {
    // `m2vae` or `m2vae (w/o SG)`: a registered model, optionally one of its named variants.
    const m = /^\s*([\w-]+)\s*(?:\((.+)\))?\s*$/.exec(key);
    if (!m) throw new ConfigError(file, `models.${key}`, "expected <model> or <model> (<variant>)");
    const [, name, variant] = m;
    const spec = resolveModel(name);
    const mFile = join(configs, "models", `${name}.yaml`);
    const fromFile = await optionalYaml(mFile);
    let config = checkConfig(spec.defaults, fromFile, mFile, name);
    config = checkConfig(config, v, file, `models.${key}`);
    if (variant !== undefined) {
      if (!spec.variants?.includes(variant)) {
        const known = spec.variants?.map((x) => `"${x}"`).join(", ");
        throw new ConfigError(
          file,
          `models.${key}`,
          known
            ? `unknown variant "${variant}"; variants are ${known}`
            : `"${name}" has no variants`,
        );
      }
      config = { ...config, variant };
    }
    const chosen = typeof config.variant === "string" ? config.variant : "full";
    const label = chosen === "full" ? spec.label : `${spec.label} ${chosen}`;
    models.push({ name, label, config });
  }
  if (models.length === 0) throw new ConfigError(file, "models", "no model named");

  const seeds = raw.seeds === undefined ? [1] : raw.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every(Number.isInteger)) {
    throw new ConfigError(
      file,
      "seeds",
      `expected a list of integers, got ${JSON.stringify(seeds)}`,
    );
  }
  return {
    file,
    name: typeof raw.name === "string" ? raw.name : dirname(file),
    settings,
    datasets,
    models,
    seeds: seeds as number[],
  };
}
