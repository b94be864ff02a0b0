/**
 * The time of one validation as a trial runs it each epoch: the item2user evaluation of the
 * model's scorer on the cold validation items (every validation item ranks every training user,
 * in the evaluator's blocks), and, for a model with diagnostics or alternative scorers (M2VAE's
 * `shared` and `noLatent` probes), the whole per-epoch validation the engine runs with them.
 * The parameters are the model's initial ones: scoring costs the same whatever their values.
 * {@linkcode validationFigure} is that time on a real set as the figure `deno task bench` prints.
 *
 * @example Usage
 * ```ts
 * import { validationFigure, validationTiming } from "./validation.ts";
 * const model = spec.create(spec.defaults, { dataset: ds, split, rng: new Rng(1) });
 * const t = await validationTiming(model, split);
 * t.seconds; t.epochSeconds; t.queries; // cold validation items ranked
 * model.dispose();
 * await validationFigure(realSet, spec, ".cache"); // { name: "CLCRec one item2user validation, …", unit: "s", … }
 * ```
 *
 * @module
 */
import { type EvalOptions, evaluate, type Protocol } from "../eval/mod.ts";
import { Rng } from "../rng/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import type { ColdStartModel, ModelSpec } from "../train/model.ts";
import { DIAGNOSTIC_ITEMS, DIAGNOSTIC_USERS, evenlySpaced } from "../train/trainer.ts";
import type { RealSet } from "./real_set.ts";
import type { BenchFigure } from "./runtime.ts";

/** One validation's time. */
export interface ValidationTiming {
  /** Seconds of the main scorer's evaluation. */
  seconds: number;
  /** Seconds of everything the engine runs per validation (diagnostics and probes included). */
  epochSeconds: number;
  /** Queries ranked (cold validation items with an interaction, under item2user). */
  queries: number;
  /** Candidates each query ranks (training users, under item2user). */
  candidates: number;
}

/**
 * Times one validation of `model` on `split` as the training engine runs it (see the module
 * doc); `protocol` defaults to item2user, the paper's.
 */
export async function validationTiming(
  model: ColdStartModel,
  split: ColdSplit,
  o: { protocol?: Protocol; evalOptions?: EvalOptions } = {},
): Promise<ValidationTiming> {
  const protocol = o.protocol ?? "item2user";
  const t0 = performance.now();
  const r = await evaluate(model.scorer(), split, "valid", protocol, o.evalOptions);
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  model.diagnostics?.(
    evenlySpaced(split.validItems, DIAGNOSTIC_ITEMS),
    evenlySpaced(split.trainUsers, DIAGNOSTIC_USERS),
  );
  for (const sc of Object.values(model.alternativeScorers?.() ?? {})) {
    await evaluate(sc, split, "valid", protocol, o.evalOptions);
  }
  const extra = (performance.now() - t1) / 1000;
  return {
    seconds,
    epochSeconds: seconds + extra,
    queries: r.queries,
    candidates: protocol === "item2user" ? split.trainUsers.length : split.validItems.length,
  };
}

/**
 * Seconds of one item2user validation of an untrained `spec` model (its defaults) on a real set,
 * as a trial runs it, with the evaluator's blocks of the set's settings; the note gives the
 * whole per-epoch validation where diagnostics or probes add to it, and the set's load time.
 */
export async function validationFigure(
  set: RealSet,
  spec: ModelSpec,
  cacheDir: string,
): Promise<BenchFigure> {
  const m = spec.create(spec.defaults, {
    dataset: set.ds,
    split: set.split,
    rng: new Rng(1),
    seed: 0,
    cacheDir,
  });
  try {
    const t = await validationTiming(m, set.split, {
      protocol: "item2user",
      evalOptions: { userChunk: set.settings.userChunk, itemChunk: set.settings.itemChunk },
    });
    const whole = t.epochSeconds > t.seconds * 1.01
      ? `; ${t.epochSeconds.toFixed(1)} s with its per-epoch diagnostics and probes`
      : "";
    return {
      name: `${spec.label} one item2user validation, ${set.name}`,
      value: t.seconds,
      unit: "s",
      note: `${t.queries.toLocaleString("en-US")} cold items × ` +
        `${t.candidates.toLocaleString("en-US")} users${whole}; loaded in ` +
        `${set.loadSeconds.toFixed(1)} s`,
    };
  } finally {
    m.dispose();
  }
}
