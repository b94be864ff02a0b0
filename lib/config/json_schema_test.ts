import assert from "node:assert/strict";
import { join } from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import { parse } from "yaml";
import { SCHEMA_DIR, staleSchemas } from "./build_schemas.ts";
import { TOOLKIT_CONFIGS } from "./configs_folder.ts";

// ajv is a CommonJS module: its class is the default export or the module itself.
const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const ROOT = join(TOOLKIT_CONFIGS, "..");

function validator(path: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  return ajv.compile(JSON.parse(Deno.readTextFileSync(join(SCHEMA_DIR, path))));
}

function yamlFiles(dir: string): [string, unknown][] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".yaml"))
    .map((e) => [e.name, parse(Deno.readTextFileSync(join(dir, e.name))) ?? {}]);
}

Deno.test("schemas/ holds what the zod schemas say (else: deno task schema)", async () => {
  assert.deepEqual(await staleSchemas(), [], "schemas/ is out of date: run deno task schema");
});

Deno.test("the exported schemas accept every shipped experiment and config file", () => {
  const experiment = validator("experiment.schema.json");
  for (const [name, doc] of yamlFiles(join(ROOT, "experiments"))) {
    assert.ok(experiment(doc), `${name}: ${JSON.stringify(experiment.errors)}`);
  }
  const dataset = validator("dataset.schema.json");
  for (const [name, doc] of yamlFiles(join(TOOLKIT_CONFIGS, "datasets"))) {
    assert.ok(dataset(doc), `${name}: ${JSON.stringify(dataset.errors)}`);
  }
  for (const [name, doc] of yamlFiles(join(TOOLKIT_CONFIGS, "models"))) {
    const model = validator(`models/${name.replace(/\.yaml$/, ".schema.json")}`);
    assert.ok(model(doc), `${name}: ${JSON.stringify(model.errors)}`);
  }
});

Deno.test("the exported schemas flag what the toolkit refuses: unknown keys, types, ranges", () => {
  const experiment = validator("experiment.schema.json");
  const refused = [
    { settings: { epoch: 3 } },
    { settings: { epochs: 1e308 } },
    { settings: { protocol: "item2item" } },
    { datasets: { synthetic: { usrs: 3 } } },
    { datasets: { mine: { kind: "generic", interactions: 3 } } },
    { models: { ccfcrec: { cn: 0 } } },
    { models: { "m2vae (w/o SG)": { joint: "prod" } } },
    { models: { "my-row": { dim: 8 } } }, // a free row id needs model:
    { models: { "m2vae-z": { model: "m2vae", label: "" } } },
    { models: { "m2vae-z": { model: "m2vae", tau: 1 } } }, // a key of another model
    { seeds: [1, -3] },
    { search: { method: "bayes" } },
    { nmae: "x" },
  ];
  for (const doc of refused) assert.equal(experiment(doc), false, JSON.stringify(doc));
  assert.ok(experiment({ models: { "m2vae (w/o SG)": { alpha: 1, settings: { lr: 0.003 } } } }));
  assert.ok(experiment({
    models: {
      m2vae: {},
      "m2vae-z": { model: "m2vae", label: "M2VAE (z only)", decoderRaws: false },
    },
  }));
  const m2vae = validator("models/m2vae.schema.json");
  assert.equal(m2vae({ variant: "bogus" }), false);
  assert.ok(m2vae({ variant: "paper", tune: { alpha: [1, 10] } }));
  const dataset = validator("dataset.schema.json");
  assert.equal(dataset({ kind: "synthetic", users: 0 }), false);
  assert.equal(dataset({ kind: "nosuch" }), false);
});
