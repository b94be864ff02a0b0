/**
 * Reading YAML config files with one-line errors that name the file (and line) on a missing
 * file or malformed YAML.
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

/** Parses YAML text; a syntax error is a ConfigError naming `file` and the line. */
export function parseYamlText(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const line = e.linePos?.[0]?.line;
      const first = e.message.split("\n")[0];
      throw new ConfigError(line ? `${file}:${line}` : file, "", `malformed YAML: ${first}`);
    }
    throw e;
  }
}
