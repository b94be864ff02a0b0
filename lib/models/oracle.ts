/**
 * Planted oracle — not a model but a ceiling: on a generated dataset (the synthetic sets, whose
 * generator plants every user's and item's factors; lib/data/synthetic.ts), it scores each
 * (user, item) pair by the planted utility itself, without the sampling noise that drew the
 * interactions. Nothing is trained and no interaction is read. Its variants weigh the views'
 * unique factors as a model with less knowledge could at best:
 * - `full`: the generator's own weights w_{u,i} — the ceiling of any model;
 * - `w/o salience`: each user's weights averaged over the items' view salience — the best a
 *   model can do that cannot see how much an item shows in each view (with salience hidden in
 *   the content, every cold model is bound by this row);
 * - `equal views`: every unique view weighed 1 — a fusion that ignores who the user is;
 * - `common only`: the common factor alone — a model that sees no view's unique factor.
 * The distance between two rows is how much the knowledge that separates them can be worth on
 * that dataset: between `full` and `w/o salience`, what a user- and item-aware fusion such as
 * M2VAE's gates can add over any fixed item vector.
 *
 * @module
 */
import type { PlantedFactors, PlantedWeighting } from "../data/dataset.ts";
import { plantedUtility } from "../data/planted.ts";
import { ParamSet } from "../nn/mod.ts";
import type { Scorer } from "../eval/scorer.ts";
import { pairScorer } from "./common/read_scores.ts";
import type { ColdStartModel, ModelContext, ModelSpec } from "./model.ts";

/** The planted oracle's config: which weighting of the views (see the module). */
export interface OracleConfig extends Record<string, unknown> {
  variant: string;
}

/** The oracle's variants by name, with the weighting each scores with. */
export const ORACLE_VARIANTS: Readonly<Record<string, PlantedWeighting>> = {
  "full": "pair",
  "w/o salience": "user",
  "equal views": "equal",
  "common only": "common",
};

class OracleModel implements ColdStartModel {
  readonly name = "oracle";
  readonly params = new ParamSet();
  readonly needs = null;
  readonly #factors: PlantedFactors;
  readonly #weighting: PlantedWeighting;

  constructor(cfg: OracleConfig, ctx: ModelContext) {
    const factors = ctx.dataset.truth?.factors;
    if (factors === undefined) {
      throw new RangeError(
        `The planted oracle needs a generated dataset (kind: synthetic); ` +
          `"${ctx.dataset.name}" has no planted utilities`,
      );
    }
    this.#factors = factors;
    this.#weighting = ORACLE_VARIANTS[cfg.variant];
  }

  trainStep(): Record<string, number> {
    throw new Error("The planted oracle has nothing to train");
  }

  scorer(): Scorer {
    // Scratch for the pair's view weights, rewritten before each read (scoring is synchronous).
    const scratch = new Float64Array(this.#factors.views.length);
    return pairScorer((user, item) =>
      plantedUtility(this.#factors, user, item, this.#weighting, scratch)
    );
  }

  dispose(): void {}
}

/**
 * Registry entry of the planted oracle (family `oracle`: a ceiling, never marked best and never
 * in Impr.).
 *
 * @example In an experiment on a synthetic set
 * ```yaml
 * models:
 *   oracle: {}                  # the planted utility with its true weights
 *   oracle (w/o salience): {}   # the best without an item's view salience
 * ```
 */
export const oracleSpec: ModelSpec<OracleConfig> = {
  name: "oracle",
  label: "Planted oracle",
  family: "oracle",
  reference:
    "the generator's planted utility without sampling noise (a ceiling on synthetic sets, not a model)",
  defaults: { variant: "full" },
  variants: Object.keys(ORACLE_VARIANTS),
  pinnedBy: () => ["variant"],
  create: (cfg, ctx) => new OracleModel(cfg, ctx),
};
