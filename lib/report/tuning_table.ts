/**
 * The tuning layout: for every tuned (dataset, row) of an experiment, each configuration its
 * tuning tried (its defaults, its presets, its draws), with its hyperparameters, its validation
 * metric at every rung it ran (the kept checkpoint's value, the kept epoch and the epochs run
 * there), whether it stopped at a rung or went on, the seconds its rungs recorded, and the one
 * chosen. It reads what the experiment ran (the trials linked to it), not a replay of the
 * protocol, so the table is what selection saw: validation only, never test.
 *
 * @example Usage
 * ```ts
 * import { tuningTable } from "./tuning_table.ts";
 *
 * const t = tuningTable({
 *   dataset: "synthetic",
 *   label: "CLCRec",
 *   metric: "NDCG@10",
 *   epochs: [4, 12],
 *   topSeeds: 1,
 *   finals: { done: 3, total: 3 },
 *   configurations: [
 *     { config: 0, kind: "defaults", pointLabel: "lr=0.001", seconds: 30, chosen: true, rungs: [
 *       { status: "done", valid: 0.41, keptEpoch: 4, lastEpoch: 4 },
 *       { status: "done", valid: 0.45, keptEpoch: 10, lastEpoch: 12 },
 *     ] },
 *     { config: 1, kind: "draw", pointLabel: "lr=0.01", seconds: 8, chosen: false, rungs: [
 *       { status: "done", valid: 0.2, keptEpoch: 2, lastEpoch: 4 },
 *       undefined,
 *     ] },
 *   ],
 * }, "Experiment demo.");
 * t.rows.length; // 2: one per configuration
 * ```
 *
 * @module
 */
import { formatDuration } from "../train/progress.ts";
import type { ResultStore, TrialInfo, TrialStatus } from "../store/mod.ts";
import { planRule, recordedSeconds, tuneRows } from "../store/mod.ts";
import type { Cell, Column, Row, Table } from "./table_model.ts";
import { placedPresets, reportedConfig, rowEntries, type TunedPlan } from "./tuned_rows.ts";

/** One configuration's trial at one rung, as the experiment ran it. */
export interface TuningCell {
  /** The trial's state. */
  status: TrialStatus;
  /** The validation metric at its kept checkpoint (a finished trial). */
  valid?: number;
  /** The epoch of its kept checkpoint (a finished trial). */
  keptEpoch?: number;
  /** The last epoch it ran (validation patience may stop it before its rung's epoch count). */
  lastEpoch?: number;
}

/** One configuration of a tuned row. */
export interface TuningConfiguration {
  /** Its number in the row (0: the defaults, when the row has them). */
  config: number;
  /** `defaults`, `preset <name>` or `draw`. */
  kind: string;
  /** Its hyperparameters, as the experiment labels its point. */
  pointLabel: string;
  /** Its trial at each rung; undefined where it did not run (stopped at an earlier rung). */
  rungs: (TuningCell | undefined)[];
  /**
   * Seconds its finished rung trials recorded (setup, training, evaluation), and, where several
   * seeds choose, its runs on the top rung's other seeds unless it is the choice (those are its
   * reported finals).
   */
  seconds: number;
  /** The row's choice: its final runs over the seeds are the reported ones. */
  chosen: boolean;
  /**
   * Where several seeds choose at the top rung and it finished that rung: its runs on the other
   * seeds finished / released (of k − 1), whether one failed, and its mean validation over the k
   * seeds once all are done.
   */
  selection?: { done: number; total: number; failed: boolean; mean?: number };
}

/** Every configuration one tuned (dataset, row) tried, rung by rung. */
export interface TuningLadder {
  dataset: string;
  label: string;
  /** The validation metric that ranks configurations. */
  metric: string;
  /** The epoch count of each rung. */
  epochs: number[];
  /** The seeds whose mean validation chooses among the top rung's configurations. */
  topSeeds: number;
  configurations: TuningConfiguration[];
  /** The chosen configuration's final runs over the seeds (its first is its top-rung trial). */
  finals: { done: number; total: number };
}

/**
 * The tuning ladders of `experiment`'s tuned rows that `infos` (its trials) hold, one per
 * (dataset, row), in the order its tuning entries list them; none for an untuned experiment.
 */
