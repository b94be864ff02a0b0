/**
 * M2VAE's modality gates and view gate α for (user, item) pairs of a restored trial (the
 * numbers of the paper's Fig. 5), with users and items named by the dataset's own ids.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { ColdStartModel } from "../models/model.ts";
import type { ColdSplit } from "../split/types.ts";

/** What `explain` returns for one pair (M2VAE's `Explanation`). */
export interface Gates {
  gates: Record<string, number>;
  /** View gate α (Eq. 15): the weight of the common view (0 without one). */
  commonWeight: number;
}

/** A model that can explain a pair (M2VAE and its variants with gates). */
export interface Explainable {
  explain(user: number, item: number): Gates;
}

/** One explained pair. */
export interface ExplainRow {
  /** The dataset's own ids. */
  user: string;
  item: string;
  /** Dense indices. */
  userIndex: number;
  itemIndex: number;
  /** Which part of the split the item is in: `train` (warm), `valid` or `test` (cold). */
  part: "train" | "valid" | "test";
  /** Modality gate per unique view (they sum to 1). */
  gates: Record<string, number>;
  /**
   * View gate α (Eq. 15): the weight of the common view (0 without one), `commonWeight` of the
   * model's explanation; `alpha` in the command's outputs, as in the paper's Fig. 5.
   */
  alpha: number;
}

/**
 * The model as an {@linkcode Explainable}.
 *
 * @throws RangeError naming the model when it has no gates.
 */
export function explainable(model: ColdStartModel, what = "this trial"): Explainable {
  return withM2vaeMethod<Explainable>(model, "explain", "explain", what, "modality gates");
}

/**
 * `model` as a `T`, told by its having the method `method` that only M2VAE and its variants
 * have. Throws a RangeError in the words of `command`: `<command>: <what> is model "<name>",
 * which has no <lacks> (<command> needs M2VAE or one of its variants)`.
 */
export function withM2vaeMethod<T>(
  model: ColdStartModel,
  method: keyof T & string,
  command: string,
  what: string,
  lacks: string,
): T {
  if (typeof (model as unknown as Record<string, unknown>)[method] !== "function") {
    throw new RangeError(
      `${command}: ${what} is model "${model.name}", which has no ${lacks} ` +
        `(${command} needs M2VAE or one of its variants)`,
    );
  }
  return model as unknown as T;
}

/** Dense index of a user or item id of the dataset (a `#N` reference is the index N itself). */
export function resolveId(ids: readonly string[], ref: string, kind: "user" | "item"): number {
  const m = /^#(\d+)$/.exec(ref);
  const i = m ? Number(m[1]) : ids.indexOf(ref);
  if (i < 0 || i >= ids.length) {
    const some = ids.slice(0, 5).map((x) => `"${x}"`).join(", ");
    throw new RangeError(
      `--${kind}: no ${kind} "${ref}" in the dataset (${ids.length} ${kind}s, e.g. ${some}; ` +
        `#N names the N-th)`,
    );
  }
  return i;
}

/** Which part of the split an item is in. */
export function itemPart(split: ColdSplit, item: number): ExplainRow["part"] {
  const has = (xs: Int32Array) => {
    let lo = 0, hi = xs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] === item) return true;
      if (xs[mid] < item) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  return has(split.validItems) ? "valid" : has(split.testItems) ? "test" : "train";
}

/**
 * The gates and α of one user for each item.
 *
 * @throws RangeError for a model without gates, an unknown id, or a user with no training
 *   interaction (its embedding was never trained).
 */
export function explainPairs(
  model: ColdStartModel,
  dataset: Dataset,
  split: ColdSplit,
  user: string,
  items: readonly string[],
): ExplainRow[] {
  const ex = explainable(model);
  const u = resolveId(dataset.userIds, user, "user");
  if (!split.trainUsers.includes(u)) {
    throw new RangeError(
      `--user: user "${dataset.userIds[u]}" has no training interaction, so it has no trained ` +
        `embedding to explain`,
    );
  }
  return items.map((ref) => {
    const i = resolveId(dataset.itemIds, ref, "item");
    const e = ex.explain(u, i);
    return {
      user: dataset.userIds[u],
      item: dataset.itemIds[i],
      userIndex: u,
      itemIndex: i,
      part: itemPart(split, i),
      gates: e.gates,
      alpha: e.commonWeight,
    };
  });
}
