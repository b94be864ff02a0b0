/**
 * The selection on validation of stored experiments, as their reports make it: one experiment's
 * finished result trials (tuning rungs never count), or several experiments' side by side, each
 * row from the experiment that ran it.
 *
 * @module
 */
import { type ResultStore, shownStore, type TrialInfo } from "../store/mod.ts";
import { type Selection, selectOnValidation, type ValidationRecord } from "./select.ts";

function record(t: TrialInfo, valid: Record<string, number>): ValidationRecord {
  const s = t.spec;
  return {
    key: s.key,
    protocol: t.protocol,
    dataset: s.dataset,
    model: s.model,
    label: s.label,
    variant: s.variant,
    family: s.family,
    point: s.point,
    pointLabel: s.pointLabel,
    seed: s.seed,
    valid,
  };
}

/**
 * Every trial linked to `experiment`.
 *
 * @throws RangeError naming the stored experiments when the store holds none of its trials.
 */
async function storedTrials(store: ResultStore, experiment: string): Promise<TrialInfo[]> {
  const infos = await store.trials(experiment);
  if (infos.length === 0) {
    const known = (await store.experiments()).map((e) => `"${e.name}"`).join(", ") || "none";
    throw new RangeError(
      `No experiment "${experiment}" in ${shownStore(store.path)} (stored: ${known})`,
    );
  }
  return infos;
}

/** Whether trials hold a finished result trial: what a report reads (tuning rungs never are). */
function hasFinished(infos: readonly TrialInfo[]): boolean {
  return infos.some((t) => t.status === "done" && t.role === "result");
}

/**
 * The experiments a command reports, checked before it prints or writes anything for the first:
 * each one `named` must be stored and (unless `finished` is false, as for an export of every
 * trial) have a finished result trial; without names, every stored experiment that has one, the
 * others returned as `skipped` for a note.
 *
 * @throws RangeError for the first named one that is not, the line
 * {@linkcode experimentSelection} throws.
 * @example Usage
 * ```ts ignore
 * await reportedExperiments(store, ["table3", "nosuch"]); // RangeError: No experiment "nosuch" in …
 * const { names, skipped } = await reportedExperiments(store, undefined); // the finished ones
 * ```
 */
export async function reportedExperiments(
  store: ResultStore,
  named: readonly string[] | undefined,
  { finished = true }: { finished?: boolean } = {},
): Promise<{ names: string[]; skipped: string[] }> {
  if (named) {
    for (const e of named) {
      const infos = await storedTrials(store, e);
      if (finished && !hasFinished(infos)) {
        throw new RangeError(`Experiment "${e}" has no finished trial yet`);
      }
    }
    return { names: [...named], skipped: [] };
  }
  const names: string[] = [], skipped: string[] = [];
  for (const { name } of await store.experiments()) {
    (!finished || hasFinished(await store.trials(name)) ? names : skipped).push(name);
  }
  return { names, skipped };
}

/** An experiment's finished result trials and the selection on validation over them. */
export interface ExperimentSelection {
  /** Every trial linked to the experiment (any status or role). */
  infos: TrialInfo[];
  /** Finished trials with role `result` (tuning rungs are never reported), by key. */
  trials: Map<string, TrialInfo>;
  selections: Selection[];
  /** The validation metric that selects. */
  metric: string;
}

/**
 * The selection on validation of an experiment, as its report tables make it.
 *
 * @throws RangeError for an unknown experiment or one without a finished trial.
 */
export async function experimentSelection(
  store: ResultStore,
  experiment: string,
): Promise<ExperimentSelection> {
  const infos = await storedTrials(store, experiment);
  // Tuning rungs are never reported: selection and tables read the final runs only.
  const done = infos.filter((t) => t.status === "done" && t.role === "result");
  if (done.length === 0) {
    throw new RangeError(`Experiment "${experiment}" has no finished trial yet`);
  }
  const valid = await store.metrics(done.map((t) => t.spec.key), "valid");
  const metric = done[0].spec.settings.selectMetric;
  const selections = selectOnValidation(
    done.map((t) => record(t, valid.get(t.spec.key) ?? {})),
    metric,
  );
  return { infos, trials: new Map(done.map((t) => [t.spec.key, t])), selections, metric };
}

/** A row held by several merged experiments, taken from the one preferred. */
export interface PreferredRow {
  protocol: string;
  dataset: string;
  label: string;
  /** The experiment the row comes from. */
  from: string;
  /** The other experiments that hold it, left out. */
  over: string[];
}

/**
 * The selections of several experiments as one: rows side by side, each from the experiment that
 * ran it. A row (protocol, dataset, label) in two of them comes from the first of `prefer` that
 * holds it (a row rerun alone, preferred over the table's own run); with none of them preferred,
 * or splits of a dataset that no one of them holds all of (one experiment may hold several
 * through a row's own split seed), or two selection metrics, they cannot share a table: each is a
 * RangeError naming what differs.
 *
 * @example Usage
 * ```ts ignore
 * // The fair table, with its GAR row rerun alone as experiment "table3_fair_gar".
 * const { selections, from, preferred } = await mergedSelection(
 *   store,
 *   ["table3_fair", "table3_fair_gar"],
 *   { prefer: ["table3_fair_gar"] },
 * );
 * selections.map((s) => `${s.label}: ${from.get(s)}`); // ["Random: table3_fair", …, "GAR: table3_fair_gar"]
 * preferred; // [{ label: "GAR", from: "table3_fair_gar", over: ["table3_fair"], … }]
 * ```
 */
