/**
 * The engine settings as a zod schema (`npm:zod`), the one place their rules live: each key's
 * type, allowed values and bounds (upper bounds far above any real use and far below an
 * overflow: `epochs: 1e308` is an integer that would fail, or run forever, at trial time), and
 * the rules across keys (the split ratios sum to 1, the selection metric is one the protocol
 * reports). Every layer of settings is checked against the key rules where it was written, so
 * a bad value names its own file; the resolved settings are checked as a whole. The same schema
 * exports the JSON Schema editors read (`deno task schema`).
 *
 * @example
 * ```ts
 * import { settingsProblem } from "./settings_schema.ts";
 * settingsProblem({ epochs: 0 }); // { path: "epochs", detail: "expected a positive integer, got 0" }
 * ```
 *
 * @module
 */
import { z } from "zod";
import { DEFAULT_KS, PROTOCOL_METRICS } from "../eval/protocol.ts";
import { schemaProblem, type SpecProblem } from "../data/zod_problem.ts";
import { didYouMean } from "./check.ts";
import { RUN_DEFAULTS, type RunSettings } from "./train_defaults.ts";

const atMost = (max: number) => ({ error: `at most ${max.toLocaleString("en-US")} allowed` });
/** An integer in [1, max]; the bound is checked first, so 1e308 reads "at most …". */
const positiveInt = (max: number) =>
  z.number({ error: "expected a positive integer" }).max(max, atMost(max))
    .int({ error: "expected a positive integer" }).min(1, { error: "expected a positive integer" });
/** An integer in [0, max]. */
const countFromZero = (max: number) =>
  z.number({ error: "expected an integer ≥ 0" }).max(max, atMost(max))
    .int({ error: "expected an integer ≥ 0" }).min(0, { error: "expected an integer ≥ 0" });
const fraction = z.number({ error: "expected a fraction in (0, 1)" })
  .gt(0, { error: "expected a fraction in (0, 1)" }).lt(1, {
    error: "expected a fraction in (0, 1)",
  });
const positive = z.number({ error: "expected a positive number" })
  .positive({ error: "expected a positive number" });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected ${values.map((v) => `"${v}"`).join(" or ")}` });

/** Every setting's rule, by key (the keys of {@linkcode RUN_DEFAULTS}, in their order). */
export const SETTING_FIELDS = {
  protocol: oneOf(["item2user", "user2item"]).meta({
    description: "item2user (the paper's Table 3 protocol) or user2item (CLCRec/ColdRec)",
  }),
  epochs: positiveInt(100_000).meta({ description: "training epochs (the cap)" }),
  batchSize: positiveInt(1_048_576).meta({ description: "training pairs per step" }),
  lr: positive.meta({ description: "Adam learning rate" }),
  weightDecay: z.number({ error: "expected a number ≥ 0" }).min(0, {
    error: "expected a number ≥ 0",
  })
    .meta({ description: "Adam weight decay (an L2 term in the gradient unless decoupled)" }),
  decoupledWeightDecay: z.boolean({ error: "expected a boolean" }).meta({
    description: "AdamW: decouple the weight decay from the gradient",
  }),
  embeddingLrScale: positive.meta({
    description: "learning-rate multiplier of row-sparse (lazy Adam) embedding tables",
  }),
  tableUpdate: oneOf(["lazy", "dense"]).meta({
    description: "embedding tables: lazy (touched rows only) or dense (every row on momentum)",
  }),
  evalEvery: countFromZero(1_000_000_000).meta({
    description: "validate every N steps; 0 = once per epoch",
  }),
  selectMetric: z.string({ error: "expected e.g. NDCG@10" })
    .regex(/^[A-Za-z]+@[1-9]\d*$/, { error: "expected e.g. NDCG@10" })
    .meta({ description: "validation metric that selects the checkpoint, e.g. NDCG@10" }),
  candidates: oneOf(["all-cold", "part"]).meta({
    description: "user2item only: users rank every cold item (all-cold) or the part's (part)",
  }),
  patience: countFromZero(1_000_000).meta({
    description: "validations without improvement before stopping; 0 = never",
  }),
  maxSteps: countFromZero(Number.MAX_SAFE_INTEGER).meta({
    description: "a cap on optimisation steps; 0 = none",
  }),
  splitTrain: fraction.meta({ description: "warm-train fraction of the items" }),
  splitValid: fraction.meta({ description: "cold-validation fraction of the items" }),
  splitTest: fraction.meta({ description: "cold-test fraction of the items" }),
  splitSeed: countFromZero(2 ** 31 - 1).meta({ description: "seed of the item split" }),
  userChunk: positiveInt(1_048_576).meta({ description: "users per scorer call" }),
  itemChunk: positiveInt(1_048_576).meta({ description: "items per scorer call" }),
  backend: oneOf(["wasm", "cpu"]).meta({ description: "the TF.js backend" }),
  logEvery: positiveInt(1_000_000_000).meta({
    description: "in a log: at least N steps between two progress lines",
  }),
} satisfies Record<keyof typeof RUN_DEFAULTS, z.ZodType>;

/** A `settings:` block as written in any layer: every key optional, no unknown key. */
export const SETTINGS_LAYER_SCHEMA = z.strictObject(SETTING_FIELDS).partial().meta({
  title: "settings",
  description: "engine, split and evaluation settings (lib/train/settings.ts)",
});

/** The rules across keys of resolved settings, each a problem naming the key it reports on. */
function crossFieldProblem(s: RunSettings): SpecProblem | undefined {
  const sum = s.splitTrain + s.splitValid + s.splitTest;
  if (Math.abs(sum - 1) > 1e-6) {
    return {
      path: "splitTrain",
      detail: `splitTrain + splitValid + splitTest = ${s.splitTrain} + ${s.splitValid} + ` +
        `${s.splitTest} = ${Number(sum.toFixed(6))}; the three item fractions must sum to 1`,
    };
  }
  const metrics = PROTOCOL_METRICS[s.protocol];
  const [name, k] = s.selectMetric.split("@");
  if (!metrics.includes(name) || !DEFAULT_KS.includes(Number(k))) {
    const known = metrics.flatMap((m) => DEFAULT_KS.map((kk) => `${m}@${kk}`)).join(", ");
    return {
      path: "selectMetric",
      detail:
        `"${s.selectMetric}" is not reported under protocol ${s.protocol}; it reports ${known}`,
    };
  }
  return undefined;
}

/**
 * The first problem of a settings block: of its keys alone (`whole` false, one layer as
 * written), or of complete settings (every key present and the rules across keys).
 */
export function settingsProblem(values: unknown, whole = false): SpecProblem | undefined {
  if (values === null || typeof values !== "object" || Array.isArray(values)) {
    return { path: "", detail: `expected a mapping, got ${JSON.stringify(values)}` };
  }
  const schema = whole ? z.strictObject(SETTING_FIELDS) : SETTINGS_LAYER_SCHEMA;
  return schemaProblem(schema, values, didYouMean) ??
    (whole ? crossFieldProblem(values as RunSettings) : undefined);
}
