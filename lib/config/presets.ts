/**
 * Tune presets: named points of a model's tune space, written in its model file beside `tune:`.
 *
 * ```yaml
 * tune:
 *   klWeight: { log: [1.0e-3, 1] }
 *   attributePool: [attention, mean]
 * presets:
 *   content-ranking: { klWeight: 0.001, attributePool: mean }
 * ```
 *
 * Under `search: { method: tune }` each preset is one of a row's configurations, after its
 * defaults and in place of the last draws (`lib/run/tune.ts`); the axes it leaves out take the
 * row's defaults.
 *
 * @module
 */
import { ConfigError, didYouMean } from "./check.ts";
import type { SearchAxis, SearchPoint } from "./search.ts";

/**
 * A named configuration of a model's tune space (the model file's `presets:` block): a value
 * for some of its axes, the others at the row's own defaults. Under `method: tune` each preset
 * is one of the row's `budget` configurations, after its defaults and before the draws.
 */
export interface TunePreset {
  name: string;
  /** Axis name → value (a tuple, as a {@linkcode SearchPoint} holds it). */
  point: SearchPoint;
}

/**
 * Parses a model file's `presets:` block against its tune axes: a mapping of preset name → a
 * mapping of axis name (as the `tune:` block writes it) → value, a listed value of that axis or
 * a number inside its range (a list of values for a paired axis). The axes a preset leaves out
 * take the row's own defaults when it is planned.
 *
 * @example Usage
 * ```ts
 * import { parseTuneSpace } from "./search.ts";
 *
 * const axes = parseTuneSpace({ klWeight: { log: [1e-3, 1] } }, "m.yaml", "m2vae");
 * parseTunePresets({ lowKl: { klWeight: 0.001 } }, axes, "m.yaml");
 * // [{ name: "lowKl", point: { klWeight: [0.001] } }]
 * ```
 */
export function parseTunePresets(
  raw: unknown,
  axes: readonly SearchAxis[],
  file: string,
): TunePreset[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, "presets", "expected a mapping of preset name: { axis: value }");
  }
  if (axes.length === 0) {
    throw new ConfigError(file, "presets", "presets need a tune: space to be configurations of");
  }
  const out: TunePreset[] = [];
  for (const [name, values] of Object.entries(raw as Record<string, unknown>)) {
    const at = `presets.${name}`;
    if (!/^[A-Za-z][\w-]*$/.test(name)) {
      throw new ConfigError(file, at, "expected a name of letters, digits, - and _");
    }
    if (!values || typeof values !== "object" || Array.isArray(values)) {
      throw new ConfigError(file, at, "expected a mapping of tune axis: value");
    }
    const entries = Object.entries(values as Record<string, unknown>);
    if (entries.length === 0) throw new ConfigError(file, at, "sets no axis");
    const point: SearchPoint = {};
    for (const [axisName, v] of entries) {
      const axis = axes.find((a) => a.name === axisName);
      if (!axis) {
        const hint = didYouMean(axisName, axes.map((a) => a.name));
        throw new ConfigError(
          file,
          `${at}.${axisName}`,
          `not an axis of the tune: space${hint ? ` (did you mean "${hint}"?)` : ""}`,
        );
      }
      const tuple = axis.keys.length === 1 ? [v] : v;
      const problem = presetValueProblem(axis, tuple);
      if (problem) throw new ConfigError(file, `${at}.${axisName}`, problem);
      point[axisName] = tuple as unknown[];
    }
    const same = out.find((p) => samePoint(p.point, point));
    if (same) throw new ConfigError(file, at, `the same configuration as presets.${same.name}`);
    out.push({ name, point });
  }
  return out;
}

/** Whether two partial points set the same axes to the same values (in any order). */
function samePoint(a: SearchPoint, b: SearchPoint): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length &&
    ka.every((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** Why `tuple` is not a value of `axis` (undefined when it is). */
function presetValueProblem(axis: SearchAxis, tuple: unknown): string | undefined {
  const shown = JSON.stringify(axis.keys.length === 1 ? (tuple as unknown[])[0] : tuple);
  if (axis.values) {
    const id = JSON.stringify(tuple);
    if (axis.values.some((x) => JSON.stringify(x) === id)) return undefined;
    const listed = axis.values.map((x) => JSON.stringify(x.length === 1 ? x[0] : x)).join(", ");
    return `${shown} is not one of the axis's values (${listed})`;
  }
  const { kind, lo, hi } = axis.range!;
  const x = (tuple as unknown[])[0];
  if (typeof x !== "number" || !(x >= lo && x <= hi) || (kind === "int" && !Number.isInteger(x))) {
    return `${shown} is outside the axis's range ${kind} [${lo}, ${hi}]`;
  }
  return undefined;
}
