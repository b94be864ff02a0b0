import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "./check.ts";
import { datasetConfigNames, TOOLKIT_CONFIGS } from "./configs_folder.ts";
import { loadDatasetConfig } from "./dataset_entry.ts";
import { loadExperiment } from "./experiment.ts";

/**
 * Asserts that loading `file` fails with one line, a ConfigError naming the file and `path`,
 * whose message matches `detail`.
 */
async function rejectsAt(file: string, path: string, detail: RegExp, what: string) {
  await assert.rejects(
    () => loadExperiment(file),
    (e) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.path, path, e.message);
      assert.ok(e.message.startsWith(`${file}: key "${path}": `), e.message);
      assert.match(e.message, detail);
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    },
    what,
  );
}

async function experimentFile(text: string, name = "exp.yaml"): Promise<string> {
  const dir = await Deno.makeTempDir();
  const file = join(dir, name);
  await Deno.writeTextFile(file, text);
  return file;
}

const SMALL = "datasets:\n  synthetic: {}\nmodels: [gar]\nseeds: [1]\n";

Deno.test("configs resolve from the toolkit's own folder, not the working directory", async () => {
  assert.ok((await Deno.stat(join(TOOLKIT_CONFIGS, "base.yaml"))).isFile);
  const plan = await loadExperiment(await experimentFile(SMALL));
  assert.equal(plan.configsDir, TOOLKIT_CONFIGS);
  // configs/datasets/synthetic.yaml sets the generator seed, configs/models/gar.yaml a model key.
  assert.equal((plan.datasets[0].spec as { seed?: number }).seed, 0);
  assert.equal(plan.models[0].settingLayers[0]?.file, join(TOOLKIT_CONFIGS, "models", "gar.yaml"));
});

Deno.test("a user's configs folder replaces the toolkit's; a missing folder is named", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "models"));
  await Deno.writeTextFile(join(dir, "models", "clcrec.yaml"), "tau: 0.3\n");
  const file = await experimentFile(
    "datasets:\n  synthetic: { kind: synthetic }\nmodels: [clcrec]\nseeds: [1]\n",
  );
  const plan = await loadExperiment(file, { configsDir: dir });
  assert.equal(plan.configsDir, dir);
  assert.equal(plan.models[0].config.tau, 0.3);
  // No datasets/synthetic.yaml there: the generator's own default seed.
  assert.equal((plan.datasets[0].spec as { seed?: number }).seed, undefined);
  const gone = join(dir, "no-such-folder");
  await assert.rejects(
    () => loadExperiment(file, { configsDir: gone }),
    (e) => e instanceof ConfigError && e.message.startsWith(gone) && /not found/.test(e.message),
  );
});

Deno.test("a dataset without a kind names whether its datasets/ file exists", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "datasets"));
  await Deno.writeTextFile(join(dir, "datasets", "mine.yaml"), "settings: { epochs: 2 }\n");
  const withFile = await experimentFile("datasets:\n  mine: {}\nmodels: [gar]\nseeds: [1]\n");
  await assert.rejects(
    () => loadExperiment(withFile, { configsDir: dir }),
    (e) =>
      e instanceof ConfigError && e.path === "datasets.mine.kind" &&
      e.message.includes(`missing (nor in ${join(dir, "datasets", "mine.yaml")})`),
  );
  const none = await experimentFile("datasets:\n  other: {}\nmodels: [gar]\nseeds: [1]\n");
  await assert.rejects(
    () => loadExperiment(none, { configsDir: dir }),
    (e) =>
      e instanceof ConfigError &&
      e.message.includes(`missing (and no ${join(dir, "datasets", "other.yaml")})`),
  );
});

Deno.test("an experiment name must be a safe file name", async () => {
  for (const bad of ["../../x", "a/b", "..", ".hidden", "a b", "x".repeat(101)]) {
    const file = await experimentFile(`name: ${JSON.stringify(bad)}\n${SMALL}`);
    await assert.rejects(
      () => loadExperiment(file),
      (e) =>
        e instanceof ConfigError && e.path === "name" && /not a safe file name/.test(e.message),
      bad,
    );
  }
  const numeric = await experimentFile(`name: 12\n${SMALL}`);
  await assert.rejects(() => loadExperiment(numeric), /key "name": expected a string/);
  const fromFile = await experimentFile(SMALL, "my exp.yaml");
  await assert.rejects(() => loadExperiment(fromFile), /"my exp" \(from the file name\)/);
  const ok = await experimentFile(`name: table3_v1.2-b\n${SMALL}`);
  assert.equal((await loadExperiment(ok)).name, "table3_v1.2-b");
});

