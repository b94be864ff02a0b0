/**
 * `--set key.path=value` overrides as the command line hands them to an experiment: each is
 * checked on its own before the experiment is read (a malformed YAML value or an alias bomb
 * names `--set` and its key), and a problem the experiment finds under a key an override wrote
 * names that override rather than the experiment file, which never held the value.
 *
 * @module
 */
import { parse } from "yaml";
import { ConfigError } from "./check.ts";
import { YAML_LIMITS, yamlProblem } from "./yaml_file.ts";

/** The key path of an override (`settings.epochs` of `settings.epochs=3`), or a ConfigError. */
export function overrideKey(o: string): string {
  const eq = o.indexOf("=");
  if (eq <= 0) throw new ConfigError("--set", o, "expected key.path=value");
  const key = o.slice(0, eq);
  // `settings..epochs` or `.lr` would write a key named "" that no file can hold.
  if (key.split(".").some((part) => part.trim() === "")) {
    throw new ConfigError("--set", o, `key path "${key}" has an empty part`);
  }
  return key;
}

/** Checks that every override is `key.path=value` with a value that parses as YAML. */
export function checkOverrides(overrides: readonly string[]): void {
  for (const o of overrides) {
    const key = overrideKey(o);
    try {
      parse(o.slice(key.length + 1), YAML_LIMITS);
    } catch (e) {
      const problem = yamlProblem(e);
      if (problem === undefined) throw e;
      throw new ConfigError(`--set ${o}`, key, problem);
    }
  }
}

/**
 * `e` with its file replaced by `--set <override>` when it is a ConfigError of `file` under a
 * key that an override wrote (the last such override); otherwise `e` itself.
 */
export function attributeToOverride(e: unknown, file: string, overrides: readonly string[]) {
  if (!(e instanceof ConfigError) || e.file !== file) return e;
  const under = (key: string) => e.path === key || e.path.startsWith(`${key}.`);
  const o = [...overrides].reverse().find((o) => under(overrideKey(o)));
  if (o === undefined) return e;
  const detail = e.message.slice(`${e.file}: key "${e.path}": `.length);
  return new ConfigError(`--set ${o}`, e.path, detail);
}
