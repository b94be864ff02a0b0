/**
 * The top level of an experiment file as a zod schema: which keys it may hold and what each
 * holds, so an unknown key (with a did-you-mean) or a wrong type is one line naming the file and
 * the key path, as for settings (`settings_schema.ts`) and model configs. What sits below a key
 * has its own schema, checked where the experiment is resolved (`experiment.ts`): each settings
 * layer, each dataset entry against its loader's keys, each model entry against its model's
 * config; the `search:` block is `SEARCH_SCHEMA` (`search.ts`), the `slurm:` block
 * `SLURM_SCHEMA` (`slurm_schema.ts`).
 *
 * @example
 * ```ts
 * import { experimentProblem } from "./experiment_schema.ts";
 * experimentProblem({ seed: [1] });
 * // { path: "seed", detail: 'unknown key (did you mean "seeds"?); known keys: name, ...' }
 * ```
 *
 * @module
 */
import { z } from "zod";
import { schemaProblem, type SpecProblem } from "../data/zod_problem.ts";
import { didYouMean } from "./check.ts";
import { SEARCH_SCHEMA } from "./search.ts";
import { SLURM_SCHEMA } from "./slurm_schema.ts";

/** More seeds than this is a typo (a count of 1000000000 ran out of memory after a minute). */
export const MAX_SEEDS = 1000;
/** Seeds are 31-bit: the generator reduces a seed to 32 bits, so larger ones would alias. */
export const MAX_SEED = 2 ** 31 - 1;

/** What is wrong with a `seeds:` value (a count or a list of distinct seeds), if anything. */
export function seedsProblem(seeds: unknown): string | undefined {
  if (Number.isInteger(seeds) && (seeds as number) > 0) {
    return (seeds as number) > MAX_SEEDS ? `at most ${MAX_SEEDS} seeds, got ${seeds}` : undefined;
  }
  if (
    !Array.isArray(seeds) || seeds.length === 0 || !seeds.every(Number.isInteger) ||
    new Set(seeds).size !== seeds.length
  ) {
    return `expected a count or a list of distinct integers, got ${
      JSON.stringify(seeds)?.slice(0, 80)
    }`;
  }
  if (seeds.length > MAX_SEEDS) return `at most ${MAX_SEEDS} seeds, got ${seeds.length}`;
  const bad = seeds.find((s) => s < 0 || s > MAX_SEED);
  return bad === undefined ? undefined : `a seed is an integer in [0, ${MAX_SEED}], got ${bad}`;
}

/** A mapping of named entries, each checked where it is resolved. */
const entries = (what: string) =>
  z.record(z.string(), z.unknown(), { error: "expected a mapping" }).meta({ description: what });

/** Every top-level key of an experiment file, in the order the README lists them. */
export const EXPERIMENT_FIELDS = {
  name: z.string({ error: "expected a string" }).meta({
    description: "the experiment's name (a safe file name; default: the file's name)",
  }),
  description: z.string({ error: "expected a string" }),
  datasets: entries("configs/datasets/ entries, optionally patched, or entries with a kind")
    .nullable(),
  models: z.union([z.array(z.string()), z.record(z.string(), z.unknown())], {
    error: "expected a list of models or a mapping of model entries",
  }).nullable().meta({
    description: "rows: registered models (optionally `<model> (<variant>)`) or row entries",
  }),
  search: SEARCH_SCHEMA.nullable(),
  atChoice: z.string({ error: "expected the name of a tuned experiment" }).min(1, {
    error: "expected the name of a tuned experiment",
  }).meta({
    description: "run every row at the hyperparameters its model's row chose in this tuned " +
      "experiment of the same store (on each dataset), e.g. Table 4 at the tuned M2VAE",
  }),
  // The rules of a seed list say more than a union of types would: checked as one value.
  seeds: z.unknown().superRefine((v, ctx) => {
    const detail = seedsProblem(v);
    if (detail) ctx.addIssue({ code: "custom", message: detail });
  }).meta({ description: "a count (seeds 1..N) or a list of seeds; default 5" }),
  // Checked as a settings layer by resolveSettings, naming the layer it came from.
  settings: z.unknown().meta({ description: "engine, split and evaluation settings" }),
  plugins: z.union([z.string().min(1), z.array(z.string().min(1))], {
    error: "expected a list of module paths",
  }).nullable().meta({ description: "modules adding models or loaders, relative to this file" }),
  slurm: SLURM_SCHEMA.nullable(),
};

/** An experiment file's top level: every key optional, no unknown key. */
export const EXPERIMENT_SCHEMA = z.strictObject(EXPERIMENT_FIELDS).partial();

/** The first problem of an experiment file's top level (its keys and their types), if any. */
export function experimentProblem(raw: unknown): SpecProblem | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { path: "", detail: `expected a mapping, got ${JSON.stringify(raw)}` };
  }
  return schemaProblem(EXPERIMENT_SCHEMA, raw, didYouMean);
}
