/**
 * JSON Schemas of the files a user writes — experiment files, `configs/datasets/` entries and
 * `configs/models/` files — from the zod schemas the toolkit checks them with (the settings, each
 * loader kind's keys, each model's config), so an editor completes keys and flags a wrong type,
 * an unknown key or an out-of-range value as the YAML is typed. `deno task schema` writes them to
 * `schemas/` (`build_schemas.ts`; a test keeps the committed files current). The toolkit's own
 * checks stay the authority: rules across keys (split ratios summing to 1, a metric the
 * protocol reports) and the search block's rules are not in the exported schemas.
 *
 * @example In a YAML file (the yaml-language-server modeline VS Code and others read)
 * ```ts
 * import { schemaFiles } from "./json_schema.ts";
 * const files = schemaFiles(["synthetic"]); // { "experiment.schema.json": {...}, ... }
 * // # yaml-language-server: $schema=../schemas/experiment.schema.json
 * ```
 *
 * @module
 */
import { z } from "zod";
import { DATASET_SCHEMAS } from "../data/spec_schema.ts";
import type { DatasetSpec } from "../data/registry.ts";
import { BUILTIN_MODEL_NAMES, modelInfo } from "../models/catalog.ts";
import { modelConfigSchema } from "../models/config_schema.ts";
import { EXPERIMENT_FIELDS } from "./experiment_schema.ts";
import { SEARCH_SCHEMA } from "./search.ts";
import { SETTINGS_LAYER_SCHEMA } from "./settings_schema.ts";
import { SLURM_SCHEMA } from "./slurm_schema.ts";

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema (draft 2020-12), without its `$schema` line. */
function toJson(schema: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Json;
  return rest;
}

const settingsJson = () => toJson(SETTINGS_LAYER_SCHEMA);

/** A dataset entry of one loader kind as a `configs/datasets/` file writes it. */
function datasetFileJson(kind: DatasetSpec["kind"]): Json {
  return toJson(DATASET_SCHEMAS[kind].extend({ settings: SETTINGS_LAYER_SCHEMA.optional() }));
}

/** A row's own label (`label:`), replacing the one derived from the model and variant. */
const ROW_LABEL = z.string().min(1).meta({
  description: "the row's label in tables and reports (default: the model's, plus its variant)",
});

/**
 * A model's keys (all optional) with `settings:` and `label:`, as an experiment's model entry
 * writes them; `model:` names the model where the entry's key is a free row id (`custom`).
 */
function modelEntryJson(name: string, custom = false): Json {
  const model = z.literal(name).meta({
    description: "the registered model of this row (its key is then a free row id)",
  });
  return toJson(
    modelConfigSchema(name).partial().extend({
      settings: SETTINGS_LAYER_SCHEMA.optional(),
      label: ROW_LABEL.optional(),
      model: custom ? model : model.optional(),
    }),
  );
}

/** A `configs/models/<name>.yaml` file: the model's keys, `settings:` and the `tune:` space. */
export function modelFileJsonSchema(name: string): Json {
  const info = modelInfo(name);
  const tune = z.record(z.string(), z.unknown()).meta({
    description: "the model's search space under search: { method: tune }: key → values or " +
      "{ log: [lo, hi] }",
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `configs/models/${name}.yaml (${info.label})`,
    ...toJson(
      modelConfigSchema(name).partial().extend({
        settings: SETTINGS_LAYER_SCHEMA.optional(),
        tune: tune.optional(),
        presets: z.record(
          z.string().regex(/^[A-Za-z][\w-]*$/),
          z.record(z.string(), z.unknown()),
        ).meta({
          description: "named configurations of the tune: space (axis → value, the other axes " +
            "at the row's defaults), each one of a tuned row's configurations",
        }).optional(),
      }),
    ),
  };
}

/** A `configs/datasets/` file: one of the loader kinds' entries, chosen by `kind`. */
export function datasetFileJsonSchema(): Json {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "configs/datasets/<name>.yaml",
    oneOf: Object.keys(DATASET_SCHEMAS).map((k) => datasetFileJson(k as DatasetSpec["kind"])),
  };
}

