/**
 * Checks a user-supplied config object against typed defaults: unknown keys are errors with a
 * did-you-mean, values must have the default's type (numbers finite), and the result is the
 * defaults overlaid with the given values.
 *
 * @module
 */

/** A config problem, one line naming the file and the key path. */
export class ConfigError extends Error {
  /**
   * @param file the file the value came from
   * @param path dotted key path, e.g. `models.clcrec.tau`
   * @param detail what is wrong
   */
  constructor(readonly file: string, readonly path: string, detail: string) {
    super(`${file}: key "${path}": ${detail}`);
    this.name = "ConfigError";
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length][b.length];
}

/** The closest of `options` to `key`, if it is close enough to be a likely typo. */
export function didYouMean(key: string, options: readonly string[]): string | undefined {
  let best: string | undefined, bestD = Infinity;
  for (const o of options) {
    const d = editDistance(key.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Overlays `raw` on `defaults` after checking every key and type.
 *
 * @param defaults typed defaults (their keys are the only allowed keys)
 * @param raw the user's values (from YAML or the command line)
 * @param file where `raw` came from, for messages
 * @param prefix key path prefix for messages
 */
export function checkConfig<C extends Record<string, unknown>>(
  defaults: C,
  raw: unknown,
  file: string,
  prefix: string,
): C {
  if (raw === undefined || raw === null) return { ...defaults };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, prefix, `expected a mapping, got ${JSON.stringify(raw)}`);
  }
  const out: Record<string, unknown> = { ...defaults };
  const keys = Object.keys(defaults);
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!(k in defaults)) {
      const hint = didYouMean(k, keys);
      throw new ConfigError(
        file,
        path,
        `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}; known keys: ${keys.join(", ")}`,
      );
    }
    const want = typeof defaults[k];
    if (typeof v !== want || (want === "number" && !Number.isFinite(v as number))) {
      throw new ConfigError(file, path, `expected a ${want}, got ${JSON.stringify(v)}`);
    }
    out[k] = v;
  }
  return out as C;
}
