import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../config/check.ts";
import { ResultStore } from "../store/mod.ts";
import { describePlan } from "./describe_plan.ts";
import { runExperiment } from "./experiment.ts";
import { storedChoices } from "./at_choice.ts";

const SMALL = "dim: 8, decoderHidden: 8, attnHidden: 4, gateHidden: 4, sharedNegatives: 8";
const COMMON = `datasets:
  synthetic: { users: 120, items: 90, seed: 3 }
seeds: 2
settings: { epochs: 2, patience: 0, batchSize: 256 }
`;

/** A folder with the tuned experiment run into its store; `fn` gets a writer of more files. */
async function withTuned(
  fn: (e: { dir: string; store: string; write: (n: string, y: string) => string }) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "m2vae-at-choice-test-" });
  const write = (name: string, yaml: string) => {
    const file = join(dir, name);
    Deno.writeTextFileSync(file, yaml);
    return file;
  };
  const store = join(dir, "store.sqlite");
  try {
    const tuned = write(
      "tuned.yaml",
      `name: tuned_src
${COMMON}models:
  popularity: {}
  m2vae: { ${SMALL} }
search: { method: tune, budget: 2, eta: 2, seed: 0, defaults: false }
`,
    );
    const r = await runExperiment({ file: tuned, store, out: join(dir, "out_tuned"), quiet: true });
    assert.equal(r.code, 0);
    await fn({ dir, store, write });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("atChoice: every row of a tuned model runs at its full row's choice; the full row's runs are the tuned finals", async () => {
  await withTuned(async ({ dir, store, write }) => {
    const s = await ResultStore.open(store, { mustExist: true });
    const finals = (await s.trials("tuned_src")).filter((t) =>
      t.role === "result" && t.spec.model === "m2vae"
    );
    await s.close();
    assert.equal(finals.length, 2);
    const chosen = finals[0].spec;
    // Without the defaults among the configurations, the choice is not M2VAE's defaults.
    assert.notEqual(chosen.settings.lr, 0.001);
    assert.notEqual(chosen.config.attributePool, "attention");
    const file = write(
      "ablate.yaml",
      `name: abl
atChoice: tuned_src
${COMMON}models:
  popularity: {}
  m2vae: { ${SMALL} }
  m2vae (w/o DCL): { ${SMALL} }
  m2vae-own: { model: m2vae, label: "M2VAE own", settings: { weightDecay: 0.001 }, ${SMALL} }
`,
    );
    const r = await runExperiment({ file, store, out: join(dir, "out_abl"), quiet: true });
    assert.equal(r.code, 0);
    const full = r.trials.filter((t) => t.label === "M2VAE");
    // Same settings as the tuned experiment: the full row's trials are its reported finals.
    assert.deepEqual(full.map((t) => t.key).sort(), finals.map((t) => t.spec.key).sort());
    const ablated = r.trials.filter((t) => t.label === "M2VAE w/o DCL");
    assert.equal(ablated.length, 2);
    for (const t of ablated) {
      // The chosen hyperparameters, except α, which the variant pins (α = 0 when it builds).
      assert.equal(t.settings.lr, chosen.settings.lr);
      assert.equal(t.config.klWeight, chosen.config.klWeight);
      assert.equal(t.config.attributePool, chosen.config.attributePool);
      assert.ok(!("alpha" in t.point), JSON.stringify(t.point));
      assert.deepEqual(
        Object.keys(t.point).sort(),
        Object.keys(chosen.point).filter((a) => a !== "alpha").sort(),
      );
    }
    // A key the row sets itself stays its own (no configuration of the space has this decay).
    const own = r.trials.filter((t) => t.label === "M2VAE own");
    assert.equal(own.length, 2);
    for (const t of own) {
      assert.equal(t.settings.weightDecay, 0.001);
      assert.ok(!("settings.weightDecay" in t.point), JSON.stringify(t.point));
      assert.equal(t.settings.lr, chosen.settings.lr);
      assert.equal(t.config.attributePool, chosen.config.attributePool);
    }
    // The floor has no tune space: it runs as written.
    assert.deepEqual(r.trials.filter((t) => t.model === "popularity").map((t) => t.point), [
      {},
      {},
    ]);
    assert.match(
      describePlan(r.plan, r.trials),
      /search none: every row of a tuned model at its full row's choice in tuned_src/,
    );
    const table4 = r.report!.tables.find((t) => t.layout === "table4")!.table;
    assert.match(
      table4.caption,
      /ran at the configuration its model's full row chose in the tuned experiment tuned_src/,
    );
  });
});

Deno.test("atChoice: a missing or untuned experiment, a model it did not tune, a missing store: one line, nothing written", async () => {
  await withTuned(async ({ dir, store, write }) => {
    const yaml = (atChoice: string, models = `m2vae: { ${SMALL} }`) =>
      `name: abl2\natChoice: ${atChoice}\n${COMMON}models:\n  ${models}\n`;
    const out = join(dir, "out_bad");
    const fails = async (file: string, pattern: RegExp, at = store) => {
      await assert.rejects(
        () => runExperiment({ file, store: at, out, quiet: true }),
        (e: unknown) =>
          e instanceof ConfigError && /atChoice/.test(e.message) && pattern.test(e.message),
      );
      assert.equal(await Deno.stat(out).then(() => true, () => false), false);
    };
    await fails(write("a.yaml", yaml("nope")), /the store holds no experiment "nope"/);
    // An experiment that ran at a choice is not itself tuned.
    const plain = write("plain.yaml", `name: plain\n${COMMON}models: [popularity]\n`);
    assert.equal(
      (await runExperiment({ file: plain, store, out: join(dir, "o"), quiet: true })).code,
      0,
    );
    await fails(write("b.yaml", yaml("plain")), /"plain" was not tuned/);
    await fails(
      write("c.yaml", yaml("tuned_src", "clcrec: { dim: 16 }")),
      /no chosen configuration of clcrec on synthetic/,
    );
    await fails(write("d.yaml", yaml("tuned_src")), /does not exist/, join(dir, "none.sqlite"));
    await fails(write("self.yaml", yaml("abl2")), /names this experiment itself/);
    // Another version of the set under the same name: the choice was not made on it.
    await fails(
      write("g.yaml", yaml("tuned_src").replace("users: 120", "users: 130")),
      /chose on synthetic with other dataset options/,
    );
    await fails(
      write("f.yaml", `${yaml("tuned_src")}search: { space: { settings.lr: [0.01, 0.1] } }\n`),
      /nothing to search/,
    );
    // Nothing of the refused experiment reached the store.
    const s = await ResultStore.open(store, { mustExist: true });
    assert.equal(await s.experimentPlan("abl2"), undefined);
    await s.close();
    assert.equal(await Deno.stat(join(dir, "none.sqlite")).then(() => true, () => false), false);
    // A tuned experiment chooses its own configurations.
    await fails(
      write("e.yaml", `${yaml("tuned_src")}search: { method: tune, budget: 2 }\n`),
      /chooses its own configurations/,
    );
  });
});

Deno.test("storedChoices: the reported runs of a tuned full row, never its tuning rungs or other variants", async () => {
  const trial = (role: string, point: Record<string, unknown[]>, variant = "full") => ({
    role,
    spec: { dataset: "d", model: "m2vae", label: "M2VAE", variant, point, datasetSpec: { n: 1 } },
  });
  const fake = {
    experimentPlan: () => Promise.resolve({ search: { method: "tune" } }),
    trials: () =>
      Promise.resolve([
        trial("tune", { alpha: [1] }), // a rung of a configuration that was not chosen
        trial("result", { alpha: [100] }, "paper"), // another variant's row
        trial("result", { alpha: [10] }),
        trial("result", { alpha: [10] }),
      ]),
  } as unknown as ResultStore;
  const choices = await storedChoices(fake, "x", "f.yaml");
  assert.deepEqual(choices, [{
    dataset: "d",
    model: "m2vae",
    label: "M2VAE",
    point: { alpha: [10] },
    datasetSpec: { n: 1 },
  }]);
});
