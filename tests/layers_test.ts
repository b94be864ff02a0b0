/**
 * The layering of lib/: cli → analysis → run → report/config → models → bench → store → train →
 * eval → split → data/nn → tf/rng. Every import (static, re-export or dynamic) of a non-test
 * module under lib/ must point to its own folder or a lower one, and no chain of imports may
 * come back to where it started. Reading an experiment file must not load TF.js.
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LIB = join(ROOT, "lib");

/** Rank of each folder of lib/: a module may import its own rank or a lower one. */
export const LAYERS: Readonly<Record<string, number>> = {
  tf: 0,
  rng: 0,
  data: 1,
  nn: 1,
  split: 2,
  eval: 3,
  train: 4,
  store: 5,
  // The benchmarks time a model's steps from its spec; M2VAE's own benchmark uses them.
  bench: 5.5,
  models: 6,
  report: 7,
  config: 7,
  run: 8,
  // The analysis of stored results rebuilds trained models through run's restore.
  analysis: 9,
};

function isTest(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.endsWith("_test.ts") || name.startsWith("_");
}

/** Non-test TypeScript modules under `dir` (the kernel's AssemblyScript source excluded). */
function modules(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory && e.name !== "assembly") out.push(...modules(p));
    else if (e.isFile && e.name.endsWith(".ts") && !isTest(p)) out.push(p);
  }
  return out.sort();
}

/** The relative specifiers a module imports, re-exports or loads dynamically. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const m of code.matchAll(/\bfrom\s+"(\.[^"]+)"|\bimport\s*\(\s*"(\.[^"]+)"\s*\)/g)) {
    out.push(m[1] ?? m[2]);
  }
  for (const m of code.matchAll(/^\s*import\s+"(\.[^"]+)"/gm)) out.push(m[1]);
  return out;
}

/** The lib/ folder a module belongs to (`undefined` outside lib/). */
function layerOf(path: string): string | undefined {
  const rel = relative(LIB, path);
  return rel.startsWith("..") ? undefined : rel.split("/")[0];
}

/** The import graph of lib/'s modules (edges to other lib/ modules only). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of modules(LIB)) {
    const targets = importsOf(Deno.readTextFileSync(file))
      .map((s) => resolve(dirname(file), s))
      .filter((t) => layerOf(t) !== undefined);
    g.set(file, targets);
  }
  return g;
}

Deno.test("every lib/ folder has a layer", () => {
  for (const e of Deno.readDirSync(LIB)) {
    if (e.isDirectory) assert.ok(e.name in LAYERS, `lib/${e.name} has no layer in this test`);
  }
});

Deno.test("no import in lib/ runs back up a layer", () => {
  const up: string[] = [];
  for (const [file, targets] of graph()) {
    const from = layerOf(file)!;
    for (const t of targets) {
      const to = layerOf(t)!;
      if (LAYERS[to] > LAYERS[from]) up.push(`${relative(ROOT, file)} → ${relative(ROOT, t)}`);
    }
  }
  assert.deepEqual(up, []);
});

Deno.test("no import circle in lib/", () => {
  const g = graph();
  const state = new Map<string, "open" | "done">();
  const circles: string[] = [];
  const visit = (file: string, path: string[]) => {
    state.set(file, "open");
    for (const t of g.get(file) ?? []) {
      if (state.get(t) === "open") {
        const loop = [...path.slice(path.indexOf(t)), file, t];
        circles.push(loop.map((p) => relative(ROOT, p)).join(" → "));
      } else if (!state.has(t)) visit(t, [...path, file]);
    }
    state.set(file, "done");
  };
  for (const file of g.keys()) if (!state.has(file)) visit(file, []);
  assert.deepEqual(circles, []);
});

Deno.test("importsOf reads static, re-exported and dynamic imports, not comments", () => {
  const text = [
    `import { a } from "./a.ts";`,
    `export * from "../b/mod.ts";`,
    `import type {`,
    `  C,`,
    `} from "./c.ts";`,
    `const d = await import("./d.ts");`,
    `import "./e.ts";`,
    `// import { x } from "./x.ts";`,
    `/** from "./y.ts" */`,
    `import { z } from "npm:z";`,
  ].join("\n");
  assert.deepEqual(importsOf(text), ["./a.ts", "../b/mod.ts", "./c.ts", "./d.ts", "./e.ts"]);
});

/** Runs `code` as a module in a fresh process at the repository root; returns its stdout. */
async function runModule(code: string): Promise<string> {
  const file = await Deno.makeTempFile({ dir: ROOT, prefix: ".layers_", suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, code);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", join(ROOT, "deno.json"), file],
      cwd: ROOT,
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, err);
    return new TextDecoder().decode(out.stdout).trim();
  } finally {
    await Deno.remove(file);
  }
}

// TF.js keeps its engine in `globalThis._tfengine` from the moment it loads.
const TF_LOADED = `console.log("_tfengine" in globalThis ? "tf loaded" : "no tf");`;

Deno.test("reading an experiment file does not load TF.js", async () => {
  const read = `
    import { loadExperiment } from "./lib/config/mod.ts";
    import { planTrials } from "./lib/run/plan.ts";
    const plan = await loadExperiment("experiments/table4_ablation.yaml");
    if (planTrials(plan).length === 0) throw new Error("no trials");
    ${TF_LOADED}`;
  assert.equal(await runModule(read), "no tf");
  // The signal itself: loading the runtime sets it.
  assert.equal(await runModule(`import "./lib/tf/mod.ts";\n${TF_LOADED}`), "tf loaded");
});
