/**
 * Hyperparameter search spaces of experiment files and their expansion into points.
 *
 * ```yaml
 * search:
 *   method: grid            # cartesian product of every axis (default)
 *   space:
 *     alpha: [1, 10, 100]   # a model key, applied to every model that has it
 *     m2vae.beta: [0.1, 0.5, 1]   # scoped to one model
 *     cp,cn: [[5, 20], [10, 40]]  # paired axis: values move together
 *     settings.lr: [1.0e-3, 1.0e-4]
 * ```
 * `method: random` draws `budget` distinct points from the space (seeded by `seed`); besides
 * value lists its axes may be ranges `{uniform: [a, b]}`, `{log: [a, b]}` or `{int: [a, b]}`.
 *
 * `method: tune` is the fair tuning protocol (`lib/run/tune.ts`): no `space` here — every row
 * gets `budget` configurations: its own defaults (unless `defaults: false`) and draws from its
 * model's `tune:` block (`configs/models/<name>.yaml`, parsed by {@linkcode parseTuneSpace}),
 * successive halving with factor `eta` over `rungs`
 * (epoch counts ending at `settings.epochs`; default: the cap divided by powers of `eta`) picks
 * one on validation, and that one runs with every seed.
 *
 * @module
 */
import { z } from "zod";
import { schemaProblem } from "../data/zod_problem.ts";
import { Rng } from "../rng/mod.ts";
import type { SearchPoint } from "../store/trial_spec.ts";
import { ConfigError, didYouMean } from "./check.ts";

/** One axis of a search space. */
export interface SearchAxis {
  /** The axis as written, e.g. `alpha`, `m2vae.beta`, `cp,cn`, `settings.lr`. */
  name: string;
  /** The keys it sets (several for a paired axis), without scope. */
  keys: string[];
  /** `settings` for engine settings, a model name for a scoped key, `*` for every model. */
  scope: string;
  /** Where errors about it point (default `search.space.<name>`). */
  path?: string;
  /** Listed values (a tuple per value for a paired axis) … */
  values?: unknown[][];
  /** … or a range (random search only). */
  range?: { kind: "uniform" | "log" | "int"; lo: number; hi: number };
}

/** A parsed search block. */
export interface SearchSpace {
  method: "grid" | "random" | "tune";
  axes: SearchAxis[];
  /** Points drawn by random search; configurations per row for `tune`. */
  budget: number;
  /** Seed of random search and of the tuning draws. */
  seed: number;
  /** `tune`: the fraction 1/eta of a rung's configurations that goes on to the next (default 3). */
  eta?: number;
  /** `tune`: the epoch counts of the rungs, if given (they end at `settings.epochs`). */
  rungs?: number[];
  /**
   * `tune`: whether each row's own defaults (its model config and settings as given) are one of
   * its `budget` configurations, the others drawn (default true).
   */
  defaults?: boolean;
  /** `tune`: whether the rows' model presets are among their configurations (default true). */
  presets?: boolean;
  /**
   * `tune`: how many seeds choose among the top rung's configurations (default 1: the tuning
   * seed alone). With k > 1 every configuration that finishes the top rung also runs the k − 1
   * lowest other seeds to the cap (the same runs as its finals there), and the best mean
   * validation over the k seeds is the choice.
   */
  topSeeds?: number;
}

export type { SearchPoint };

