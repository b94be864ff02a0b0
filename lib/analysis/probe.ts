/**
 * Probing a finished trial's mechanisms after the run: its kept checkpoint scored by the model's
 * main scorer and by each of its alternative scorers (for M2VAE: `shared`, the common view
 * only, and `noLatent`, z = 0), on the validation or test items, with the gap main − probe on
 * every metric. The engine records the same gaps on validation at every validation (curves);
 * this reads them off any stored checkpoint, on test too, without training again. Under
 * item2user it also measures how far the ranking follows user activity (`activity.ts`) and
 * where its hits fall (`spread.ts`).
 *
 * @module
 */
import { type EvalOptions, evaluate } from "../eval/mod.ts";
import {
  type ActivityShare,
  activityShare,
  type SharedRanking,
  sharedRanking,
} from "./activity.ts";
import { type HitSpread, hitSpread } from "./spread.ts";
import { evalOptionsOf, type TrainOptions } from "../train/mod.ts";
import type { LoadedTrial } from "./trials.ts";

/** One scorer's metrics on the probed part, and main − it (absent for the main scorer). */
export interface ProbeRow {
  scorer: string;
  metrics: Record<string, number>;
  gap?: Record<string, number>;
}

/**
 * Scores `t`'s checkpoint with its main scorer (`main`) and every alternative scorer, on
 * `part`, under the trial's own protocol and evaluator settings.
 *
 * @example Usage
 * ```ts
 * const t = await loadTrial(store, await findTrial(store, "3d085a4b"));
 * const rows = await probeTrial(t, "test"); // [{ scorer: "main", … }, { scorer: "noLatent", … }]
 * t.model.dispose();
 * ```
 */
export async function probeTrial(t: LoadedTrial, part: "valid" | "test"): Promise<ProbeRow[]> {
  const settings = t.info.spec.settings as unknown as TrainOptions;
  const opts = evalOptionsOf(settings, t.split);
  const score = async (sc: ReturnType<LoadedTrial["model"]["scorer"]>) =>
    (await evaluate(sc, t.split, part, settings.protocol, opts)).metrics;
  const main = await score(t.model.scorer());
  const rows: ProbeRow[] = [{ scorer: "main", metrics: main }];
  for (const [name, sc] of Object.entries(t.model.alternativeScorers?.() ?? {})) {
    const metrics = await score(sc);
    const gap = Object.fromEntries(Object.keys(main).map((k) => [k, main[k] - metrics[k]]));
    rows.push({ scorer: name, metrics, gap });
  }
  return rows;
}

/** What {@linkcode probeActivity} measures of an item2user ranking. */
export interface ProbeActivity extends ActivityShare {
  /** How alike the items rank the users (`sharedRanking` in `activity.ts`). */
  shared: SharedRanking;
}

/**
 * How far `t`'s item2user ranking of `part` follows user activity (see `activity.ts`): the share
 * of each item's top-10 users among the 10 % most active training users, beside the truth's, and
 * how alike the items rank the users. Undefined under user2item, where users are the queries and
 * not ranked.
 */
export async function probeActivity(
  t: LoadedTrial,
  part: "valid" | "test",
): Promise<ProbeActivity | undefined> {
  const opts = item2userOptions(t);
  if (opts === undefined) return undefined;
  const blocks = { userChunk: opts.userChunk, itemChunk: opts.itemChunk };
  const scorer = t.model.scorer();
  return {
    ...await activityShare(scorer, t.split, part, blocks),
    shared: await sharedRanking(scorer, t.split, part, blocks),
  };
}

/**
 * Where `t`'s item2user hits fall on `part` (see `spread.ts`): HR@K and NDCG@K taken apart into
 * the share of items reached, hits per reached item and NDCG over them, overall and per group of
 * items by their number of users. Undefined under user2item.
 *
 * @example Usage
 * ```ts ignore
 * const s = await withLoadedTrial({ store: "results/store.sqlite", trial: "3d085a4b" }, (t) =>
 *   probeSpread(t, "test"));
 * s?.overall["Reach@5"];
 * ```
 */
export async function probeSpread(
  t: LoadedTrial,
  part: "valid" | "test",
): Promise<HitSpread | undefined> {
  const opts = item2userOptions(t);
  if (opts === undefined) return undefined;
  return await hitSpread(t.model.scorer(), t.split, part, opts);
}

/** The evaluator options `t` ran with ({} for the defaults); undefined when not under item2user. */
function item2userOptions(t: LoadedTrial): EvalOptions | undefined {
  const settings = t.info.spec.settings as unknown as TrainOptions;
  if (settings.protocol !== "item2user") return undefined;
  return evalOptionsOf(settings, t.split) ?? {};
}
