import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config/check.ts";
import { loadExperiment } from "../config/experiment.ts";
import { RUN_DEFAULTS } from "../config/train_defaults.ts";
import { registerModel } from "../models/catalog.ts";
import { M2VAE_DEFAULTS } from "../models/m2vae/config.ts";
import { randomSpec } from "../models/random.ts";
import { canonicalJson, planTrials, trialKey, type TrialSpec } from "./plan.ts";

const CONFIGS = fileURLToPath(new URL("../../configs", import.meta.url));

/** Writes `yaml` to a temp experiment file and plans it. */
async function plan(yaml: string, overrides: string[] = []): Promise<TrialSpec[]> {
  const dir = await Deno.makeTempDir({ prefix: "plan_test_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(file, yaml);
    const p = await loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir, overrides });
    return planTrials(p);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Expects planning to throw a ConfigError whose path starts with / message names `path`. */
async function rejects(yaml: string, path: string, detail?: RegExp): Promise<void> {
  await assert.rejects(() => plan(yaml), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    assert.ok(e.message.includes(path), `message does not name ${path}: ${e.message}`);
    if (detail) assert.match(e.message, detail);
    return true;
  });
}

const BASE = `
datasets:
  synthetic: { users: 50, items: 40 }
models: [clcrec]
seeds: [1]
`;

Deno.test("planTrials: count is datasets × models × points × seeds, in run order", async () => {
  const trials = await plan(`
datasets:
  synthetic: { users: 50, items: 40 }
  small: { kind: synthetic, users: 30, items: 20 }
models: [clcrec, dropoutnet]
search:
  space:
    dim: [32, 64]
    settings.lr: [0.001, 0.01]
seeds: [1, 2, 3]
`);
  assert.equal(trials.length, 2 * 2 * 4 * 3);
  assert.deepEqual(
    trials.slice(0, 4).map((t) => [t.dataset, t.model, t.pointLabel, t.seed]),
    [
      ["synthetic", "clcrec", "dim=32, settings.lr=0.001", 1],
      ["synthetic", "clcrec", "dim=32, settings.lr=0.001", 2],
      ["synthetic", "clcrec", "dim=32, settings.lr=0.001", 3],
      ["synthetic", "clcrec", "dim=32, settings.lr=0.01", 1],
    ],
  );
  assert.equal(trials[12].model, "dropoutnet");
  assert.equal(trials[24].dataset, "small");
  for (const t of trials) {
    assert.equal(t.config.dim, t.point.dim[0]);
    assert.equal(t.settings.lr, t.point["settings.lr"][0]);
  }
  assert.equal(new Set(trials.map((t) => t.key)).size, trials.length);
});

Deno.test("planTrials: a model no axis touches runs once per seed", async () => {
  const trials = await plan(`
datasets:
  synthetic: { users: 50, items: 40 }
models: [random, clcrec]
search:
  space:
    clcrec.tau: [1.0, 2.5]
    dim: [32, 64]
seeds: [1, 2]
`);
  const random = trials.filter((t) => t.model === "random");
  const clcrec = trials.filter((t) => t.model === "clcrec");
  assert.equal(random.length, 2);
  assert.deepEqual(random.map((t) => t.seed), [1, 2]);
  assert.deepEqual(random[0].point, {});
  assert.equal(random[0].pointLabel, "");
  assert.equal(clcrec.length, 2 * 2 * 2);
  assert.deepEqual(
    [...new Set(clcrec.map((t) => `${t.config.tau}/${t.config.dim}`))],
    ["1/32", "1/64", "2.5/32", "2.5/64"],
  );
  assert.deepEqual(Object.keys(clcrec[0].point), ["clcrec.tau", "dim"]);
});

Deno.test("planTrials: keys are 16 hex digits and stable across loads", async () => {
  const a = await plan(BASE), b = await plan(BASE);
  assert.equal(a.length, 1);
  assert.match(a[0].key, /^[0-9a-f]{16}$/);
  assert.equal(a[0].key, b[0].key);
});

Deno.test("planTrials: keys change with config values, seed, dataset spec and real settings", async () => {
  const [base] = await plan(BASE);
  const [tau] = await plan(BASE.replace("models: [clcrec]", "models: { clcrec: { tau: 3.0 } }"));
  const [seed] = await plan(BASE.replace("seeds: [1]", "seeds: [2]"));
  const [users] = await plan(BASE.replace("users: 50", "users: 51"));
  const [epochs] = await plan(BASE + "settings: { epochs: 3 }\n");
  const [viaSet] = await plan(BASE, ["settings.epochs=3"]);
  const keys = [base.key, tau.key, seed.key, users.key, epochs.key];
  assert.equal(new Set(keys).size, keys.length, `keys collide: ${keys}`);
  assert.equal(tau.config.tau, 3);
  // The same effective config reached by another route hashes the same.
  assert.equal(viaSet.key, epochs.key);
});

