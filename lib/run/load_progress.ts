/**
 * Progress lines while an experiment's datasets load and their cold splits are built, before
 * any trial starts: a real set takes seconds to minutes to read. On a terminal a line says
 * which dataset is loading while it does, and becomes the line that says what came out:
 *
 * ```text
 * lastfm-2k-multimodal: loading (lastfm-2k-multimodal)...
 * lastfm-2k-multimodal: loaded 1,858 users × 1,425 items, 56,345 interactions in 3.2 s; split 70/15/15: 997/214/214 items in 0.4 s
 * ```
 *
 * In a log (stderr not a terminal) only the second line is written, and only when loading and
 * splitting took {@linkcode LOG_SECONDS} or more, as the engine's progress lines do: a command
 * that fails on a quick load still says one line, its error.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import { LOG_SECONDS, type ProgressSink, stderrSink } from "../train/progress.ts";
import type { RunSettings } from "../train/settings.ts";
import { trialDataset } from "./execute.ts";
import type { TrialSpec } from "./plan.ts";
import { splitFor } from "./split_for.ts";

/** A count with thousands separators: `56,345`. */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The ratios of a seeded item split in percent, `70/15/15`. */
function ratios(s: Pick<RunSettings, "splitTrain" | "splitValid" | "splitTest">): string {
  return [s.splitTrain, s.splitValid, s.splitTest].map((r) => `${Math.round(r * 100)}`).join("/");
}

/**
 * The line said once a dataset is loaded and split: its size and load time, the split's items
 * per part (warm-train / cold-validation / cold-test) and the time the split took.
 *
 * @example
 * ```ts
 * import { loadDataset } from "../data/mod.ts";
 * import { RUN_DEFAULTS } from "../config/train_defaults.ts";
 * import { splitFor } from "./split_for.ts";
 * import { loadedLine } from "./load_progress.ts";
 * const ds = await loadDataset({ kind: "synthetic", users: 60, items: 50, seed: 1 });
 * loadedLine("tiny", ds, 0.1, splitFor(ds, RUN_DEFAULTS), 0.01, RUN_DEFAULTS);
 * // "tiny: loaded 60 users × 50 items, … interactions in 0.1 s; split 70/15/15: …/…/… items in 0.0 s"
 * ```
 */
export function loadedLine(
  name: string,
  ds: Dataset,
  loadSeconds: number,
  split: ColdSplit,
  splitSeconds: number,
  s: Pick<RunSettings, "splitTrain" | "splitValid" | "splitTest">,
): string {
  const how = ds.providedSplit ? "provided split" : `split ${ratios(s)}`;
  const parts = [split.trainItems, split.validItems, split.testItems].map((p) => count(p.length));
  return `${name}: loaded ${count(ds.userIds.length)} users × ${count(ds.itemIds.length)} ` +
    `items, ${count(ds.interactions.users.length)} interactions in ${loadSeconds.toFixed(1)} s; ` +
    `${how}: ${parts.join("/")} items in ${splitSeconds.toFixed(1)} s`;
}

/**
 * Loads a trial's dataset (through the per-process cache of `execute.ts`) and builds its split,
 * saying so on `sink` as the module note describes ({@linkcode loadedLine}).
 *
 * @example
 * ```ts
 * import { loadWithProgress } from "./load_progress.ts";
 * declare const trial: import("./plan.ts").TrialSpec;
 * const lines: string[] = [];
 * const sink = { write: (t: string) => void lines.push(t), tty: true };
 * const { ds, split } = await loadWithProgress(trial, sink);
 * ```
 */
export async function loadWithProgress(
  t: TrialSpec,
  sink: ProgressSink = stderrSink,
): Promise<{ ds: Dataset; split: ColdSplit }> {
  const tty = sink.tty;
  if (tty) sink.write(`${t.dataset}: loading (${t.datasetSpec.kind})...\x1b[K`);
  const t0 = performance.now();
  let ds: Dataset, split: ColdSplit, t1: number;
  try {
    // Said here instead: the cache's own notice would repeat the load line.
    ({ ds } = await trialDataset(t, { write: () => {}, tty: false }));
    t1 = performance.now();
    split = splitFor(ds, t.settings);
  } catch (e) {
    if (tty) sink.write("\r\x1b[K"); // the error is the only line left
    throw e;
  }
  const t2 = performance.now();
  const line = loadedLine(t.dataset, ds, (t1 - t0) / 1000, split, (t2 - t1) / 1000, t.settings);
  if (tty) sink.write(`\r${line}\x1b[K\n`);
  else if ((t2 - t0) / 1000 >= LOG_SECONDS) sink.write(`${line}\n`);
  return { ds, split };
}
