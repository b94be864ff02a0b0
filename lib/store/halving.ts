/**
 * Successive halving's decision for one tuned row, from the stored states of its trials, and the
 * same decision replayed at another budget or η over the trials the store already holds. Pure:
 * the same stored results always give the same decision, however many workers produced them.
 * The tuning protocol (`lib/run/tune.ts`) releases what {@linkcode tuneDecision} decides; reports
 * ask {@linkcode replayHalving} whether a row's choice depends on its budget.
 *
 * @example Usage
 * ```ts
 * import { replayHalving } from "./halving.ts";
 *
 * const entries = [0, 1, 2, 3].flatMap((c) =>
 *   [0, 1].map((r) => ({
 *     dataset: "d", label: "M", config: c, rung: r, seed: 1, trial: `c${c}r${r}`, metric: "NDCG@10",
 *   }))
 * );
 * const valid: Record<string, number> = { c0r0: 0.3, c1r0: 0.1, c2r0: 0.2, c3r0: 0.4, c3r1: 0.5, c0r1: 0.45 };
 * const state = (k: string) => k in valid ? { status: "done" as const, valid: { "NDCG@10": valid[k] } } : undefined;
 * replayHalving(entries, { budget: 2, eta: 2 }, state, [4, 12]).chosen; // 0: configuration 3 is not drawn at 2
 * replayHalving(entries, { budget: 4, eta: 2 }, state, [4, 12]).chosen; // 3
 * ```
 *
 * @module
 */
import type { TuneEntry, TuneTrialState } from "./tuning.ts";

/** What the protocol has decided for one row so far. */
export interface TuneDecision {
  /** Trials released: rung trials (role `tune`) and final runs (role `result`). */
  release: { key: string; role: "tune" | "result"; priority: number }[];
  /** Configurations still in the race, per rung reached. */
  alive: number[][];
  /** The chosen configuration, once the top rung is ranked. */
  chosen?: number;
  /** Every configuration failed at some rung: the row has no result. */
  failed: boolean;
  /**
   * With more than one seed choosing at the top rung (`topSeeds` k > 1), once that rung is
   * ranked: the other seeds that run there (the k − 1 lowest seeds other than the tuning seed), and
   * each finished configuration's mean validation over the k seeds once all k are finished
   * (a failed seed counts as −∞).
   */
  selection?: { seeds: number[]; mean: Map<number, number> };
}

/**
 * Replays successive halving for one row from the stored states of its trials: which trials are
 * released, which configurations survive each rung, and the choice. Pure: the same stored
 * results always give the same decision, however many workers produced them.
 *
 * With `topSeeds` k > 1 the top rung's finished configurations are not chosen by the tuning seed
 * alone: each also runs the k − 1 lowest other seeds to the cap (its final runs on those seeds,
 * released as tuning trials), and the best mean validation over the k seeds is the choice (ties
 * to the lower configuration number). Where every one of them failed on some seed, the tuning
 * seed's ranking decides, as with k = 1.
 */
export function tuneDecision(
  entries: readonly TuneEntry[],
  eta: number,
  state: (key: string) => TuneTrialState | undefined,
  topSeeds = 1,
): TuneDecision {
  const rungs = Math.max(...entries.map((e) => e.rung)) + 1;
  const key = (config: number, rung: number) =>
    entries.find((e) => e.config === config && e.rung === rung)!.trial;
  const configs = [...new Set(entries.map((e) => e.config))].sort((a, b) => a - b);
  const metric = entries[0].metric;
  const release: TuneDecision["release"] = [];
  const finished = (s: TuneTrialState | undefined) =>
    s?.status === "done" || s?.status === "failed";
  // A missing or non-finite validation metric (NaN, which PostgreSQL stores) ranks last, so the
  // sort's comparator stays consistent.
  const value = (s: TuneTrialState) => {
    const v = s.status === "done" ? s.valid[metric] : undefined;
    return v !== undefined && Number.isFinite(v) ? v : -Infinity;
  };
  let alive = configs;
  const history: number[][] = [];
  for (let r = 0; r < rungs; r++) {
    history.push(alive);
    for (const c of alive) release.push({ key: key(c, r), role: "tune", priority: r });
    const states = alive.map((c) => state(key(c, r)));
    if (!states.every(finished)) return { release, alive: history, failed: false };
    const ranked = alive.map((c, i) => ({ c, s: value(states[i]!) }))
      .sort((a, b) => b.s - a.s || a.c - b.c).filter((x) => x.s > -Infinity);
    if (ranked.length === 0) return { release, alive: history, failed: true };
    if (r < rungs - 1) {
      alive = ranked.slice(0, Math.max(1, Math.ceil(alive.length / eta))).map((x) => x.c);
      continue;
    }
    let chosen = ranked[0].c, selection: TuneDecision["selection"];
    if (topSeeds > 1) {
      const tuneSeed = entries.find((e) => e.rung >= 0)!.seed;
      const finals = entries.filter((e) => e.rung === -1);
      const seeds = [...new Set(finals.map((e) => e.seed).filter((s) => s !== tuneSeed))]
        .sort((a, b) => a - b).slice(0, topSeeds - 1);
      const finalOf = (c: number, seed: number) =>
        finals.find((e) => e.config === c && e.seed === seed)!.trial;
      for (const { c } of ranked) {
        for (const seed of seeds) {
          release.push({ key: finalOf(c, seed), role: "tune", priority: r });
        }
      }
      const mean = new Map<number, number>();
      for (const { c, s } of ranked) {
        const more = seeds.map((seed) => state(finalOf(c, seed)));
        if (!more.every(finished)) continue;
        mean.set(c, more.reduce((sum, x) => sum + value(x!), s) / (1 + seeds.length));
      }
      selection = { seeds, mean };
      if (mean.size < ranked.length) return { release, alive: history, failed: false, selection };
      const best = ranked.map(({ c }) => ({ c, s: mean.get(c)! }))
        .sort((a, b) => b.s - a.s || a.c - b.c)[0];
      if (best.s > -Infinity) chosen = best.c;
    }
    for (const e of entries) {
      if (e.config === chosen && e.rung === -1) {
        release.push({ key: e.trial, role: "result", priority: rungs });
      }
    }
    return { release, alive: history, chosen, failed: false, ...(selection ? { selection } : {}) };
  }
  return { release, alive: history, failed: false };
}