const positiveInt = (what: string) =>
  z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` });

/**
 * The `search:` block's keys and values: `method`, `budget`, `seed`, and for `method: tune`
 * `eta`, `rungs`, `defaults`, `presets` and `topSeeds` (no `space`: each row brings its model's). The axes of `space`
 * are checked by {@linkcode parseSearch}, which turns each into a {@linkcode SearchAxis}.
 */
export const SEARCH_SCHEMA = z.strictObject({
  method: z.enum(["grid", "random", "tune"], { error: 'expected "grid", "random" or "tune"' })
    .meta({
      description: "grid (every point), random (budget points) or tune (the fair protocol)",
    }),
  space: z.record(z.string(), z.unknown(), { error: "expected a mapping of axis: values" }).meta({
    description: "axes: a key (alpha), a scoped key (m2vae.beta), a paired axis (cp,cn) or " +
      "settings.<key>, each a list of values or { log: [lo, hi] }",
  }),
  budget: positiveInt("a positive integer").meta({
    description: "random: points drawn; tune: configurations per row (default 10)",
  }),
  seed: z.number({ error: "expected an integer" }).int({ error: "expected an integer" }).meta({
    description: "seed of the random draws (default 0)",
  }),
  eta: z.number({ error: "expected an integer ≥ 2" }).int({ error: "expected an integer ≥ 2" })
    .min(2, { error: "expected an integer ≥ 2" }).meta({
      description: "tune: the best 1/eta of a rung go on to the next (default 3)",
    }),
  rungs: z.array(positiveInt("increasing positive epoch counts"), {
    error: "expected increasing positive epoch counts",
  }).min(1, { error: "expected increasing positive epoch counts" }).refine(
    (r) => r.every((x, i) => i === 0 || x > r[i - 1]),
    {
      error: (iss) => `expected increasing positive epoch counts, got ${JSON.stringify(iss.input)}`,
    },
  ).meta({ description: "tune: the epoch counts of the rungs, ending at settings.epochs" }),
  defaults: z.boolean({ error: "expected true or false" }).meta({
    description: "tune: whether each row's own defaults are one of its configurations",
  }),
  presets: z.boolean({ error: "expected true or false" }).meta({
    description: "tune: whether each row's model presets (presets: in its model file) are " +
      "among its configurations",
  }),
  topSeeds: positiveInt("a positive integer").meta({
    description: "tune: seeds whose mean validation chooses among the top rung's " +
      "configurations (default 1: the tuning seed)",
  }),
}, { error: "expected a mapping with method and space" }).partial().superRefine((r, ctx) => {
  if (r.method !== "tune") {
    for (const k of ["eta", "rungs", "defaults", "presets", "topSeeds"] as const) {
      if (k in r) {
        ctx.addIssue({ code: "custom", path: [k], message: "only search.method: tune has it" });
      }
    }
  } else if (r.space !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["space"],
      message: "method tune draws every row from its own model's space (the tune: block of " +
        "configs/models/<name>.yaml); give no space here",
    });
  }
}).meta({ title: "search", description: "the search space and how it is searched" });

/** Parses and checks the `search` block of `file` (absent = a single empty point). */
export function parseSearch(raw: unknown, file: string): SearchSpace {
  if (raw === undefined || raw === null) return { method: "grid", axes: [], budget: 1, seed: 0 };
  const problem = schemaProblem(SEARCH_SCHEMA, raw, didYouMean);
  if (problem) {
    throw new ConfigError(
      file,
      problem.path ? `search.${problem.path}` : "search",
      problem.detail,
    );
  }
  const r = raw as z.infer<typeof SEARCH_SCHEMA>;
  const method = r.method ?? "grid";
  const budget = r.budget ?? 10, seed = r.seed ?? 0;
  if (method === "tune") {
    return {
      method,
      axes: [],
      budget,
      seed,
      eta: r.eta ?? 3,
      rungs: r.rungs,
      defaults: r.defaults ?? true,
      presets: r.presets ?? true,
      topSeeds: r.topSeeds ?? 1,
    };
  }
  const axes = Object.entries(r.space ?? {}).map(([name, v]) => parseAxis(name, v, file, method));
  return { method, axes, budget, seed };
}

/**
 * Parses a model file's `tune:` block: axes as in `search.space` (lists or ranges), where a
 * bare key is one of this model's config keys and `settings.<key>` an engine setting.
 */
export function parseTuneSpace(raw: unknown, file: string, model: string): SearchAxis[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, "tune", "expected a mapping of axis: values or range");
  }
  return Object.entries(raw as Record<string, unknown>).map(([name, v]) => {
    const axis = parseAxis(name, v, file, "random", "tune");
    if (axis.scope !== "*" && axis.scope !== "settings") {
      throw new ConfigError(file, `tune.${name}`, "expected key, key1,key2 or settings.key");
    }
    return { ...axis, scope: axis.scope === "*" ? model : "settings", path: `tune.${name}` };
  });
}

function parseAxis(
  name: string,
  v: unknown,
  file: string,
  method: string,
  prefix = "search.space",
): SearchAxis {
  const path = `${prefix}.${name}`;
  const dot = name.indexOf(".");
  const scope = dot > 0 ? name.slice(0, dot) : "*";
  const keys = (dot > 0 ? name.slice(dot + 1) : name).split(",").map((k) => k.trim());
  if (keys.some((k) => !/^[A-Za-z_]\w*$/.test(k))) {
    throw new ConfigError(file, path, "expected key, model.key, settings.key or key1,key2");
  }
  if (Array.isArray(v)) {
    if (v.length === 0) throw new ConfigError(file, path, "no values listed");
    const values = v.map((x) => {
      if (keys.length === 1) return [x];
      if (!Array.isArray(x) || x.length !== keys.length) {
        throw new ConfigError(
          file,
          path,
          `each value must list ${keys.length} items (${keys.join(", ")}), got ${
            JSON.stringify(x)
          }`,
        );
      }
      return x;
    });
    return { name, keys, scope, values };
  }
  if (v && typeof v === "object") {
    const [kind, bounds] = Object.entries(v)[0] ?? [];
    const ok = Object.keys(v).length === 1 && ["uniform", "log", "int"].includes(kind) &&
      Array.isArray(bounds) && bounds.length === 2 && bounds.every(Number.isFinite) &&
      bounds[0] < bounds[1] && (kind !== "log" || bounds[0] > 0);
    if (!ok || keys.length !== 1) {
      throw new ConfigError(
        file,
        path,
        "expected a value list or one of {uniform|log|int: [lo, hi]} with lo < hi",
      );
    }
    if (method !== "random") {
      throw new ConfigError(file, path, "a range needs search.method: random");
    }
    return { name, keys, scope, range: { kind: kind as "uniform", lo: bounds[0], hi: bounds[1] } };
  }
  throw new ConfigError(file, path, `expected a list of values, got ${JSON.stringify(v)}`);
}

function drawAxis(a: SearchAxis, rng: Rng): unknown[] {
  if (a.values) return a.values[rng.int(a.values.length)];
  const { kind, lo, hi } = a.range!;
  const u = rng.uniform();
  if (kind === "int") return [lo + Math.floor(u * (hi - lo + 1))];
  if (kind === "log") return [Number((lo * Math.exp(u * Math.log(hi / lo))).toPrecision(4))];
  return [Number((lo + u * (hi - lo)).toPrecision(4))];
}

/** The points of a space: the full grid, or `budget` distinct random draws. */
export function expandSearch(s: SearchSpace): SearchPoint[] {
  if (s.method === "grid") {
    // (`tune` spaces are drawn per model by lib/run/tune.ts with method random.)
    let points: SearchPoint[] = [{}];
    for (const a of s.axes) {
      points = points.flatMap((p) => a.values!.map((v) => ({ ...p, [a.name]: v })));
    }
    return points;
  }
  const rng = new Rng(s.seed).fork("random-search");
  const seen = new Set<string>(), points: SearchPoint[] = [];
  for (let tries = 0; points.length < s.budget && tries < s.budget * 100; tries++) {
    const p: SearchPoint = {};
    for (const a of s.axes) p[a.name] = drawAxis(a, rng);
    const id = JSON.stringify(p);
    if (!seen.has(id)) {
      seen.add(id);
      points.push(p);
    }
  }
  return points;
}

/** `alpha=10, beta=0.5` — a point as a short label ("" for the empty point). */
export function pointLabel(p: SearchPoint): string {
  return Object.entries(p).map(([k, v]) => `${k}=${v.length === 1 ? v[0] : `(${v.join(", ")})`}`)
    .join(", ");
}

/**
 * What each tuned row's `budget` configurations are, in words (plan and caption alike): its
 * defaults (unless `defaults` is false), its model's presets where `presets` says some row has
 * any, and draws from its model's `tune:` space for the rest.
 *
 * @example Usage
 * ```ts
 * tuneConfigurations({ budget: 6, defaults: true, presets: false });
 * // "its defaults and 5 draws from its model's tune: space"
 * ```
 */
export function tuneConfigurations(
  o: { budget: number; defaults: boolean; presets: boolean },
): string {
  if (o.presets) {
    return `${o.defaults ? "its defaults, " : ""}its model's presets if it has any, and draws ` +
      "from its model's tune: space for the rest";
  }
  return o.defaults
    ? `its defaults and ${o.budget - 1} draws from its model's tune: space`
    : "all drawn from its model's tune: space";
}
