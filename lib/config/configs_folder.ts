/**
 * The configs folder an experiment resolves against: the toolkit's own
 * ({@linkcode TOOLKIT_CONFIGS}) or one given, its `datasets/` entries, and the settings layer of
 * its `base.yaml`.
 *
 * @example Usage
 * ```ts
 * import { configsFolder, datasetConfigNames } from "./configs_folder.ts";
 *
 * const configs = await configsFolder(); // the toolkit's configs folder
 * console.log(await datasetConfigNames(configs)); // ["amazon-s3rec", "citeulike-a", "lastfm-2k-multimodal", …]
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./check.ts";
import type { SettingsLayer } from "./plan_types.ts";
import { asRecord, optionalYaml } from "./yaml_file.ts";

/**
 * The configs folder shipped with the toolkit (`base.yaml`, `models/`, `datasets/`), found from
 * this module's location, so that experiments resolve the same from any working directory
 * (`configs` under the working directory when the module is not loaded from files).
 */
export const TOOLKIT_CONFIGS: string = (() => {
  const url = new URL("../../configs", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : "configs";
})();

/** The configs folder to use; a ConfigError naming it when it is not a directory. */
export async function configsFolder(dir: string = TOOLKIT_CONFIGS): Promise<string> {
  const info = await Deno.stat(dir).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new ConfigError(
      dir,
      "",
      info ? "not a directory (expected a configs folder)" : "configs folder not found",
    );
  }
  return dir;
}

/** Names of the `datasets/` entries of a configs folder (sorted; none when it has no `datasets/`). */
export async function datasetConfigNames(configsDir: string = TOOLKIT_CONFIGS): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(join(configsDir, "datasets"))) {
      if (e.isFile && /\.ya?ml$/.test(e.name)) names.push(e.name.replace(/\.ya?ml$/, ""));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/** The settings layer of `configs/base.yaml`, if it has settings. */
export async function baseLayers(configs: string): Promise<SettingsLayer[]> {
  const basePath = join(configs, "base.yaml");
  const base = asRecord(await optionalYaml(basePath), basePath, "");
  if (base.settings === undefined) return [];
  return [{ file: basePath, path: "settings", values: base.settings, level: "base" }];
}