Deno.test("planTrials: cosmetic settings (logEvery, userChunk, itemChunk) keep the key", async () => {
  const [base] = await plan(BASE);
  const [cosmetic] = await plan(BASE + "settings: { logEvery: 7, userChunk: 100, itemChunk: 9 }\n");
  assert.equal(cosmetic.settings.userChunk, 100);
  assert.equal(cosmetic.key, base.key);
});

Deno.test("planTrials: a search axis over a cosmetic setting is refused, naming the axis", async () => {
  await rejects(
    BASE + "search:\n  space:\n    settings.userChunk: [100, 200]\n",
    "search.space.settings.userChunk",
    /does not change results/,
  );
});

Deno.test("trialKey: depends on the key order of nothing", () => {
  const settings = { lr: 0.1, epochs: 2 } as never;
  const k1 = trialKey({
    dataset: "d",
    written: { kind: "synthetic", users: 5 },
    model: "m",
    config: { a: 1, b: [1, 2] },
    settings,
    seed: 1,
  });
  const k2 = trialKey({
    seed: 1,
    settings: { epochs: 2, lr: 0.1 } as never,
    config: { b: [1, 2], a: 1 },
    model: "m",
    written: { users: 5, kind: "synthetic" },
    dataset: "d",
  });
  assert.equal(k1, k2);
  assert.match(k1, /^[0-9a-f]{16}$/);
});

Deno.test("canonicalJson: sorted keys at every depth, arrays keep order", () => {
  const a = { b: 1, a: { d: [3, { y: 2, x: "s" }], c: null } };
  const b = { a: { c: null, d: [3, { x: "s", y: 2 }] }, b: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"c":null,"d":[3,{"x":"s","y":2}]},"b":1}');
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assert.equal(canonicalJson("x"), '"x"');
  assert.deepEqual(JSON.parse(canonicalJson(a)), a);
});

Deno.test("planTrials: scoped axis for a model not in the experiment", async () => {
  await rejects(
    BASE + "search: { space: { m2vae.beta: [0.1, 0.5] } }\n",
    "search.space.m2vae.beta",
    /not in this experiment/,
  );
});

Deno.test("planTrials: unscoped key that no model has", async () => {
  await rejects(
    BASE + "search: { space: { nosuchkey: [1, 2] } }\n",
    "search.space.nosuchkey",
    /no model of this experiment has "nosuchkey"/,
  );
});

Deno.test("planTrials: scoped unknown key names the axis", async () => {
  await rejects(BASE + "search: { space: { clcrec.taux: [1.0] } }\n", "search.space.clcrec.taux");
});

Deno.test("planTrials: settings axis with an unknown setting", async () => {
  await rejects(
    BASE + "search: { space: { settings.learningRate: [0.1] } }\n",
    "search.space.settings.learningRate",
    /unknown setting "learningRate"/,
  );
});

Deno.test("planTrials: wrongly typed model axis value names the axis", async () => {
  await rejects(
    BASE + 'search: { space: { clcrec.tau: ["high"] } }\n',
    "search.space.clcrec.tau",
    /expected a number/,
  );
  await rejects(
    BASE + 'search: { space: { dim: [64, "wide"] } }\n',
    "search.space.dim",
    /expected a number/,
  );
});

Deno.test("wrongly typed settings axis value names the axis search.space.settings.lr", async () => {
  // plan.ts applyPoint strips ".settings." from the path, so the error names the key
  // "search.space.lr.lr", which appears nowhere in the experiment file.
  await rejects(
    BASE + 'search: { space: { settings.lr: ["fast"] } }\n',
    "search.space.settings.lr",
    /expected a number/,
  );
});

Deno.test("settings axis values are range-checked like settings", async () => {
  // `settings: {epochs: 0}` is rejected by checkSettings; the same value through a search axis
  // must not slip into a trial either.
  await assert.rejects(() => plan(BASE + "settings: { epochs: 0 }\n"), ConfigError);
  await rejects(BASE + "search: { space: { settings.epochs: [0, 2] } }\n", "epochs");
  await rejects(BASE + 'search: { space: { settings.protocol: ["bogus"] } }\n', "protocol");
});

