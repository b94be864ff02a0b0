/**
 * Raising a finished trial's epoch cap continues it instead of starting over.
 *
 * A run that reached its cap without stopping may still have been improving (the table's `†`):
 * the remedy is a larger cap, and a larger cap makes a new trial (the key holds `epochs`). Two
 * trials that differ only by `epochs` share a {@linkcode lineageKey} and train identically epoch
 * by epoch, so the new one continues from the state the old one saved at its end — the same
 * numbers as training straight through (the property tuning rungs already rely on), for the
 * cost of the added epochs only. A run that stopped on patience would stop at the same epoch
 * under any larger cap: the new trial tests the same kept checkpoint and trains nothing.
 *
 * Files, beside the kept checkpoints (`--no-checkpoints` writes none of them):
 * - `<artifacts>/<key>/end_state.safetensors`: the run's state at its end — everything
 *   (parameters, kept parameters, Adam's moments, generators) when it reached its cap; the kept
 *   parameters alone when it stopped on patience, since nothing will train from it.
 * - `<artifacts>/lineage/<lineage key>/<key>.json`: `{ key, epochs, stopped, seconds }`, written
 *   once the trial is stored, so a continuation finds the longest finished run below its cap.
 *
 * The continued trial's recorded seconds include the run it continued (`seconds` above), so a
 * row's CPU time in a caption is what its result cost, whichever cap it was reached by.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { readTrainState, type TrainState, writeTrainState } from "../train/mod.ts";
import { lineageKey, type TrialSpec } from "./trial.ts";
import { writeAtomic } from "./write_results.ts";

/** The file a finished trial's end state is kept in, in its artifact folder. */
export function endStatePath(artifactDir: string): string {
  return join(artifactDir, "end_state.safetensors");
}

/** Seconds a finished run took, by part (as its stored outcome records them). */
export interface RunSeconds {
  setupSeconds: number;
  trainSeconds: number;
  evalSeconds: number;
}

/** One finished run a larger cap can continue. */
export interface LineageEntry {
  key: string;
  epochs: number;
  /** It stopped on patience: any larger cap gives the same result. */
  stopped: boolean;
  seconds: RunSeconds;
}

/** A continuation found for a trial: the run it continues and that run's end state. */
export interface CapContinuation {
  from: LineageEntry;
  state: TrainState;
}

function lineageDir(artifactsRoot: string, lineage: string): string {
  return join(artifactsRoot, "lineage", lineage);
}

/**
 * Where the lineage record of finished trial `t` is (see {@linkcode recordLineage}); undefined
 * for a trial no cap can continue.
 */
export function lineageRecordPath(artifactsRoot: string, t: TrialSpec): string | undefined {
  const lineage = lineageKey(t);
  return lineage === undefined
    ? undefined
    : join(lineageDir(artifactsRoot, lineage), `${t.key}.json`);
}

/**
 * The state to keep of a run that ended: all of it when it reached its cap, only what a
 * continuation reads (position, curve, kept parameters, generators) when it stopped.
 */
export function endStateToKeep(st: TrainState): TrainState {
  if (!st.stopped) return st;
  return {
    ...st,
    params: new Map(),
    optimizer: { step: st.optimizer.step, moments: new Map() },
  };
}

/**
 * Writes the end state of trial `t` into its artifact folder (no-op for a trial no cap can
 * continue: see {@linkcode lineageKey}); `true` when it wrote one.
 */
export async function saveEndState(
  artifactDir: string,
  t: TrialSpec,
  st: TrainState,
  shapes?: ReadonlyMap<string, number[]>,
): Promise<boolean> {
  if (lineageKey(t) === undefined) return false;
  await writeTrainState(endStatePath(artifactDir), endStateToKeep(st), shapes);
  return true;
}

/**
 * Records a stored trial whose end state was saved (`ended`: where that run ended), so that a
 * larger cap finds it. Call after the trial's outcome is in the store.
 */
export async function recordLineage(
  artifactsRoot: string,
  t: TrialSpec,
  ended: { epoch: number; stopped: boolean },
  seconds: RunSeconds,
): Promise<void> {
  const path = lineageRecordPath(artifactsRoot, t);
  if (path === undefined) return;
  const entry: LineageEntry = { key: t.key, epochs: ended.epoch, stopped: ended.stopped, seconds };
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeAtomic(path, JSON.stringify(entry));
}

/**
 * The finished run trial `t` can continue: of the recorded runs of its lineage with fewer
 * epochs than its cap, the one that trained longest — or any that stopped on patience before
 * `t`'s cap, which `t` would repeat exactly. `undefined` when there is none (or its state is
 * gone): `t` then trains from the start.
 *
 * @example
 * ```ts ignore
 * const c = await findCapContinuation(store.artifactsRoot(), store.artifactDir, trial);
 * if (c) console.error(`continues ${c.from.key} from epoch ${c.from.epochs}`);
 * ```
 */
export async function findCapContinuation(
  artifactsRoot: string,
  artifactDir: (key: string) => string,
  t: TrialSpec,
): Promise<CapContinuation | undefined> {
  const lineage = lineageKey(t);
  if (lineage === undefined) return undefined;
  const dir = lineageDir(artifactsRoot, lineage);
  const entries: LineageEntry[] = [];
  try {
    for await (const f of Deno.readDir(dir)) {
      if (!f.name.endsWith(".json") || f.name === `${t.key}.json`) continue;
      entries.push(JSON.parse(await Deno.readTextFile(join(dir, f.name))) as LineageEntry);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  // A stopped run answers every cap at or above the epoch it stopped at; one that reached its
  // cap, only larger caps.
  const cap = t.settings.epochs;
  const usable = entries.filter((e) => e.stopped ? e.epochs <= cap : e.epochs < cap)
    // A stopped run first (nothing left to train), then the longest, then by key (stable).
    .sort((a, b) =>
      Number(b.stopped) - Number(a.stopped) || b.epochs - a.epochs || a.key.localeCompare(b.key)
    );
  for (const from of usable) {
    const state = await readTrainState(endStatePath(artifactDir(from.key)));
    if (state) return { from, state };
  }
  return undefined;
}
