import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MODELS } from "./registry.ts";

/** Every `*_test.ts` under `dir`, recursively. */
function testFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory) return testFiles(p);
    return e.name.endsWith("_test.ts") ? [p] : [];
  });
}

Deno.test("every built-in model runs the shared conformance checks (_conformance.ts)", () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const checked = new Set<string>();
  for (const file of testFiles(here)) {
    for (const m of Deno.readTextFileSync(file).matchAll(/conformanceTests\(\s*(\w+)Spec\b/g)) {
      checked.add(m[1]);
    }
  }
  // A spec is exported as the camel-cased name + "Spec" (pad-clrec: padClrecSpec).
  const specName = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  const missing = Object.keys(MODELS).filter((name) => !checked.has(specName(name)));
  assert.deepEqual(missing, []);
});