Deno.test("planTrials: model settings layer as model file < experiment < model entry", async () => {
  const trials = await plan(`
datasets:
  synthetic: { users: 50, items: 40 }
models:
  gar: {}
  mtpr: { settings: { lr: 0.5 } }
  clcrec: {}
seeds: [1]
settings: { epochs: 3 }
`);
  const lr = (m: string) => trials.find((t) => t.model === m)!.settings.lr;
  assert.equal(lr("gar"), 1e-4); // configs/models/gar.yaml settings
  assert.equal(lr("mtpr"), 0.5); // the entry beats the model file's 0.01
  assert.equal(lr("clcrec"), 1e-3); // base
  assert.ok(trials.every((t) => t.settings.epochs === 3));
  const over = await plan(`
datasets:
  synthetic: { users: 50, items: 40 }
models: [gar]
seeds: [1]
settings: { lr: 0.02 }
`);
  assert.equal(over[0].settings.lr, 0.02); // the experiment beats the model file
  await rejects(
    `${BASE.replace("models: [clcrec]", "models:\n  clcrec: { settings: { lrr: 1 } }")}`,
    "models.clcrec.settings.lrr",
    /did you mean "lr"/,
  );
});

Deno.test("trialKey: a setting added later stays out of the key at its neutral value", () => {
  const parts = {
    dataset: "d",
    written: {},
    model: "m",
    config: {},
    settings: { ...RUN_DEFAULTS },
    seed: 1,
  };
  const { tableUpdate: _t, ...before } = RUN_DEFAULTS;
  assert.equal(trialKey(parts), trialKey({ ...parts, settings: before as typeof RUN_DEFAULTS }));
  assert.notEqual(
    trialKey(parts),
    trialKey({ ...parts, settings: { ...RUN_DEFAULTS, tableUpdate: "dense" } }),
  );
});

Deno.test("trialKey: M2VAE's decoderRaws at its default keeps the keys stored before it existed", () => {
  const parts = {
    dataset: "synthetic",
    written: { kind: "synthetic" },
    model: "m2vae",
    config: { ...M2VAE_DEFAULTS },
    settings: { ...RUN_DEFAULTS },
    seed: 1,
  };
  const { decoderRaws: _r, ...before } = M2VAE_DEFAULTS;
  assert.equal(trialKey(parts), trialKey({ ...parts, config: before }));
  assert.notEqual(
    trialKey(parts),
    trialKey({ ...parts, config: { ...before, decoderRaws: false } }),
  );
  // Only M2VAE's own key is neutral: another model's decoderRaws would be hashed.
  assert.notEqual(
    trialKey({ ...parts, model: "x", config: { decoderRaws: true } }),
    trialKey({ ...parts, model: "x", config: {} }),
  );
});

Deno.test("trialKey: an m2vae config with decoderRaws: true hashes as one without the key", () => {
  const parts = {
    dataset: "synthetic",
    written: { kind: "synthetic" },
    model: "m2vae",
    config: { alpha: 10 },
    settings: { ...RUN_DEFAULTS },
    seed: 1,
  };
  assert.equal(
    trialKey({ ...parts, config: { alpha: 10, decoderRaws: true } }),
    trialKey(parts),
  );
});

Deno.test("trialKey: a registered model's own neutralConfig keeps its keys out", () => {
  registerModel({
    ...randomSpec,
    name: "neutral-test",
    label: "NeutralTest",
    defaults: { fast: false },
    neutralConfig: { fast: false },
  });
  const parts = {
    dataset: "d",
    written: {},
    model: "neutral-test",
    config: {},
    settings: { ...RUN_DEFAULTS },
    seed: 1,
  };
  assert.equal(trialKey({ ...parts, config: { fast: false } }), trialKey(parts));
  assert.notEqual(trialKey({ ...parts, config: { fast: true } }), trialKey(parts));
});

Deno.test("planTrials: a row's label is not in the trial key; a free row id with model: plans alike", async () => {
  const [plain] = await plan(BASE);
  const [labelled] = await plan(
    BASE.replace("models: [clcrec]", 'models: { c: { model: clcrec, label: "My CLCRec" } }'),
  );
  assert.equal(labelled.label, "My CLCRec");
  assert.equal(labelled.key, plain.key);
  const [changed] = await plan(
    BASE.replace("models: [clcrec]", 'models: { c: { model: clcrec, label: "X", tau: 3.0 } }'),
  );
  assert.notEqual(changed.key, plain.key);
});
