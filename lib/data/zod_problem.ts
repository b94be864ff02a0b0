/**
 * The first problem of a value against a zod schema, as a dotted key path and one line of what
 * is wrong: the form every schema of the toolkit (dataset entries, settings, model configs)
 * reports in, so a wrong key, type or range reads the same wherever it was written. Unknown keys
 * come first (a typo explains the rest) with a did-you-mean; a check's own message (given with
 * zod's `error` parameter) is kept, followed by the value it got.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { schemaProblem } from "./zod_problem.ts";
 * const schema = z.strictObject({ users: z.number().int() });
 * schemaProblem(schema, { usrs: 3 }, (k, o) => o[0]);
 * // { path: "usrs", detail: 'unknown key (did you mean "users"?); known keys: users' }
 * ```
 *
 * @module
 */
import type { z } from "zod";

/** A problem with one key of a value: its dotted path, and what is wrong. */
export interface SpecProblem {
  /** `users`, `modalities.0.itemMap`, … (empty for the value itself). */
  path: string;
  detail: string;
}

/** Options of {@linkcode schemaProblem}. */
export interface ProblemOptions {
  /** Words after "unknown key", e.g. "for the synthetic loader". */
  unknownKeyNote?: string;
}

function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let o = v;
  for (const k of path) o = (o as Record<PropertyKey, unknown> | undefined)?.[k];
  return o;
}

/** A value as it reads in a message, cut at 60 characters. */
export function shown(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The schema below wrappers (optional, nullable, default, pipe) and refinements. */
function unwrap(s: z.ZodType): z.ZodType {
  let t = s as any;
  for (let i = 0; i < 10; i++) {
    const def = t?._zod?.def;
    if (!def) break;
    if (def.innerType) t = def.innerType;
    else if (def.type === "pipe") t = def.in;
    else break;
  }
  return t;
}

/** The object schema at `path` of `schema` (through arrays and wrappers), if any. */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> {
  let s: any = unwrap(schema);
  for (const k of path) {
    const def = s?._zod?.def;
    if (def?.type === "object") s = unwrap(def.shape[k as string]);
    else if (def?.type === "array") s = unwrap(def.element);
    else if (def?.type === "record") s = unwrap(def.valueType);
    else return {};
  }
  return s?._zod?.def?.type === "object" ? s._zod.def.shape : {};
}

/** zod's own messages; anything else was written for the check and is kept. */
const ZOD_DEFAULT = /^(Invalid|Too (big|small)|Unrecognized)/;

/**
 * The first problem of `value` against `schema`, or undefined when it passes. `suggest` finds a
 * did-you-mean for an unknown key among the keys allowed where it was written.
 */
export function schemaProblem(
  schema: z.ZodType,
  value: unknown,
  suggest: (key: string, options: string[]) => string | undefined,
  options: ProblemOptions = {},
): SpecProblem | undefined {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  const issues = [...r.error.issues].sort((a, b) =>
    Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys")
  );
  const issue = issues[0];
  const at = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const known = Object.keys(shapeAt(schema, issue.path));
    const hint = suggest(key, known);
    const note = options.unknownKeyNote ? ` ${options.unknownKeyNote}` : "";
    return {
      path: [...at, key].join("."),
      detail: `unknown key${note}${hint ? ` (did you mean "${hint}"?)` : ""}; ` +
        `known keys: ${known.join(", ")}`,
    };
  }
  const got = valueAt(value, issue.path);
  if (got === undefined && issue.code === "invalid_type") {
    return { path: at.join("."), detail: "missing" };
  }
  if (issue.code === "custom") return { path: at.join("."), detail: issue.message };
  let detail: string;
  if (!ZOD_DEFAULT.test(issue.message)) detail = `${issue.message}, got ${shown(got)}`;
  else {
    switch (issue.code) {
      case "invalid_type":
        detail = `expected ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}, ` +
          `got ${shown(got)}`;
        break;
      case "too_big":
        detail = `at most ${issue.maximum} allowed, got ${shown(got)}`;
        break;
      case "too_small":
        detail = `at least ${issue.minimum} needed, got ${shown(got)}`;
        break;
      case "invalid_value":
        detail = `expected one of ${issue.values.map(shown).join(", ")}, got ${shown(got)}`;
        break;
      default:
        detail = `${issue.message}, got ${shown(got)}`;
    }
  }
  return { path: at.join("."), detail };
}
