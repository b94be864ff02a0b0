/**
 * Writes the JSON Schemas of experiment files, `configs/datasets/` entries and `configs/models/`
 * files to `schemas/` (`deno task schema`) from the zod schemas the toolkit checks them with;
 * `--check` only compares (a test runs it, so the committed files follow every change of a
 * setting, a loader's keys or a model's config).
 *
 * @example
 * ```ts
 * import { schemasAreCurrent } from "./build_schemas.ts";
 * if (!(await schemasAreCurrent())) console.error("run deno task schema");
 * ```
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { datasetConfigNames, TOOLKIT_CONFIGS } from "./configs_folder.ts";
import { schemaFiles } from "./json_schema.ts";
import { readYamlFile } from "./yaml_file.ts";

/** The folder the schemas are written to: `schemas/` of the toolkit's checkout. */
export const SCHEMA_DIR: string = fileURLToPath(new URL("../../schemas", import.meta.url));

/** The toolkit's `configs/datasets/` names and their loader kinds. */
async function datasetKinds(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of (await datasetConfigNames()).sort()) {
    const spec = await readYamlFile(join(TOOLKIT_CONFIGS, "datasets", `${n}.yaml`));
    const kind = (spec as Record<string, unknown> | null)?.kind;
    if (typeof kind === "string") out[n] = kind;
  }
  return out;
}

/** The schema files as they should be, by path below {@linkcode SCHEMA_DIR}. */
export async function expectedSchemas(): Promise<Record<string, unknown>> {
  return schemaFiles(await datasetKinds());
}

/** The committed schema files that differ from what the zod schemas say (empty: current). */
export async function staleSchemas(): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, schema] of Object.entries(await expectedSchemas())) {
    let stored: unknown;
    try {
      stored = JSON.parse(await Deno.readTextFile(join(SCHEMA_DIR, path)));
    } catch {
      stale.push(path);
      continue;
    }
    if (!isDeepStrictEqual(stored, JSON.parse(JSON.stringify(schema)))) stale.push(path);
  }
  return stale;
}

/** Whether every committed schema file holds what the zod schemas say. */
export async function schemasAreCurrent(): Promise<boolean> {
  return (await staleSchemas()).length === 0;
}

if (import.meta.main) {
  if (Deno.args.includes("--check")) {
    const stale = await staleSchemas();
    if (stale.length > 0) {
      console.error(`schemas/ is out of date (${stale.join(", ")}): run deno task schema`);
      Deno.exit(1);
    }
    console.log("schemas/ is current");
  } else {
    const files = await expectedSchemas();
    for (const [path, schema] of Object.entries(files)) {
      const file = join(SCHEMA_DIR, path);
      await Deno.mkdir(dirname(file), { recursive: true });
      await Deno.writeTextFile(file, JSON.stringify(schema, null, 2) + "\n");
    }
    console.log(`wrote ${Object.keys(files).length} files to schemas/`);
  }
}
