/**
 * Writes `catalog.json` (the built-in models' names, labels, families, references, defaults and
 * variants, read without loading TF.js) from the registry; `--check` only compares.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { catalogOf } from "./catalog.ts";
import { MODELS } from "./registry.ts";

/** Where the catalog lives. */
export const CATALOG_FILE: URL = new URL("./catalog.json", import.meta.url);

/** Whether `catalog.json` holds what the registry says. */
export function catalogIsCurrent(): boolean {
  const stored = JSON.parse(Deno.readTextFileSync(CATALOG_FILE));
  return isDeepStrictEqual(stored, JSON.parse(JSON.stringify(catalogOf(MODELS))));
}

if (import.meta.main) {
  if (Deno.args.includes("--check")) {
    if (!catalogIsCurrent()) {
      console.error("lib/models/catalog.json is out of date: run deno task build:catalog");
      Deno.exit(1);
    }
    console.log("lib/models/catalog.json is current");
  } else {
    Deno.writeTextFileSync(CATALOG_FILE, JSON.stringify(catalogOf(MODELS), null, 2) + "\n");
    console.log("wrote lib/models/catalog.json");
  }
}