export async function tuningLadders(
  store: ResultStore,
  experiment: string,
  infos: readonly TrialInfo[],
): Promise<TuningLadder[]> {
  const linked = new Map(infos.map((t) => [t.spec.key, t]));
  const entries = await rowEntries(store, experiment, infos);
  if (entries.length === 0) return [];
  const plan = (await store.experimentPlan(experiment)) as TunedPlan | undefined;
  // Plans stored before `search.defaults` existed always had them (parseSearch's default).
  const hasDefaults = plan?.search?.defaults ?? true;
  const presets = placedPresets(plan, entries);
  const { topSeeds } = planRule(plan);
  const rungKeys = [...new Set(entries.filter((e) => e.rung >= 0).map((e) => e.trial))];
  const doneKeys = [...new Set(entries.map((e) => e.trial))].filter((k) =>
    linked.get(k)?.status === "done"
  );
  const [valid, epochsOf] = await Promise.all([
    store.metrics(doneKeys, "valid"),
    store.trialEpochs(rungKeys),
  ]);
  const cellOf = async (t: TrialInfo, metric: string): Promise<TuningCell> => {
    if (t.status !== "done") return { status: t.status };
    const curve = await store.curve(t.spec.key);
    return {
      status: t.status,
      valid: valid.get(t.spec.key)?.[metric],
      keptEpoch: curve.find((p) => p.step === t.bestStep)?.epoch,
      lastEpoch: curve.at(-1)?.epoch,
    };
  };
  const rows = tuneRows(entries);
  const ladders: TuningLadder[] = [];
  for (const row of rows) {
    const { dataset, label, metric } = row[0];
    const nRungs = Math.max(...row.map((e) => e.rung)) + 1;
    const epochs = Array.from({ length: nRungs }, (_, r) => {
      const e = row.find((x) => x.rung === r);
      return e ? epochsOf.get(e.trial) ?? 0 : 0;
    });
    const configs = [...new Set(row.map((e) => e.config))].sort((a, b) => a - b);
    const finalsOf = (c: number) => row.filter((e) => e.config === c && e.rung === -1);
    const chosen = reportedConfig(row, linked);
    // The other seeds choosing at the top rung: the k − 1 lowest other than the tuning seed.
    const tuneSeed = row.find((e) => e.rung >= 0)!.seed;
    const selectionSeeds = [
      ...new Set(row.filter((e) => e.rung === -1 && e.seed !== tuneSeed).map((e) => e.seed)),
    ].sort((a, b) => a - b).slice(0, topSeeds - 1);
    const configurations: TuningConfiguration[] = [];
    for (const c of configs) {
      const mine = row.filter((e) => e.config === c);
      const preset = presets.get(label)?.find((p) => p.config === c)?.name;
      const cells: (TuningCell | undefined)[] = [];
      let seconds = 0;
      for (let r = 0; r < nRungs; r++) {
        const t = linked.get(mine.find((e) => e.rung === r)?.trial ?? "");
        cells.push(t === undefined ? undefined : await cellOf(t, metric));
        if (t?.status === "done") seconds += recordedSeconds(t);
      }
      let selection: TuningConfiguration["selection"];
      const top = cells[nRungs - 1];
      if (selectionSeeds.length > 0 && top?.status === "done") {
        const runs = selectionSeeds.map((seed) =>
          linked.get(finalsOf(c).find((e) => e.seed === seed)?.trial ?? "")
        );
        const done = runs.filter((t) => t?.status === "done");
        // The choice's runs there are its reported finals, not tuning cost.
        if (c !== chosen) { for (const t of done) seconds += recordedSeconds(t!); }
        const failed = runs.some((t) => t?.status === "failed");
        const values = [top.valid, ...done.map((t) => valid.get(t!.spec.key)?.[metric])];
        selection = {
          done: done.length,
          total: selectionSeeds.length,
          failed,
          ...(done.length === selectionSeeds.length && values.every((v) => v !== undefined)
            ? { mean: values.reduce((a, b) => a! + b!, 0)! / values.length }
            : {}),
        };
      }
      configurations.push({
        config: c,
        kind: hasDefaults && c === 0
          ? "defaults"
          : preset !== undefined
          ? `preset ${preset}`
          : "draw",
        pointLabel: mine[0].pointLabel ??
          mine.map((e) => linked.get(e.trial)?.spec.pointLabel).find((l) => l !== undefined) ?? "",
        rungs: cells,
        seconds,
        chosen: c === chosen,
        ...(selection ? { selection } : {}),
      });
    }
    const finals = chosen === undefined ? [] : finalsOf(chosen);
    ladders.push({
      dataset,
      label,
      metric,
      epochs,
      topSeeds,
      configurations,
      finals: {
        done: finals.filter((e) => linked.get(e.trial)?.status === "done").length,
        total: finals.length,
      },
    });
  }
  return ladders;
}

