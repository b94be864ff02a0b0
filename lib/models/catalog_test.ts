import assert from "node:assert/strict";
import { catalogIsCurrent } from "./build_catalog.ts";
import {
  BUILTIN_MODEL_NAMES,
  modelInfo,
  modelNames,
  neutralConfigOf,
  registerModel,
} from "./catalog.ts";
import { MODELS, resolveModel } from "./registry.ts";
import { randomSpec } from "./random.ts";

Deno.test("catalog.json is what the registry says (else: deno task build:catalog)", () => {
  assert.ok(catalogIsCurrent(), "lib/models/catalog.json is out of date: deno task build:catalog");
  assert.deepEqual(BUILTIN_MODEL_NAMES, Object.keys(MODELS));
});

Deno.test("the catalog's info of every built-in model equals its spec's", () => {
  for (const [name, spec] of Object.entries(MODELS)) {
    const info = modelInfo(name);
    assert.equal(info.name, spec.name);
    assert.equal(info.label, spec.label);
    assert.equal(info.family, spec.family);
    assert.equal(info.reference, spec.reference);
    assert.equal(info.rebuiltFrom, spec.rebuiltFrom);
    assert.deepStrictEqual(info.defaults, spec.defaults, name);
    assert.deepEqual(info.variants, spec.variants);
    assert.equal(info.pinnedBy === undefined, spec.pinnedBy === undefined);
    for (const v of spec.variants ?? []) assert.deepEqual(info.pinnedBy!(v), spec.pinnedBy!(v));
    assert.deepEqual(info.neutralConfig, spec.neutralConfig, name);
  }
  assert.throws(
    () => modelInfo("nope"),
    /Cannot resolve model "nope": registered models are "random"/,
  );
  assert.throws(() => resolveModel("nope"), /registered models are/);
  assert.throws(() => resolveModel("toString"), /Cannot resolve model "toString"/);
});

Deno.test("registerModel adds a model to the catalog and the registry, once", () => {
  const spec = {
    ...randomSpec,
    name: "catalog-test-floor",
    label: "Catalog test floor",
    defaults: { dim: 4 },
  };
  registerModel(spec);
  registerModel(spec); // the same spec again: nothing happens
  assert.equal(resolveModel("catalog-test-floor"), spec);
  assert.equal(modelInfo("catalog-test-floor").label, "Catalog test floor");
  assert.ok(modelNames().includes("catalog-test-floor"));
  assert.throws(() => registerModel({ ...spec }), /already registered/);
  assert.throws(() => registerModel({ ...randomSpec }), /"random" is already registered/);
  assert.throws(() => registerModel({ ...spec, name: "other", label: "Random" }), /label/);
  assert.throws(() => registerModel({ ...spec, name: "a b" }), /name "a b"/);
  assert.throws(() => registerModel({ ...spec, name: "x", family: "new" as never }), /family/);
  assert.throws(() => registerModel({ ...spec, name: "x", create: undefined as never }), /create/);
});

Deno.test("neutralConfigOf: M2VAE's and MVDGAE's later keys, nothing for other or unknown models", () => {
  assert.deepEqual(neutralConfigOf("m2vae"), {
    decoderRaws: true,
    rankLoss: "bpr",
    tauRank: 1,
    attributePool: "attention",
    rankNegatives: "users",
    attrInitStd: 0.1,
    rankItemNegatives: 1,
    contentAlign: 0,
    sharedNegatives: 0,
    gateKl: "train",
    plantedFusion: "off",
    reconFusion: "fused",
    gateBalance: 0,
    viewRankWeight: 0,
  });
  assert.deepEqual(neutralConfigOf("mvdgae"), { taskWeights: "kendall" });
  assert.deepEqual(neutralConfigOf("clcrec"), {});
  assert.deepEqual(neutralConfigOf("nope"), {});
});
