/**
 * Test helper: runs a small experiment file through `runExperiment` into a store of its own and
 * returns the tables `storeReport` makes of it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Layout, storeReport, type Table } from "../report/mod.ts";
import { ResultStore } from "../store/mod.ts";
import { runExperiment } from "./experiment.ts";

const CONFIGS = fileURLToPath(new URL("../../configs", import.meta.url));

/** Runs the experiment `yaml` (named `name`) and reports `layouts`: each layout's first table. */
export async function runAndReport(
  yaml: string,
  name: string,
  layouts: Layout[],
): Promise<Partial<Record<Layout, Table>>> {
  const dir = await Deno.makeTempDir({ prefix: "report_test_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(file, yaml);
    const path = join(dir, "store.sqlite");
    const run = { file, store: path, out: join(dir, "out"), configsDir: CONFIGS, quiet: true };
    assert.equal((await runExperiment(run)).code, 0);
    const store = await ResultStore.open(path, { mustExist: true });
    try {
      const { tables } = await storeReport(store, name, layouts);
      return Object.fromEntries(
        layouts.flatMap((l) => {
          const t = tables.find((x) => x.layout === l);
          return t ? [[l, t.table]] : [];
        }),
      );
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
