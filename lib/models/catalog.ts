/**
 * The model catalog: what experiments, plans and reports know of a model without building it —
 * name, label, family, reference, defaults, variants and the config keys each variant pins — so
 * reading an experiment file does not load TF.js. The built-in models' entries are
 * `catalog.json`, written from the registry by `deno task build:catalog` (`catalog_test.ts`
 * fails when it is out of date); models registered at run time ({@linkcode registerModel}, an
 * experiment's `plugins:`) join them here. The builders are in `registry.ts`, which imports
 * every model and TF.js, loaded only where trials run.
 *
 * @module
 */
import BUILTIN from "./catalog.json" with { type: "json" };
import {
  MODEL_FAMILIES,
  type ModelFamily,
  type ModelInfo,
  type ModelSpec,
} from "../train/model.ts";

/** One built-in model's entry of `catalog.json`. */
export interface CatalogEntry {
  label: string;
  family: ModelFamily;
  reference: string;
  rebuiltFrom?: string;
  defaults: Record<string, unknown>;
  variants?: string[];
  /** The keys each variant pins (`ModelInfo.pinnedBy`), by variant. */
  pinned?: Record<string, string[]>;
  /** Config keys that stay out of trial keys at these values (`ModelInfo.neutralConfig`). */
  neutralConfig?: Record<string, unknown>;
}

/** The `catalog.json` entries of these specs, by name (what `deno task build:catalog` writes). */
export function catalogOf(
  specs: Readonly<Record<string, ModelSpec<any>>>,
): Record<string, CatalogEntry> {
  const out: Record<string, CatalogEntry> = {};
  for (const [name, s] of Object.entries(specs)) {
    const e: CatalogEntry = {
      label: s.label,
      family: s.family,
      reference: s.reference,
      defaults: s.defaults,
    };
    if (s.rebuiltFrom) e.rebuiltFrom = s.rebuiltFrom;
    if (s.variants) e.variants = [...s.variants];
    if (s.pinnedBy) {
      e.pinned = Object.fromEntries((s.variants ?? []).map((v) => [v, [...s.pinnedBy!(v)]]));
    }
    if (s.neutralConfig) e.neutralConfig = { ...s.neutralConfig };
    out[name] = e;
  }
  return out;
}

function infoOf(name: string, e: CatalogEntry): ModelInfo {
  const info: ModelInfo = {
    name,
    label: e.label,
    family: e.family,
    reference: e.reference,
    defaults: e.defaults,
  };
  if (e.rebuiltFrom) info.rebuiltFrom = e.rebuiltFrom;
  if (e.variants) info.variants = e.variants;
  if (e.neutralConfig) info.neutralConfig = e.neutralConfig;
  const pinned = e.pinned;
  if (pinned) {
    info.pinnedBy = (variant) => {
      if (!Object.hasOwn(pinned, variant)) {
        const known = Object.keys(pinned).map((v) => `"${v}"`).join(", ");
        throw new RangeError(`Unknown ${e.label} variant "${variant}": variants are ${known}`);
      }
      return pinned[variant];
    };
  }
  return info;
}

const builtin = new Map(
  Object.entries(BUILTIN as Record<string, CatalogEntry>).map(([n, e]) => [n, infoOf(n, e)]),
);
const added = new Map<string, ModelSpec<any>>();

/** The built-in models' names, in registry order. */
export const BUILTIN_MODEL_NAMES: readonly string[] = [...builtin.keys()];

/** Every model name: the built-in ones, then those registered at run time. */
export function modelNames(): string[] {
  return [...builtin.keys(), ...added.keys()];
}

/**
 * Adds a model from outside the toolkit to the catalog and the registry, so that experiments
 * can name it (`models: [my-model]`) and trials build it. Registering the same spec again does
 * nothing; another spec under a name or label already taken is an error.
 *
 * @example A plugin module named in an experiment's `plugins:`
 * ```ts
 * import { registerModel } from "./mod.ts";
 * registerModel({ name: "my-model", label: "Mine", family: "contrastive", reference: "",
 *   defaults: { dim: 16 }, create: (cfg, ctx) => new MyModel(cfg, ctx) });
 * ```
 */
export function registerModel(spec: ModelSpec<any>): void {
  const bad = (what: string): never => {
    throw new TypeError(`registerModel: ${what}`);
  };
  if (!spec || typeof spec !== "object") bad("expected a model spec object");
  if (typeof spec.name !== "string" || !/^[\w-]+$/.test(spec.name)) {
    bad(`name ${JSON.stringify(spec.name)}: use letters, digits, "_" and "-"`);
  }
  const what = `model "${spec.name}"`;
  if (typeof spec.label !== "string" || spec.label === "") bad(`${what}: label must be a string`);
  if (!MODEL_FAMILIES.includes(spec.family)) {
    bad(`${what}: family must be one of ${MODEL_FAMILIES.map((f) => `"${f}"`).join(", ")}`);
  }
  if (typeof spec.reference !== "string") bad(`${what}: reference must be a string`);
  if (!spec.defaults || typeof spec.defaults !== "object" || Array.isArray(spec.defaults)) {
    bad(`${what}: defaults must be an object of hyperparameters`);
  }
  if (typeof spec.create !== "function") bad(`${what}: create must be a function`);
  if (added.get(spec.name) === spec) return;
  if (builtin.has(spec.name) || added.has(spec.name)) {
    throw new RangeError(`registerModel: a model named "${spec.name}" is already registered`);
  }
  const labels = [...builtin.values(), ...added.values()];
  if (labels.some((m) => m.label === spec.label)) {
    throw new RangeError(`registerModel: the label "${spec.label}" is already taken`);
  }
  added.set(spec.name, spec);
}

/** A model registered at run time, by name (undefined for built-in and unknown names). */
export function registeredModel(name: string): ModelSpec<any> | undefined {
  return added.get(name);
}

/** What the catalog knows of a model, or a RangeError listing every registered name. */
export function modelInfo(name: string): ModelInfo {
  const info = builtin.get(name) ?? added.get(name);
  if (!info) {
    const known = modelNames().map((n) => `"${n}"`).join(", ");
    throw new RangeError(`Cannot resolve model "${name}": registered models are ${known}`);
  }
  return info;
}

/**
 * A model's config keys that stay out of trial keys at their neutral values
 * (`ModelInfo.neutralConfig`); empty for a model without any and for an unknown name.
 *
 * @example
 * ```ts
 * import { neutralConfigOf } from "./catalog.ts";
 * neutralConfigOf("m2vae"); // { decoderRaws: true, …, rankNegatives: "users" }
 * ```
 */
export function neutralConfigOf(name: string): Readonly<Record<string, unknown>> {
  return (builtin.get(name) ?? added.get(name))?.neutralConfig ?? {};
}
