/**
 * Reading YAML config files with one-line errors that name the file (and line) on a missing
 * file, malformed YAML or an alias bomb (aliases that expand past a bound).
 *
 * @module
 */
import { parse, YAMLParseError } from "yaml";
import { ConfigError } from "./check.ts";

/** Reads and parses a YAML file; a missing file or a syntax error is a ConfigError. */
export async function readYamlFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new ConfigError(path, "", "file not found");
    throw e;
  }
  return parseYamlText(text, path);
}

/**
 * Bounds of YAML parsing: a document whose aliases expand to more than this many nodes (a
 * "billion laughs" alias bomb) is refused instead of filling memory.
 */
export const YAML_LIMITS = { maxAliasCount: 100 } as const;

/** What is wrong with YAML that failed to parse, in one line; undefined for other errors. */
export function yamlProblem(e: unknown): string | undefined {
  if (e instanceof YAMLParseError) {
    return `malformed YAML: ${e.message.split("\n")[0].replace(/:\s*$/, "")}`;
  }
  if (e instanceof ReferenceError && /excessive alias/i.test(e.message)) {
    return `YAML aliases expand past ${YAML_LIMITS.maxAliasCount} nodes (an alias bomb?): ` +
      `refused`;
  }
  // An alias to an anchor that does not exist.
  if (e instanceof ReferenceError) return `malformed YAML: ${e.message.split("\n")[0]}`;
  return undefined;
}

/** Parses YAML text; a syntax error or an alias bomb is a ConfigError naming `file` (and line). */
export function parseYamlText(text: string, file: string): unknown {
  try {
    return parse(text, YAML_LIMITS);
  } catch (e) {
    const problem = yamlProblem(e);
    if (problem === undefined) throw e;
    const line = e instanceof YAMLParseError ? e.linePos?.[0]?.line : undefined;
    throw new ConfigError(line ? `${file}:${line}` : file, "", problem);
  }
}

/**
 * A YAML value that must be a mapping (absent or null: an empty one); anything else is a
 * ConfigError at `file`, `path`.
 *
 * @example Usage
 * ```ts
 * import { asRecord } from "./yaml_file.ts";
 *
 * asRecord(null, "exp.yaml", "datasets.lastfm"); // {}
 * ```
 */
export function asRecord(v: unknown, file: string, path: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new ConfigError(file, path, `expected a mapping, got ${JSON.stringify(v)}`);
  }
  return v as Record<string, unknown>;
}

/**
 * Reads and parses a YAML file that may be missing (then undefined): a layer left out.
 *
 * @example Usage
 * ```ts
 * import { optionalYaml } from "./yaml_file.ts";
 *
 * const base = await optionalYaml("configs/base.yaml"); // undefined without the file
 * ```
 */
export async function optionalYaml(path: string): Promise<unknown> {
  try {
    await Deno.stat(path);
  } catch {
    return undefined;
  }
  return await readYamlFile(path);
}