Deno.test("loadDatasetConfig: a configs/datasets entry on its own, paths against the data root", async () => {
  const names = await datasetConfigNames();
  assert.ok(names.includes("synthetic") && names.includes("lastfm-2k-multimodal"), `${names}`);
  const syn = await loadDatasetConfig("synthetic");
  assert.deepEqual(syn?.written, { kind: "synthetic", seed: 0 });
  const lastfm = await loadDatasetConfig("lastfm-2k-multimodal", { dataRoot: "/data" });
  assert.equal((lastfm?.spec as { path?: string }).path, "/data/lastfm-2k-multimodal");
  assert.equal(await loadDatasetConfig("no-such-set"), undefined);
  const patched = await loadDatasetConfig("synthetic", { entry: { users: 50 } });
  assert.equal((patched?.spec as { users?: number }).users, 50);
});

Deno.test("a model config value out of its schema names the file that wrote it", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/configs/models`, { recursive: true });
  await Deno.writeTextFile(`${dir}/configs/models/clcrec.yaml`, "dim: 0\n");
  const exp = `${dir}/exp.yaml`;
  await Deno.writeTextFile(
    exp,
    "datasets:\n  synthetic: { kind: synthetic }\nmodels:\n  clcrec: { dim: 8 }\n",
  );
  await assert.rejects(
    () => loadExperiment(exp, { configsDir: `${dir}/configs` }),
    {
      message: `${dir}/configs/models/clcrec.yaml: key "clcrec.dim": clcrec config "dim": ` +
        "expected a positive integer, got 0",
    },
  );
  await Deno.writeTextFile(`${dir}/configs/models/clcrec.yaml`, "dim: 8\n");
  await Deno.writeTextFile(
    exp,
    'datasets:\n  synthetic: { kind: synthetic }\nmodels:\n  clcrec: { mixing: "uniform" }\n',
  );
  await assert.rejects(
    () => loadExperiment(exp, { configsDir: `${dir}/configs` }),
    /exp\.yaml: key "models\.clcrec\.mixing": clcrec config "mixing": expected one of "randint", "bernoulli", got "uniform"/,
  );
  // A rule across keys waits for the complete config: a layer may set one key of the pair.
  await Deno.writeTextFile(
    exp,
    "datasets:\n  synthetic: { kind: synthetic }\nmodels:\n  m2vae: { earlyGenerate: true }\n",
  );
  await loadExperiment(exp, { configsDir: `${dir}/configs` });
});

Deno.test("a models entry with model: is a free row id; label: names its row", async () => {
  const file = await experimentFile(
    "datasets:\n  synthetic: {}\nseeds: [1]\nmodels:\n  m2vae: {}\n" +
      '  m2vae-z: { model: m2vae, label: "M2VAE (z only)", decoderRaws: false }\n' +
      '  no-sg: { model: m2vae, variant: "w/o SG" }\n' +
      '  "clcrec (mine)": { model: clcrec, label: CLCRec }\n',
  );
  const plan = await loadExperiment(file);
  assert.deepEqual(
    plan.models.map((m) => [m.name, m.label, m.variant, m.config.decoderRaws]),
    [
      ["m2vae", "M2VAE", "full", true],
      ["m2vae", "M2VAE (z only)", "full", false],
      ["m2vae", "M2VAE w/o SG", "w/o SG", true],
      ["clcrec", "CLCRec", "full", undefined],
    ],
  );
  // Neither key reaches the model config.
  assert.ok(plan.models.every((m) => !("model" in m.config) && !("label" in m.config)));
});

Deno.test("models.<key>.model and .label: bad values name the file and the field", async () => {
  const cases: [string, string, RegExp][] = [
    ["x: { model: m2vea }", "models.x.model", /Cannot resolve model "m2vea".*did you mean "m2vae"/],
    ["x: { model: 3 }", "models.x.model", /expected a registered model name, got 3/],
    ['x: { model: m2vae, label: "" }', "models.x.label", /expected a non-empty string/],
    ["x: { model: m2vae, label: [a] }", "models.x.label", /expected a non-empty string/],
    ["m2vae: {}\n  x: { model: m2vae, label: M2VAE }", "models.x.label", /listed twice/],
    ["m2vae: {}\n  x: { model: m2vae }", "models.x", /listed twice; give one of them a label/],
    ["my-row: { decoderRaws: false }", "models.my-row", /Cannot resolve model "my-row"/],
    ["x: { model: clcrec, variant: full }", "models.x.variant", /unknown key/],
    ["m2vae: {}\n  x: { model: m2vae, label: Z }", "models.x", /same model, config and settings/],
  ];
  for (const [entry, path, detail] of cases) {
    const file = await experimentFile(`datasets:\n  synthetic: {}\nmodels:\n  ${entry}\n`);
    await rejectsAt(file, path, detail, entry);
  }
});

Deno.test("top-level keys and search: one line naming the file and the key, with a did-you-mean", async () => {
  const cases: [string, string, RegExp][] = [
    ["seed: [1]", "seed", /unknown key \(did you mean "seeds"\?\); known keys: name, /],
    ["searh: {}", "searh", /unknown key \(did you mean "search"\?\)/],
    ["description: 3", "description", /expected a string, got 3/],
    ["datasets: [synthetic]", "datasets", /expected a mapping, got \["synthetic"\]/],
    ["models: m2vae", "models", /expected a list of models or a mapping of model entries/],
    ["plugins: 3", "plugins", /expected a list of module paths, got 3/],
    ["seeds: 0", "seeds", /expected a count or a list of distinct integers, got 0/],
    ["seeds: [1, 1]", "seeds", /distinct integers/],
    ["search: { method: random, spce: {} }", "search.spce", /did you mean "space"/],
    ["search: { budget: 0 }", "search.budget", /expected a positive integer, got 0/],
    ["search: { method: tune, rungs: [4, 2] }", "search.rungs", /increasing.*got \[4,2\]/],
    ["search: { method: tune, defaults: 1 }", "search.defaults", /expected true or false, got 1/],
    ["search: { method: tune, presets: 1 }", "search.presets", /expected true or false, got 1/],
    ["search: { presets: false }", "search.presets", /only search\.method: tune has it/],
    ["search: { eta: 2 }", "search.eta", /only search\.method: tune has it/],
    ["search: 3", "search", /expected a mapping with method and space, got 3/],
    ["slurm: { memry: 8G }", "slurm.memry", /unknown key \(did you mean "memory"\?\)/],
    ["slurm: { cpusPerTask: 0 }", "slurm.cpusPerTask", /expected a positive integer, got 0/],
    ["slurm: { partition: 3 }", "slurm.partition", /expected a string, got 3/],
    ['slurm: { extra: ["a\\nb"] }', "slurm.extra.0", /expected one line, got "a\\nb"/],
    ["slurm: { extra: --qos=long }", "slurm.extra", /expected a list of #SBATCH lines/],
    ["slurm: [cpu]", "slurm", /expected a mapping, got \["cpu"\]/],
  ];
  for (const [line, path, detail] of cases) {
    const base = ["datasets:\n  synthetic: {}", "models: [gar]"]
      .filter((b) => !line.startsWith(b.split(":")[0]));
    const file = await experimentFile([line, ...base].join("\n") + "\n");
    await rejectsAt(file, path, detail, line);
  }
  const ok = await experimentFile(
    `seeds: 3\ndescription: d\nslurm: { memory: 8G, extra: [--qos=long] }\n` +
      SMALL.replace("seeds: [1]\n", ""),
  );
  const plan = await loadExperiment(ok);
  assert.deepEqual([plan.seeds, plan.description], [[1, 2, 3], "d"]);
  assert.deepEqual(plan.slurm, { memory: "8G", extra: ["--qos=long"] });
  assert.deepEqual((await loadExperiment(await experimentFile(SMALL))).slurm, {});
});