/** How far a row's choice led at the top rung, against its seeds' spread. */
export interface ChoiceMargin {
  /**
   * The choice's lead over the best other configuration at the top rung, on the values it was
   * chosen by: the tuning seed's validation, or the mean over the top rung's seeds.
   */
  margin: number;
  /** The sample sd over seeds of the chosen configuration's validation (its final runs). */
  sd: number;
  /** Its final runs that are done (the sd's sample). */
  seeds: number;
  /** The seeds the choice averaged: the spread of a mean of k is sd / √k. */
  topSeeds: number;
}

/**
 * The chosen configuration's lead at the top rung and its validation's spread over its seeds;
 * undefined before the choice, with no other configuration at the top rung, or with fewer than
 * two final runs done. `chosen` (the reported choice) overrides the decision's.
 *
 * @example Usage
 * ```ts
 * import { choiceMargin, withinNoise } from "./halving.ts";
 *
 * const entries = [0, 1].flatMap((c) => [
 *   { dataset: "d", label: "M", config: c, rung: 0, seed: 1, trial: `c${c}`, metric: "NDCG@10" },
 *   { dataset: "d", label: "M", config: c, rung: -1, seed: 1, trial: `c${c}`, metric: "NDCG@10" },
 *   { dataset: "d", label: "M", config: c, rung: -1, seed: 2, trial: `c${c}s2`, metric: "NDCG@10" },
 * ]);
 * const v: Record<string, number> = { c0: 0.52, c1: 0.51, c0s2: 0.50 };
 * const m = choiceMargin(entries, 3, (k) => ({ status: "done", valid: { "NDCG@10": v[k] } }))!;
 * withinNoise(m); // true: a lead of 0.01 against an sd of 0.0141
 * ```
 */
export function choiceMargin(
  entries: readonly TuneEntry[],
  eta: number,
  state: (key: string) => TuneTrialState | undefined,
  topSeeds = 1,
  chosen?: number,
): ChoiceMargin | undefined {
  const d = tuneDecision(entries, eta, state, topSeeds);
  const c = chosen ?? d.chosen;
  const top = Math.max(...entries.map((e) => e.rung));
  const alive = d.alive[top];
  if (c === undefined || alive === undefined || d.chosen === undefined) return undefined;
  const metric = entries[0].metric;
  const valueOf = (s: TuneTrialState | undefined) =>
    s?.status === "done" ? s.valid[metric] : undefined;
  const score = (x: number) =>
    topSeeds > 1
      ? d.selection?.mean.get(x)
      : valueOf(state(entries.find((e) => e.config === x && e.rung === top)!.trial));
  const mine = score(c);
  const others = alive.filter((x) => x !== c).map(score)
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  const values = entries.filter((e) => e.config === c && e.rung === -1)
    .map((e) => valueOf(state(e.trial))).filter((v): v is number => v !== undefined);
  if (mine === undefined || others.length === 0 || values.length < 2) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { margin: mine - Math.max(...others), sd, seeds: values.length, topSeeds };
}

/** Whether a choice led by less than its seeds' spread (sd, or sd / √k for a mean of k). */
export function withinNoise(m: ChoiceMargin): boolean {
  return m.margin < m.sd / Math.sqrt(m.topSeeds);
}