/**
 * An experiment file. `datasetKinds` maps the `configs/datasets/` names to their loader kind,
 * so an entry patching one of them is checked against that loader's keys.
 */
export function experimentJsonSchema(datasetKinds: Readonly<Record<string, string>>): Json {
  const kindOf = (kind: string) => kind as DatasetSpec["kind"];
  const patch = (kind: string) =>
    toJson(
      DATASET_SCHEMAS[kindOf(kind)].partial().extend({
        settings: SETTINGS_LAYER_SCHEMA.optional(),
      }),
    );
  const anyKind = { oneOf: Object.keys(DATASET_SCHEMAS).map((k) => datasetFileJson(kindOf(k))) };
  // Model names are letters, digits, "_" and "-": nothing to escape in a pattern.
  const modelKey = (name: string) => `^\\s*${name}\\s*(\\(.+\\))?\\s*$`;
  const names = [...BUILTIN_MODEL_NAMES];
  const variants = names.flatMap((n) => [
    n,
    ...(modelInfo(n).variants ?? []).filter((v) => v !== "full").map((v) => `${n} (${v})`),
  ]);
  const seeds = z.union([
    z.number().int().min(1).max(1000),
    z.array(z.number().int().min(0).max(2 ** 31 - 1)).max(1000),
  ]).meta({ description: "a count (seeds 1..N) or a list of seeds; default 5" });
  return withSharedSettings({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "m2vae experiment file",
    type: "object",
    additionalProperties: false,
    properties: {
      name: { type: "string", description: "the experiment's name (a safe file name)" },
      description: { type: "string" },
      plugins: {
        type: "array",
        items: { type: "string" },
        description: "modules adding models or loaders, relative to this file",
      },
      settings: settingsJson(),
      datasets: {
        type: "object",
        description: "configs/datasets/ entries, optionally patched, or entries with a kind",
        properties: Object.fromEntries(
          Object.entries(datasetKinds).map(([n, k]) => [n, patch(k)]),
        ),
        additionalProperties: anyKind,
      },
      models: {
        description: "rows: a registered model, optionally `<model> (<variant>)`, each with its " +
          "config, or a row id whose entry names its model (`model:`) and maybe its `label:`",
        anyOf: [
          { type: "array", items: { anyOf: [{ enum: variants }, { type: "string" }] } },
          {
            type: "object",
            patternProperties: Object.fromEntries(
              names.map((n) => [modelKey(n), modelEntryJson(n)]),
            ),
            // Any other key is a row id whose entry names its model.
            additionalProperties: { oneOf: names.map((n) => modelEntryJson(n, true)) },
          },
        ],
      },
      search: toJson(SEARCH_SCHEMA),
      atChoice: toJson(EXPERIMENT_FIELDS.atChoice),
      seeds: toJson(seeds),
      slurm: toJson(SLURM_SCHEMA),
    },
  });
}

/**
 * `schema` with every copy of the settings block replaced by a reference to one definition
 * (`$defs.settings`): an experiment file has one under every dataset and model entry.
 */
function withSharedSettings(schema: Json): Json {
  const settings = JSON.stringify(settingsJson());
  const ref = { $ref: "#/$defs/settings" };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    if (JSON.stringify(v) === settings) return ref;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return { ...walk(schema) as Json, $defs: { settings: settingsJson() } };
}

/** Every schema file `deno task schema` writes, by path below `schemas/`. */
export function schemaFiles(datasetKinds: Readonly<Record<string, string>>): Record<string, Json> {
  const out: Record<string, Json> = {
    "experiment.schema.json": experimentJsonSchema(datasetKinds),
    "dataset.schema.json": datasetFileJsonSchema(),
  };
  for (const n of BUILTIN_MODEL_NAMES) out[`models/${n}.schema.json`] = modelFileJsonSchema(n);
  return out;
}