export async function mergedSelection(
  store: ResultStore,
  experiments: readonly string[],
  options: {
    /** Experiments whose rows win over the same rows of the others, first named first. */
    prefer?: readonly string[];
  } = {},
): Promise<
  ExperimentSelection & {
    /** The experiment each row comes from. */
    from: Map<Selection, string>;
    /** Every trial linked to each experiment, less those of its rows left out for another's. */
    infosOf: Map<string, TrialInfo[]>;
    /** The rows that more than one experiment holds, and where each was taken from. */
    preferred: PreferredRow[];
  }
> {
  const prefer = options.prefer ?? [];
  const stray = prefer.find((p) => !experiments.includes(p));
  if (stray !== undefined) {
    throw new RangeError(`Preferred experiment "${stray}" is not one of the merged experiments`);
  }
  const parts = await Promise.all(experiments.map((e) => experimentSelection(store, e)));
  const from = new Map<Selection, string>();
  // (protocol, dataset, label) → every experiment's selection of that row.
  const holders = new Map<string, { e: string; s: Selection }[]>();
  const rowId = (protocol: string, dataset: string, label: string) =>
    `${protocol}\u0000${dataset}\u0000${label}`;
  parts.forEach((p, i) => {
    const e = experiments[i];
    if (p.metric !== parts[0].metric) {
      throw new RangeError(
        `Experiments "${experiments[0]}" and "${e}" select by different metrics ` +
          `(${parts[0].metric}, ${p.metric}): their rows cannot share a table`,
      );
    }
    for (const s of p.selections) {
      const id = rowId(s.protocol, s.dataset, s.label);
      holders.set(id, [...(holders.get(id) ?? []), { e, s }]);
    }
  });
  const preferred: PreferredRow[] = [];
  const selections: Selection[] = [];
  // Experiment and row of each row left out for a preferred one.
  const leftOut = new Set<string>();
  for (const held of holders.values()) {
    const winner = held.length === 1
      ? held[0]
      : prefer.map((p) => held.find((h) => h.e === p)).find((h) => h !== undefined);
    if (winner === undefined) {
      const { s } = held[0];
      const names = held.map((h) => `"${h.e}"`);
      const inAll = held.length === 2
        ? `both ${names.join(" and ")}`
        : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
      throw new RangeError(
        `Row "${s.label}" on ${s.dataset} is in ${inAll}: a ` +
          "merged report takes each row from one experiment (--prefer names the one to take it from)",
      );
    }
    if (held.length > 1) {
      const { s } = winner;
      const over = held.filter((h) => h !== winner).map((h) => h.e);
      preferred.push({
        protocol: s.protocol,
        dataset: s.dataset,
        label: s.label,
        from: winner.e,
        over,
      });
      for (const e of over) leftOut.add(`${e}\u0000${rowId(s.protocol, s.dataset, s.label)}`);
    }
    from.set(winner.s, winner.e);
    selections.push(winner.s);
  }
  // Every finished trial is a candidate of its experiment's row, so these are the trials of the
  // rows shown; a row left out for a preferred one adds nothing to the caption (seeds, code
  // versions, CPU time, trials still open) and its split does not count (a trial both
  // experiments hold stays).
  const shown = new Set(selections.flatMap((s) => s.candidates.flatMap((c) => c.keys)));
  const trials = new Map(parts.flatMap((p) => [...p.trials]).filter(([k]) => shown.has(k)));
  const infosOf = new Map(parts.map((p, i) => [
    experiments[i],
    p.infos.filter((t) =>
      !leftOut.has(`${experiments[i]}\u0000${rowId(t.protocol, t.spec.dataset, t.spec.label)}`)
    ),
  ]));
  // (protocol, dataset) → experiment → the splits of its rows shown.
  const splitsOf = new Map<string, Map<string, Set<string | null>>>();
  for (const s of selections) {
    const e = from.get(s)!;
    for (const key of s.candidates.flatMap((c) => c.keys)) {
      const t = trials.get(key)!;
      const id = `${t.protocol}\u0000${t.spec.dataset}`;
      const byExperiment = splitsOf.get(id) ?? new Map<string, Set<string | null>>();
      byExperiment.set(e, (byExperiment.get(e) ?? new Set()).add(t.splitFingerprint));
      splitsOf.set(id, byExperiment);
    }
  }
  for (const [id, byExperiment] of splitsOf) mergeableSplits(id, byExperiment);
  return {
    // A trial linked to two experiments counts once.
    infos: [...new Map([...infosOf.values()].flatMap((ts) => ts.map((t) => [t.spec.key, t])))
      .values()],
    trials,
    selections,
    metric: parts[0].metric,
    from,
    infosOf,
    preferred,
  };
}

/**
 * One experiment may hold rows on several splits of a dataset (a row's own split settings); merged
 * experiments may not bring a split another lacks: one of them must hold every split the others
 * have (with one split each, all the same). Whatever their order, the same answer.
 */
function mergeableSplits(id: string, byExperiment: Map<string, Set<string | null>>) {
  type Splits = [string, Set<string | null>];
  const sets: Splits[] = [...byExperiment];
  const widest = sets.reduce((a, b) => b[1].size > a[1].size ? b : a);
  const other = sets.find(([, s]) => [...s].some((f) => !widest[1].has(f)));
  if (!other) return;
  // Neither holds the other's splits: `widest` is no smaller, and lacks one of `other`'s.
  const [first, second] = sets.indexOf(widest) < sets.indexOf(other)
    ? [widest, other]
    : [other, widest];
  const only = (x: Splits, y: Splits) => [...x[1]].find((f) => !y[1].has(f));
  const [protocol, dataset] = id.split("\u0000");
  throw new RangeError(
    `${dataset} (${protocol}) has split ${only(first, second)} in "${first[0]}" and ` +
      `${only(second, first)} in "${second[0]}": rows on different splits cannot share a table`,
  );
}
