/**
 * The named model registry. Only implemented models are registered; asking for anything else
 * is an error that lists what is available.
 *
 * @module
 */
import { clcrecSpec } from "./clcrec.ts";
import type { ModelSpec } from "./model.ts";
import { m2vaeSpec } from "./m2vae/model.ts";
import { popularitySpec } from "./popularity.ts";
import { randomSpec } from "./random.ts";

/** Every registered model by name. */
export const MODELS: Readonly<Record<string, ModelSpec<any>>> = {
  random: randomSpec,
  popularity: popularitySpec,
  clcrec: clcrecSpec,
  m2vae: m2vaeSpec,
};

/** Looks a model up by name or throws an error listing the registered names. */
export function resolveModel(name: string): ModelSpec<any> {
  const spec = MODELS[name];
  if (!spec) {
    const known = Object.keys(MODELS).map((n) => `"${n}"`).join(", ");
    throw new RangeError(`Cannot resolve model "${name}": registered models are ${known}`);
  }
  return spec;
}
