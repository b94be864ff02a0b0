import assert from "node:assert/strict";
import { parse } from "yaml";
import { DATASET_KINDS } from "./registry.ts";
import { DATASET_SCHEMAS, datasetKeys, datasetSpecProblem } from "./spec_schema.ts";

const nearest = (key: string, options: string[]) => options.find((o) => o.startsWith(key[0]));

Deno.test("spec schema: every loader kind has one, and the shipped dataset configs pass it", () => {
  assert.deepEqual(Object.keys(DATASET_SCHEMAS).sort(), [...DATASET_KINDS].sort());
  const dir = new URL("../../configs/datasets/", import.meta.url);
  for (const e of Deno.readDirSync(dir)) {
    const spec = parse(Deno.readTextFileSync(new URL(e.name, dir)));
    const { settings: _, ...rest } = spec;
    assert.equal(datasetSpecProblem(rest, nearest), undefined, e.name);
  }
  assert.ok(datasetKeys("generic").includes("strict"));
  assert.deepEqual(datasetKeys("nosuch"), []);
});

Deno.test("spec schema: unknown keys first, then types and ranges, each naming the key", () => {
  assert.deepEqual(datasetSpecProblem({ kind: "synthetic", usrs: 3, items: 1.5 }, nearest), {
    path: "usrs",
    detail: 'unknown key for the synthetic loader (did you mean "users"?); known keys: ' +
      [...datasetKeys("synthetic")].join(", "),
  });
  assert.deepEqual(datasetSpecProblem({ kind: "synthetic", items: 1.5 }, nearest), {
    path: "items",
    detail: "expected an integer, got 1.5",
  });
  assert.deepEqual(datasetSpecProblem({ kind: "synthetic", users: 1e12 }, nearest), {
    path: "users",
    detail: "at most 1000000 allowed, got 1000000000000",
  });
  assert.deepEqual(
    datasetSpecProblem(
      { kind: "generic", interactions: "i.tsv", modalities: [{ name: "img", itemmap: "m" }] },
      () => "itemMap",
    )?.path,
    "modalities.0.itemmap",
  );
  assert.deepEqual(datasetSpecProblem({ kind: "generic", strict: "yes" }, nearest), {
    path: "strict",
    detail: 'expected a boolean, got "yes"',
  });
  assert.match(datasetSpecProblem({ kind: "nosuch" }, nearest)!.detail, /unknown loader kind/);
});
