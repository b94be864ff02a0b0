/**
 * Every model's config as a zod schema (`npm:zod`), the one place the rules of the built-in
 * models' hyperparameters live: the keys are the model's defaults (an unknown key is an error),
 * each value has its default's type, and the built-in models add bounds and allowed values
 * (sizes are positive integers, dropouts and sampling rates probabilities, weights ≥ 0, string
 * options one of the values the model reads, `variant` one of its variants). Planning checks
 * every trial's config here ({@linkcode checkModelConfig}); a model registered by a plugin gets
 * the types of its defaults and may add its own `check`. `deno task schema` exports these
 * schemas as JSON Schema for editors.
 *
 * @example
 * ```ts
 * import { checkModelConfig } from "./config_schema.ts";
 * checkModelConfig("ccfcrec", { cn: 0 }); // RangeError: ccfcrec config "cn": expected a positive integer, got 0
 * ```
 *
 * @module
 */
import { z } from "zod";
import { schemaProblem, type SpecProblem } from "../data/zod_problem.ts";
import { modelInfo } from "./catalog.ts";
import type { ModelInfo } from "../train/model.ts";

const positiveInt = (max: number) =>
  z.number({ error: "expected a positive integer" }).max(max, {
    error: `at most ${max.toLocaleString("en-US")} allowed`,
  }).int({ error: "expected a positive integer" }).min(1, { error: "expected a positive integer" });
const countFromZero = (max: number) =>
  z.number({ error: "expected an integer ≥ 0" }).max(max, {
    error: `at most ${max.toLocaleString("en-US")} allowed`,
  }).int({ error: "expected an integer ≥ 0" }).min(0, { error: "expected an integer ≥ 0" });
const probability = z.number({ error: "expected a probability in [0, 1]" })
  .min(0, { error: "expected a probability in [0, 1]" })
  .max(1, { error: "expected a probability in [0, 1]" });
const positive = z.number({ error: "must be > 0" }).positive({ error: "must be > 0" });
const nonNegative = z.number({ error: "must be ≥ 0" }).min(0, { error: "must be ≥ 0" });
const oneOf = (values: readonly [string, ...string[]]) =>
  z.enum(values, { error: `expected one of ${values.map((v) => `"${v}"`).join(", ")}` });

/** Widths, counts and table sizes: large enough for any real use, small enough to catch a typo. */
const SIZE = positiveInt(65_536);
/** Keys whose rule is the same in every built-in model that has them. */
const SHARED_RULES: Readonly<Record<string, z.ZodType>> = {
  dim: SIZE,
  hidden: SIZE,
  hidden1: SIZE,
  hidden2: SIZE,
  attrDim: SIZE,
  warmDim: SIZE,
  latentDim: SIZE,
  genHidden: SIZE,
  towerHidden: SIZE,
  towerOut: SIZE,
  decoderHidden: SIZE,
  attnHidden: SIZE,
  gateHidden: SIZE,
  negatives: positiveInt(1_000_000),
  cp: positiveInt(100_000),
  cn: positiveInt(100_000),
  groupSize: positiveInt(100_000),
  clusters: positiveInt(1_000_000),
  decoderLayers: positiveInt(64),
  layers: positiveInt(64),
  fanout: positiveInt(1_000_000),
  fullGraphMaxEdges: positiveInt(2 ** 31 - 1),
  warmEpochs: countFromZero(100_000),
  dropout: probability,
  genDropout: probability,
  towerDropout: probability,
  viewDrop: probability,
  numSample: probability,
  idDropout: probability,
  tau: positive,
  initStd: positive,
};

