import assert from "node:assert/strict";
import { join } from "node:path";
import { isRegisteredLoader, loadDataset, registerLoader } from "../data/registry.ts";
import { syntheticDataset } from "../data/synthetic.ts";
import { modelInfo } from "../models/catalog.ts";
import { ConfigError } from "./check.ts";
import { loadExperiment } from "./experiment.ts";
import { loadPlugins, pluginPaths } from "./plugins.ts";

const EXPORTS = `
export const models = [{
  name: "plugins-test-model", label: "Plugins test", family: "sanity", reference: "",
  defaults: { k: 3 }, create: () => { throw new Error("not built here"); },
}];
export const loaders = { "plugins-test-kind": () => ({ dataset: null, report: null }) };
`;

Deno.test("plugins: paths resolve against the experiment's folder; exports are registered", async () => {
  assert.deepEqual(pluginPaths(undefined, "/x/exp.yaml"), []);
  assert.deepEqual(pluginPaths(["./a.ts", "/b.ts"], "/x/exp.yaml"), ["/x/a.ts", "/b.ts"]);
  assert.deepEqual(pluginPaths("a.ts", "/x/exp.yaml"), ["/x/a.ts"]);
  assert.throws(() => pluginPaths([1], "/x/exp.yaml"), ConfigError);

  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "p.ts"), EXPORTS);
  await Deno.writeTextFile(
    join(dir, "exp.yaml"),
    "plugins: [./p.ts]\ndatasets:\n  d: { kind: plugins-test-kind }\n" +
      "models:\n  plugins-test-model: { k: 4 }\nseeds: [1]\n",
  );
  const plan = await loadExperiment(join(dir, "exp.yaml"));
  assert.deepEqual(plan.plugins, [join(dir, "p.ts")]);
  assert.equal(plan.models[0].label, "Plugins test");
  assert.equal(plan.models[0].config.k, 4);
  assert.equal(modelInfo("plugins-test-model").family, "sanity");
  assert.ok(isRegisteredLoader("plugins-test-kind"));
  await loadPlugins(plan.plugins); // again: the same specs, nothing happens

  await assert.rejects(
    () => loadPlugins([join(dir, "missing.ts")], "exp.yaml"),
    (e) => e instanceof ConfigError && /plugins\[0\].*missing\.ts: not found/.test(e.message),
  );
  await Deno.writeTextFile(join(dir, "bad.ts"), "export const models = [{ name: 'x y' }];\n");
  await assert.rejects(
    () => loadPlugins([join(dir, "bad.ts")], "exp.yaml"),
    (e) => e instanceof ConfigError && /bad\.ts: registerModel: name "x y"/.test(e.message),
  );
});

Deno.test("registerLoader: a registered kind loads through loadDataset", async () => {
  const ds = syntheticDataset({ users: 40, items: 30, seed: 3 });
  const loader = (spec: Record<string, unknown>) => ({ ...ds, name: String(spec.label) });
  registerLoader("plugins-test-synthetic", loader);
  registerLoader("plugins-test-synthetic", loader); // the same loader again: nothing happens
  const spec = { kind: "plugins-test-synthetic", label: "mine" } as never;
  assert.equal((await loadDataset(spec)).name, "mine");
  assert.throws(() => registerLoader("plugins-test-synthetic", () => ds), /already registered/);
  assert.throws(() => registerLoader("generic", () => ds), /already registered/);
  assert.throws(() => registerLoader("a b", () => ds), /kind "a b"/);
});
