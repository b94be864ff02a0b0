/**
 * Where each tuned row of an experiment stands, for `deno task status`: per rung, how many of the
 * configurations that run there are finished (rungs successive halving has not reached yet count
 * the survivors it will keep), the choice, the final runs over the seeds, the CPU its trials
 * recorded, and an upper bound of the CPU it still needs — every remaining trial run to its epoch
 * count at the row's measured seconds per epoch (validation patience can only stop them sooner).
 * A long tuned table (hours per row on one core) is then a list of rows with the time each has
 * left, not a count of trials.
 *
 * @example Usage
 * ```ts
 * import { ResultStore } from "../store/mod.ts";
 * import { renderTuneProgress, tuneProgress } from "./tune_progress.ts";
 *
 * const store = await ResultStore.open("results/store.sqlite", { mustExist: true });
 * console.log(renderTuneProgress(await tuneProgress(store, "table3_fair")).join("\n"));
 * await store.close();
 * ```
 *
 * @module
 */
import { recordedSeconds, type ResultStore, tuneDecision, tuneRows } from "../store/mod.ts";
import { formatDuration } from "../train/progress.ts";
import { tuneRule } from "./tune.ts";

/** One rung of a tuned row. */
export interface RungProgress {
  /** The epoch count trials reach at this rung. */
  epochs: number;
  /** Its configurations that finished (done or failed). */
  done: number;
  /** The configurations that run at this rung (survivors still to be decided: ⌈n/η⌉). */
  total: number;
}

/** One tuned (dataset, row) of an experiment. */
export interface RowProgress {
  dataset: string;
  label: string;
  rungs: RungProgress[];
  /** The chosen configuration (0: the row's defaults), once the top rung is ranked. */
  chosen?: number;
  /** Whether every configuration of a rung failed (the row has no choice). */
  failed: boolean;
  /**
   * With more than one seed choosing at the top rung: the other seeds' runs of the
   * configurations finishing it, finished / to run.
   */
  selection?: { done: number; total: number };
  /** Final runs over the seeds: the first seed's is the chosen top-rung trial itself. */
  finals: { done: number; running: number; total: number };
  /** Setup, training and evaluation seconds recorded by the row's done trials. */
  cpuSeconds: number;
  /** Recorded seconds per trained epoch, from its done trials; undefined before any. */
  secondsPerEpoch?: number;
  /** Upper bound of the CPU seconds still needed; undefined without a timing. */
  leftSeconds?: number;
}

