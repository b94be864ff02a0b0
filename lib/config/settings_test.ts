import assert from "node:assert/strict";
import { join } from "node:path";
import { trialKey } from "../run/trial.ts";
import { planTrials } from "../run/plan.ts";
import { RUN_DEFAULTS, type TrainSettings } from "../train/settings.ts";
import { ConfigError } from "./check.ts";
import { TOOLKIT_CONFIGS } from "./configs_folder.ts";
import { loadExperiment } from "./experiment.ts";
import { resolveSettings, settingsFor } from "./trial_settings.ts";
import { readYamlFile } from "./yaml_file.ts";

Deno.test("configs/base.yaml lists exactly the built-in defaults, the one source", async () => {
  const base = await readYamlFile(join(TOOLKIT_CONFIGS, "base.yaml")) as Record<string, unknown>;
  assert.deepEqual(base.settings, RUN_DEFAULTS);
  assert.deepEqual(Object.keys(base.settings as object), Object.keys(RUN_DEFAULTS));
});

Deno.test("a trial's settings are the trainer's options as they are", () => {
  // Type-level: RunSettings is assignable to the engine's settings without picking by hand.
  const opts: TrainSettings = RUN_DEFAULTS;
  assert.equal(opts.epochs, RUN_DEFAULTS.epochs);
});

Deno.test("resolveSettings lays the levels in order, whatever order they come in", () => {
  const at = (level: "base" | "dataset" | "model" | "experiment" | "entry", epochs: number) => ({
    file: `${level}.yaml`,
    path: "settings",
    values: { epochs },
    level,
  });
  const s = resolveSettings(
    [at("entry", 5), at("base", 1), at("experiment", 4), at("model", 3)],
    "x",
  );
  assert.equal(s.epochs, 5);
  assert.equal(
    resolveSettings([at("experiment", 4), at("dataset", 2), at("base", 1)], "x").epochs,
    4,
  );
  assert.deepEqual(resolveSettings([], "x"), RUN_DEFAULTS);
  // A bad value names the file that wrote it; a rule across keys names the experiment.
  assert.throws(
    () => resolveSettings([at("model", 0)], "exp.yaml"),
    (e) =>
      e instanceof ConfigError &&
      e.message === 'model.yaml: key "settings.epochs": expected a positive integer, got 0',
  );
  assert.throws(
    () =>
      resolveSettings(
        [{ ...at("base", 1), values: { splitTrain: 0.5, splitTest: 0.2 } }],
        "e.yaml",
      ),
    (e) => e instanceof ConfigError && e.message.startsWith('e.yaml: key "settings.splitTrain"'),
  );
  assert.throws(
    () => resolveSettings([{ ...at("dataset", 2), values: { epoch: 2 } }], "exp.yaml"),
    (e) => e instanceof ConfigError && e.message.startsWith("dataset.yaml"),
  );
});

Deno.test("decoupledWeightDecay and maxSteps come from YAML; at their defaults keys stay", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "exp.yaml");
  await Deno.writeTextFile(
    file,
    "datasets:\n  synthetic: {}\nmodels:\n  clcrec:\n    settings: { maxSteps: 7 }\n  random: {}\n" +
      "settings: { decoupledWeightDecay: true }\nseeds: [1]\n",
  );
  const plan = await loadExperiment(file);
  assert.equal(plan.settings.decoupledWeightDecay, true);
  const [clcrec, random] = plan.models;
  assert.equal(settingsFor(plan, plan.datasets[0], clcrec).maxSteps, 7);
  assert.equal(settingsFor(plan, plan.datasets[0], random).maxSteps, 0);
  assert.ok(planTrials(plan).every((t) => t.settings.decoupledWeightDecay === true));
  await Deno.writeTextFile(
    file,
    "datasets:\n  synthetic: {}\nmodels: [clcrec]\nsettings: { maxSteps: -1 }\n",
  );
  await assert.rejects(() => loadExperiment(file), /settings\.maxSteps.*integer ≥ 0/);

  // Trials stored before the two settings existed keep their keys.
  const parts = {
    dataset: "synthetic",
    written: { kind: "synthetic" },
    model: "clcrec",
    config: {},
    settings: { ...RUN_DEFAULTS },
    seed: 1,
  };
  const { decoupledWeightDecay: _d, maxSteps: _m, ...before } = RUN_DEFAULTS;
  assert.equal(trialKey(parts), trialKey({ ...parts, settings: before as typeof RUN_DEFAULTS }));
  for (const changed of [{ decoupledWeightDecay: true }, { maxSteps: 10 }]) {
    assert.notEqual(
      trialKey(parts),
      trialKey({ ...parts, settings: { ...RUN_DEFAULTS, ...changed } }),
    );
  }
});