/** Rules of one built-in model beyond the shared ones (string options, signed values). */
const MODEL_RULES: Readonly<Record<string, Readonly<Record<string, z.ZodType>>>> = {
  clcrec: { mixing: oneOf(["randint", "bernoulli"]) },
  "pad-clrec": { mixing: oneOf(["randint", "bernoulli"]) },
  mvdgae: { taskWeights: oneOf(["paper", "kendall"]) },
  m2vae: {
    tauDcl: positive,
    tauCo: positive,
    tauGate: positive,
    tauRank: positive,
    poeEps: positive,
    logVarInit: z.number({ error: "expected a number in [-10, 10]" })
      .min(-10, { error: "expected a number in [-10, 10]" })
      .max(10, { error: "expected a number in [-10, 10]" }),
    klWarmup: countFromZero(Number.MAX_SAFE_INTEGER),
    joint: oneOf(["sum", "mean"]),
    inference: oneOf(["exact", "shared"]),
    fusion: oneOf(["moe", "weightedPoe"]),
    reduction: oneOf(["author", "mean"]),
    idInit: oneOf(["random", "bprmf"]),
    prior: oneOf(["fused", "learned"]),
    klViews: oneOf(["sum", "mean"]),
    gateLogit: oneOf(["product", "cosine", "user"]),
    gateKl: oneOf(["train", "stop"]),
    negFusion: oneOf(["own", "positive"]),
    rankLoss: oneOf(["bpr", "inbatch"]),
    attributePool: oneOf(["attention", "mean"]),
    attrInitStd: positive,
    rankNegatives: oneOf(["users", "items", "both"]),
    rankItemNegatives: positiveInt(100_000),
    contentAlign: nonNegative,
    sharedNegatives: countFromZero(65_536),
    plantedFusion: oneOf(["off", "gates", "alpha", "both"]),
    reconFusion: oneOf(["fused", "even"]),
    gateBalance: nonNegative,
    viewRankWeight: nonNegative,
  },
};

/** Rules across keys, by model: each a problem naming the key, or undefined. */
const MODEL_CROSS_RULES: Readonly<
  Record<string, (cfg: Record<string, unknown>) => SpecProblem | undefined>
> = {
  m2vae: (cfg) =>
    cfg.earlyGenerate && !cfg.commonView
      ? { path: "earlyGenerate", detail: "needs commonView (there is no common view)" }
      : (cfg.rankItemNegatives as number) > (cfg.cn as number)
      ? {
        path: "rankItemNegatives",
        detail: `at most cn (${cfg.cn}): the negative items are the first of each row's cn draws`,
      }
      : undefined,
};

function typeOf(value: unknown): z.ZodType {
  switch (typeof value) {
    case "number":
      return z.number({ error: "expected a number" });
    case "boolean":
      return z.boolean({ error: "expected a boolean" });
    case "string":
      return z.string({ error: "expected a string" });
    default:
      return z.unknown();
  }
}

/** Whether a model is one of the toolkit's own (its rules are in this module). */
function builtin(info: ModelInfo): boolean {
  return !("create" in info);
}

const schemas = new WeakMap<ModelInfo, z.ZodObject>();

/**
 * The schema of a model's complete config: its defaults' keys, each with its rule (built-in
 * models) or its default's type (models a plugin registered). Numbers of a built-in model with no
 * rule of their own are weights: finite and ≥ 0.
 */
export function modelConfigSchema(name: string): z.ZodObject {
  const info = modelInfo(name);
  const known = schemas.get(info);
  if (known) return known;
  const own = builtin(info) ? MODEL_RULES[name] ?? {} : {};
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(info.defaults)) {
    let rule = own[k] ?? (builtin(info) ? SHARED_RULES[k] : undefined);
    if (!rule && k === "variant" && info.variants) {
      rule = oneOf(info.variants as [string, ...string[]]);
    }
    if (!rule && builtin(info) && typeof v === "number") rule = nonNegative;
    shape[k] = (rule ?? typeOf(v)).meta({ default: v });
  }
  const schema = z.strictObject(shape).meta({ title: `${info.label} config` });
  schemas.set(info, schema);
  return schema;
}

/**
 * The first problem of a model's config: of its keys alone (`whole` false, a layer as written)
 * or of a complete config (also the rules across keys), or undefined.
 */
export function modelConfigProblem(
  name: string,
  cfg: Record<string, unknown>,
  suggest: (key: string, options: string[]) => string | undefined = () => undefined,
  whole = true,
): SpecProblem | undefined {
  return schemaProblem(modelConfigSchema(name).partial(), cfg, suggest) ??
    (whole ? MODEL_CROSS_RULES[name]?.(cfg) : undefined);
}

/**
 * Checks a model's config against {@linkcode modelConfigSchema}; throws a one-line RangeError
 * `<model> config "<key>": <what is wrong>`.
 */
export function checkModelConfig(name: string, cfg: Record<string, unknown>): void {
  const p = modelConfigProblem(name, cfg);
  if (p) throw new RangeError(`${name} config "${p.path}": ${p.detail}`);
}