/** How successive halving decides: the share 1/η that goes on, the seeds choosing at the top. */
export interface HalvingRule {
  eta: number;
  topSeeds: number;
}

/**
 * The halving rule of a stored experiment plan (η 3 and one seed at the top rung when absent,
 * the protocol's defaults).
 *
 * @example Usage
 * ```ts
 * planRule({ search: { method: "tune", budget: 6, eta: 2 } }); // { eta: 2, topSeeds: 1 }
 * planRule(undefined); // { eta: 3, topSeeds: 1 }
 * ```
 */
export function planRule(plan: unknown): HalvingRule {
  const search = (plan as { search?: { eta?: number; topSeeds?: number } } | undefined)?.search;
  return { eta: search?.eta ?? 3, topSeeds: search?.topSeeds ?? 1 };
}

/** A budget and η at which a tuned row's stored trials are replayed. */
export interface HalvingScenario {
  /** The configurations drawn: the row's first `budget` (defaults, presets, then draws). */
  budget: number;
  /** The fraction 1/η of a rung's configurations that goes on to the next. */
  eta: number;
}

/** What successive halving at one {@linkcode HalvingScenario} chooses from the stored trials. */
export interface HalvingReplay extends HalvingScenario {
  /**
   * The configurations that run at each rung: as decided where the stored trials decide it,
   * and ⌈n/η⌉ of the rung below past the first rung the replay cannot rank.
   */
  counts: number[];
  /**
   * Epochs trained on the tuning seed, every trial run to its rung's epoch count (a failed row:
   * up to the rung where every configuration failed); the top rung's other seeds (`topSeeds`)
   * are not counted.
   */
  epochs: number;
  /** The chosen configuration, when every trial the replay needs is finished. */
  chosen?: number;
  /** The chosen configuration's validation metric at the top rung, on the tuning seed. */
  valid?: number;
  /**
   * Released trials the store does not hold finished where the replay stops (the rung it cannot
   * rank, or the top rung's other seeds); 0 once decided. Later steps may need more.
   */
  missing: number;
  /** Every configuration failed at some rung. */
  failed: boolean;
}

/**
 * Successive halving replayed for one row at `scenario`, over the trials the store holds: the
 * row's first `budget` configurations, ranked at each of the row's rungs by the rule the
 * protocol uses ({@linkcode tuneDecision}). A budget above the row's own cannot be replayed (its
 * extra configurations were never drawn) and throws. The same key at the same rung is the same
 * run whichever experiment trained it, so a trial another budget promoted counts when it is
 * finished; one not finished (never run, or still pending or running) leaves the replay undecided,
 * with the number it lacks.
 *
 * @param rungEpochs the epoch count of each of the row's rungs (for the epochs the scenario
 *   trains)
 * @param topSeeds the seeds choosing at the top rung, as the run had them (see
 *   {@linkcode tuneDecision})
 */
export function replayHalving(
  entries: readonly TuneEntry[],
  scenario: HalvingScenario,
  state: (key: string) => TuneTrialState | undefined,
  rungEpochs: readonly number[],
  topSeeds = 1,
): HalvingReplay {
  const { budget, eta } = scenario;
  const configs = [...new Set(entries.map((e) => e.config))].sort((a, b) => a - b);
  if (budget < 1 || budget > configs.length) {
    throw new RangeError(
      `a budget of ${budget} cannot be replayed from ${configs.length} configurations`,
    );
  }
  const kept = new Set(configs.slice(0, budget));
  const mine = entries.filter((e) => kept.has(e.config));
  const d = tuneDecision(mine, eta, state, topSeeds);
  const top = Math.max(...mine.map((e) => e.rung));
  const counts = d.alive.map((a) => a.length);
  // Past the first rung it cannot rank, a replay runs ⌈n/η⌉ of the rung below; a failed one
  // (every configuration of a rung failed) runs nothing more.
  while (!d.failed && counts.length <= top) {
    counts.push(Math.max(1, Math.ceil(counts.at(-1)! / eta)));
  }
  const epochs = counts.reduce((s, n, r) => s + n * (rungEpochs[r] - (rungEpochs[r - 1] ?? 0)), 0);
  const keyOf = (c: number, r: number) => mine.find((e) => e.config === c && e.rung === r)?.trial;
  const finished = (k: string) => ["done", "failed"].includes(state(k)?.status ?? "");
  if (d.chosen !== undefined) {
    return {
      ...scenario,
      counts,
      epochs,
      chosen: d.chosen,
      valid: state(keyOf(d.chosen, top)!)?.valid[mine[0].metric],
      missing: 0,
      failed: false,
    };
  }
  // What holds it: the released trials not finished (those of the rung it cannot rank, or the
  // top rung's other seeds).
  const missing = d.failed
    ? 0
    : new Set(d.release.map((x) => x.key).filter((k) => !finished(k))).size;
  return { ...scenario, counts, epochs, missing, failed: d.failed };
}