/** A rung's cell: `0.5548 (13/13)` (kept epoch/epochs run), an unfinished trial's state, or `–`. */
function rungCell(c: TuningCell | undefined, chosen: boolean, top: boolean): Cell {
  if (c === undefined) return { text: "–" };
  if (c.status !== "done" || c.valid === undefined) return { text: c.status };
  const epochs = c.keptEpoch !== undefined && c.lastEpoch !== undefined
    ? ` (${c.keptEpoch}/${c.lastEpoch})`
    : "";
  return {
    value: { mean: c.valid, std: 0, n: 1 },
    text: `${c.valid.toFixed(4)}${epochs}`,
    ...(chosen && top ? { selected: true } : {}),
  };
}

/** The top rung's seeds' cell: their mean validation, what is left, or a failed seed. */
function selectionCell(c: TuningConfiguration): Cell {
  const s = c.selection;
  if (s === undefined) return { text: "–" };
  if (s.failed) return { text: "a seed failed" };
  if (s.mean === undefined) {
    return { text: s.done === s.total ? "no value" : `${s.done}/${s.total} seeds` };
  }
  return {
    value: { mean: s.mean, std: 0, n: 1 + s.total },
    text: s.mean.toFixed(4),
    ...(c.chosen ? { selected: true } : {}),
  };
}

/**
 * The table of one ladder: a row per configuration (its number and kind), its validation metric
 * at each rung (and its mean over the seeds choosing at the top rung, where several do), the
 * seconds its rungs recorded and its hyperparameters; the cell the choice was made on is marked.
 */
export function tuningTable(l: TuningLadder, caption: string): Table {
  const chosen = l.configurations.find((c) => c.chosen);
  // Where several seeds choose, the mark goes on the mean it was chosen by; when every top-rung
  // configuration had a failed seed the tuning seed's top rung decided, and the mark goes there.
  const fallback = l.topSeeds > 1 && chosen !== undefined && chosen.selection?.mean === undefined;
  const several = l.topSeeds > 1;
  const columns: Column[] = [
    ...l.epochs.map((e, r) => ({ group: "", name: `rung ${r + 1}: ${e} epochs` })),
    ...(several ? [{ group: "", name: `top rung, mean of ${l.topSeeds} seeds` }] : []),
    { group: "", name: "seconds" },
    { group: "", name: "hyperparameters", align: "l" },
  ];
  const rows: Row[] = l.configurations.map((c) => ({
    kind: "row",
    label: `${c.config} (${c.kind})`,
    cells: [
      ...c.rungs.map((cell, r) =>
        rungCell(cell, c.chosen, (!several || fallback) && r === l.epochs.length - 1)
      ),
      ...(several ? [selectionCell(c)] : []),
      { value: { mean: c.seconds, std: 0, n: 1 }, text: formatDuration(c.seconds) },
      { text: c.pointLabel },
    ],
  }));
  const by = fallback
    ? `the highest validation ${l.metric} at the top rung on the tuning seed (every ` +
      `configuration there failed on one of the other seeds)`
    : several
    ? `the highest mean validation ${l.metric} over ${l.topSeeds} seeds at the top rung (the ` +
      `tuning seed's top-rung trial and its runs on the ${l.topSeeds - 1} lowest other seeds)`
    : `the highest validation ${l.metric} at the top rung`;
  const choice = chosen === undefined
    ? "No configuration is chosen yet (a rung is unfinished, or every configuration failed)."
    : `Chosen (◀): configuration ${chosen.config} (${chosen.kind}), ${by}; its final runs over ` +
      `the seeds (${l.finals.done} of ${l.finals.total} done, the first its top-rung trial) are ` +
      `the reported ones.`;
  return {
    title: `Tuning: ${l.dataset}, ${l.label}, validation ${l.metric} per rung`,
    caption: `${caption} Each configuration's validation ${l.metric} at the kept checkpoint of ` +
      `every rung it ran (kept epoch/epochs run there; a rung continues the one below it from ` +
      `its saved state); – : not run at that rung (not promoted, or the rung below is not ` +
      `decided yet). Seconds: what its finished rung trials recorded` +
      (several ? `, with its runs on the top rung's other seeds unless it is the choice. ` : `. `) +
      choice,
    corner: "configuration",
    columns,
    rows,
  };
}