/** The progress of every tuned row of `experiment` (none for an untuned experiment). */
export async function tuneProgress(
  store: ResultStore,
  experiment: string,
): Promise<RowProgress[]> {
  const all = await store.tuneEntries(experiment);
  if (all.length === 0) return [];
  const { eta, topSeeds } = await tuneRule(store, experiment);
  const keys = [...new Set(all.map((e) => e.trial))];
  const [states, epochsOf, infos] = await Promise.all([
    store.tuneStates(keys),
    store.trialEpochs(keys),
    store.trials(experiment),
  ]);
  const info = new Map(infos.map((t) => [t.spec.key, t]));
  const lastEpoch = new Map<string, number>();
  const tuned = new Set(keys);
  for (const t of infos.filter((x) => x.status === "done" && tuned.has(x.spec.key))) {
    lastEpoch.set(t.spec.key, (await store.curve(t.spec.key)).at(-1)?.epoch ?? 0);
  }
  return tuneRows(all).map((entries) => {
    const { dataset, label } = entries[0];
    const d = tuneDecision(entries, eta, (k) => states.get(k), topSeeds);
    const nRungs = Math.max(...entries.map((e) => e.rung)) + 1;
    const keyOf = (config: number, rung: number) =>
      entries.find((e) => e.config === config && e.rung === rung)?.trial;
    const epochsAt = (rung: number) => {
      const e = entries.find((x) => x.rung === rung);
      return e ? epochsOf.get(e.trial) ?? 0 : 0;
    };
    const finished = (k: string | undefined) =>
      k !== undefined && ["done", "failed"].includes(states.get(k)?.status ?? "");
    const rungs: RungProgress[] = [];
    for (let r = 0; r < nRungs; r++) {
      const alive = d.alive[r];
      const total = alive?.length ??
        Math.max(1, Math.ceil((rungs.at(-1)?.total ?? 1) / eta));
      const done = alive ? alive.filter((c) => finished(keyOf(c, r))).length : 0;
      rungs.push({ epochs: epochsAt(r), done, total });
    }
    // Finals: the chosen configuration's (any one's before the choice) runs over the seeds;
    // the first seed's is the top-rung trial (same key), counted with the rung above.
    const config = d.chosen ?? entries[0].config;
    const top = keyOf(config, nRungs - 1);
    const finalKeys = entries.filter((e) => e.rung === -1 && e.config === config).map((e) =>
      e.trial
    );
    const extra = finalKeys.filter((k) => k !== top);
    const released = d.chosen !== undefined;
    // With more than one seed choosing at the top rung, each configuration finishing it runs
    // k − 1 other seeds first (its final runs there): as released, or ⌈n/η⌉ of them ahead.
    const tuneSeed = entries.find((e) => e.rung >= 0)!.seed;
    const selectionKeys = d.selection
      ? [...new Set(d.release.filter((x) => x.role === "tune").map((x) => x.key))].filter((k) =>
        entries.some((e) => e.trial === k && e.rung === -1 && e.seed !== tuneSeed)
      )
      : [];
    const selection = topSeeds > 1 && !d.failed
      ? {
        done: selectionKeys.filter((k) => finished(k)).length,
        total: d.selection ? selectionKeys.length : rungs.at(-1)!.total * (topSeeds - 1),
      }
      : undefined;
    const finals = {
      done: (released && finished(top) ? 1 : 0) +
        (released ? extra.filter((k) => finished(k)).length : 0),
      running: released ? extra.filter((k) => states.get(k)?.status === "running").length : 0,
      total: finalKeys.length,
    };
    // Seconds per trained epoch: a rung trial continues its configuration's previous rung, so it
    // trained from where that one ended; a final trains from scratch. The epochs are the ones
    // its curve reached (validation patience may have stopped it before its count).
    const reached = (k: string | undefined) => (k === undefined ? 0 : lastEpoch.get(k) ?? 0);
    let seconds = 0, epochs = 0;
    // A top-rung trial is also its configuration's first-seed final (same key): rung entries
    // come first, so it counts once, as a rung.
    const counted = new Set<string>();
    for (const e of [...entries].sort((a, b) => b.rung - a.rung)) {
      const t = info.get(e.trial);
      if (t?.status !== "done" || counted.has(e.trial)) continue;
      counted.add(e.trial);
      seconds += recordedSeconds(t);
      epochs += reached(e.trial) - (e.rung > 0 ? reached(keyOf(e.config, e.rung - 1)) : 0);
    }
    const cpuSeconds = seconds;
    const secondsPerEpoch = epochs > 0 ? seconds / epochs : undefined;
    // What is left runs to its epoch count (a bound: patience can only stop it sooner); a row
    // whose rung failed runs nothing more.
    const planned = (rung: number) => epochsAt(rung) - (rung > 0 ? epochsAt(rung - 1) : 0);
    let leftEpochs = 0;
    if (!d.failed) {
      rungs.forEach((r, i) => leftEpochs += (r.total - r.done) * planned(i));
      const ahead = selection ? selection.total - selection.done : 0;
      // Before the choice its finals are the seeds past the top rung and the selection's.
      const finalsLeft = released
        ? finals.total - finals.done
        : finals.total - 1 - (selection ? topSeeds - 1 : 0);
      leftEpochs += (ahead + finalsLeft) * epochsAt(nRungs - 1);
    }
    return {
      dataset,
      label,
      rungs,
      chosen: d.chosen,
      failed: d.failed,
      ...(selection ? { selection } : {}),
      finals,
      cpuSeconds,
      secondsPerEpoch,
      leftSeconds: secondsPerEpoch === undefined ? undefined : leftEpochs * secondsPerEpoch,
    };
  });
}

/**
 * The progress as text lines: one per row, then the total left (an upper bound) over the rows
 * that have a timing, and how many have none yet.
 */
export function renderTuneProgress(rows: readonly RowProgress[]): string[] {
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => `${r.dataset} ${r.label}`.length));
  const lines = [
    "  tuned rows (rungs: epochs finished/run there; left: at most, every remaining trial run " +
    "to its epoch count at the row's recorded seconds per epoch; each configuration's " +
    "validation per rung: report --layout tuning; whether each choice holds with half the " +
    "configurations and by more than one seed's spread: report --layout budget):",
  ];
  for (const r of rows) {
    const rungs = r.rungs.map((g) => `${g.epochs}: ${g.done}/${g.total}`).join(", ") +
      (r.selection ? `, top rung's other seeds ${r.selection.done}/${r.selection.total}` : "");
    const choice = r.failed
      ? "no choice (a rung failed)"
      : r.chosen === undefined
      ? "choosing"
      : `chose ${r.chosen === 0 ? "its defaults" : `configuration ${r.chosen}`}`;
    const running = r.finals.running > 0 ? ` (${r.finals.running} running)` : "";
    const left = r.leftSeconds === undefined
      ? "left ? (no trial finished)"
      : r.leftSeconds === 0
      ? "finished"
      : `left ≤ ${formatDuration(r.leftSeconds)}`;
    lines.push(
      `    ${`${r.dataset} ${r.label}`.padEnd(width)}  rungs ${rungs}; ${choice}; ` +
        `finals ${r.finals.done}/${r.finals.total}${running}; CPU ${
          formatDuration(r.cpuSeconds)
        }; ${left}`,
    );
  }
  const timed = rows.filter((r) => r.leftSeconds !== undefined);
  const left = timed.reduce((a, r) => a + r.leftSeconds!, 0);
  const untimed = rows.length - timed.length;
  const rowsText = (n: number) => `${n} row${n === 1 ? "" : "s"}`;
  const notTimed = `${rowsText(untimed)} not timed yet`;
  lines.push(
    timed.length === 0
      ? `  left: ${notTimed}`
      : `  left: ≤ ${formatDuration(left)} of CPU for the ${rowsText(timed.length)} with a ` +
        `timing${untimed > 0 ? `, and ${notTimed}` : ""}`,
  );
  return lines;
}
