import assert from "node:assert/strict";
import { parse } from "yaml";
import { BUILTIN_MODEL_NAMES, modelInfo, registerModel } from "./catalog.ts";
import { checkModelConfig, modelConfigProblem, modelConfigSchema } from "./config_schema.ts";
import { applyVariant } from "./m2vae/variants.ts";
import { M2VAE_DEFAULTS } from "./m2vae/config.ts";

const CONFIGS = new URL("../../configs/models/", import.meta.url);

Deno.test("model schemas: every built-in model's defaults, config file, tune values and presets pass", () => {
  for (const name of BUILTIN_MODEL_NAMES) {
    const info = modelInfo(name);
    assert.deepEqual(Object.keys(modelConfigSchema(name).shape), Object.keys(info.defaults));
    assert.equal(modelConfigProblem(name, info.defaults), undefined, name);
    const file = parse(Deno.readTextFileSync(new URL(`${name}.yaml`, CONFIGS))) ?? {};
    const { settings: _, tune = {}, presets = {}, ...config } = file;
    assert.equal(modelConfigProblem(name, config), undefined, `${name}.yaml`);
    for (const [preset, values] of Object.entries(presets as Record<string, object>)) {
      const point = Object.fromEntries(
        Object.entries(values).filter(([axis]) => !axis.startsWith("settings."))
          .flatMap(([axis, v]) => {
            const keys = axis.split(",");
            return keys.map((k, i) => [k, keys.length > 1 ? v[i] : v]);
          }),
      );
      assert.equal(modelConfigProblem(name, point), undefined, `${name} preset ${preset}`);
    }
    for (const [axis, values] of Object.entries(tune as Record<string, unknown>)) {
      if (axis.startsWith("settings.") || !Array.isArray(values)) continue;
      const keys = axis.split(",");
      for (const v of values) {
        const point = Object.fromEntries(keys.map((k, i) => [k, keys.length > 1 ? v[i] : v]));
        assert.equal(modelConfigProblem(name, point), undefined, `${name} tune ${axis}=${v}`);
      }
    }
    for (const v of info.variants ?? []) {
      if (name === "m2vae") applyVariant({ ...M2VAE_DEFAULTS, variant: v });
      assert.equal(modelConfigProblem(name, { variant: v }), undefined, `${name} (${v})`);
    }
  }
});

Deno.test("model schemas: a wrong type, value or combination is one line naming the key", () => {
  const says = (name: string, cfg: Record<string, unknown>, message: string | RegExp) =>
    assert.throws(() => checkModelConfig(name, cfg), { name: "RangeError", message });
  says("ccfcrec", { cn: 0 }, 'ccfcrec config "cn": expected a positive integer, got 0');
  says("m2vae", { cp: 0.5 }, 'm2vae config "cp": expected a positive integer, got 0.5');
  says("m2vae", { dim: 1e9 }, 'm2vae config "dim": at most 65,536 allowed, got 1000000000');
  says(
    "m2vae",
    { joint: "prod" },
    'm2vae config "joint": expected one of "sum", "mean", got "prod"',
  );
  says("m2vae", { variant: "bogus" }, /m2vae config "variant": expected one of "full", /);
  says("m2vae", { alpha: -1 }, 'm2vae config "alpha": must be ≥ 0, got -1');
  says(
    "m2vae",
    { logVarInit: 20 },
    'm2vae config "logVarInit": expected a number in [-10, 10], got 20',
  );
  says(
    "m2vae",
    { earlyGenerate: true, commonView: false },
    'm2vae config "earlyGenerate": needs commonView (there is no common view)',
  );
  says(
    "gorec",
    { dropout: 1.5 },
    'gorec config "dropout": expected a probability in [0, 1], got 1.5',
  );
  says("clcrec", { mixing: "uniform" }, /clcrec config "mixing": expected one of "randint"/);
  says("clcrec", { tau: "2" }, 'clcrec config "tau": must be > 0, got "2"');
  assert.match(
    modelConfigProblem("clcrec", { dimm: 3 }, () => "dim")!.detail,
    /^unknown key \(did you mean "dim"\?\); known keys: dim, hidden/,
  );
  assert.throws(() => applyVariant({ ...M2VAE_DEFAULTS, joint: "prod" }), /config "joint"/);
});

Deno.test("model schemas: a plugin's model gets its defaults' types, not the built-in rules", () => {
  registerModel({
    name: "schema-probe",
    label: "Schema probe",
    family: "sanity",
    reference: "",
    defaults: { dim: 8, note: "x", on: true },
    create: () => {
      throw new Error("not built here");
    },
  });
  assert.equal(modelConfigProblem("schema-probe", { dim: -3 }), undefined);
  assert.equal(
    modelConfigProblem("schema-probe", { on: "yes" })?.detail,
    'expected a boolean, got "yes"',
  );
  assert.equal(
    modelConfigProblem("schema-probe", { dim: "8" })?.detail,
    'expected a number, got "8"',
  );
});
