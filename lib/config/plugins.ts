/**
 * Plugins: modules that add models and dataset loaders from outside the toolkit. An experiment
 * names them under `plugins:` (paths relative to the experiment file); reading the experiment
 * imports them, and the store keeps their paths with the plan so that workers import them too.
 * A plugin registers what it brings when imported (`registerModel(spec)`,
 * `registerLoader(kind, loader)`) or exports it: `models` (specs, as a list or by name) and
 * `loaders` (loaders by kind), which are registered for it.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type DatasetLoader, registerLoader } from "../data/registry.ts";
import { registerModel } from "../models/catalog.ts";
import type { ModelSpec } from "../train/model.ts";
import { ConfigError } from "./check.ts";

/** `plugins:` of an experiment `file`: a list of module paths, resolved against its folder. */
export function pluginPaths(raw: unknown, file: string): string[] {
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((p) => typeof p === "string" && p !== "")) {
    throw new ConfigError(
      file,
      "plugins",
      `expected a list of module paths, got ${JSON.stringify(raw)}`,
    );
  }
  return list.map((p) => isAbsolute(p) ? p : resolve(dirname(file), p));
}

/**
 * Imports each plugin module (absolute paths) and registers the `models` and `loaders` it
 * exports. A missing or failing module, or a bad registration, is a ConfigError naming `file`
 * (the experiment, or the store the paths came from) and the plugin.
 */
export async function loadPlugins(paths: readonly string[], file = "plugins"): Promise<void> {
  for (const [i, path] of paths.entries()) {
    const where = `plugins[${i}]`;
    const fail = (what: string): never => {
      throw new ConfigError(file, where, `${path}: ${what}`);
    };
    if (!(await Deno.stat(path).then((s) => s.isFile, () => false))) fail("not found");
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(path).href);
    } catch (e) {
      return fail(`cannot be loaded: ${(e as Error).message.split("\n")[0]}`);
    }
    try {
      const models = mod.models ?? [];
      if (typeof models !== "object" || models === null) fail("`models` must be a list of specs");
      for (const spec of Object.values(models as object)) registerModel(spec as ModelSpec<any>);
      const loaders = mod.loaders ?? {};
      if (typeof loaders !== "object" || loaders === null || Array.isArray(loaders)) {
        fail("`loaders` must map loader kinds to loaders");
      }
      for (const [kind, loader] of Object.entries(loaders as Record<string, DatasetLoader>)) {
        registerLoader(kind, loader);
      }
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      fail((e as Error).message);
    }
  }
}
