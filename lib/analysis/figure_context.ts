/**
 * What every figure builder of an experiment's dataset shares: the store, the rows selected on
 * that dataset, the options, the set the figures go into and a loader that restores each model
 * once. {@linkcode experimentFigures} makes one {@linkcode FigureContext} per dataset and protocol
 * and hands it to each builder (`figure_curves.ts`, `figure_grids.ts`, `figure_map.ts`,
 * `figure_gates.ts`).
 *
 * @example A builder reads what it needs from the context
 * ```ts
 * function countRows(ctx: FigureContext): void {
 *   ctx.out.notes.push(`${ctx.sel.length} rows on ${ctx.dataset}`);
 * }
 * ```
 *
 * @module
 */
import type { Selection } from "../report/select.ts";
import type { ResultStore, TrialInfo } from "../store/mod.ts";
import type { Gates } from "./explain.ts";
import type { MapMethodName } from "./map2d.ts";
import { chosenKeys, hasCheckpoint, type LoadedTrial } from "./trials.ts";
import type { Figure } from "./vega.ts";

/** Options of {@linkcode experimentFigures}. */
export interface FigureOptions {
  /** Caches shared between trials (pretrained embeddings), as when the trials ran. */
  cacheDir?: string;
  /** Build Figs. 4 and 5 from checkpoints (default true). */
  models?: boolean;
  /** Method of Fig. 4's 2-D map (default `tsne`, as in the paper). */
  map?: MapMethodName;
  /** Seed of the 2-D map (default 0). */
  mapSeed?: number;
  /** Cold test items in the map, evenly spaced (default 300). */
  mapItems?: number;
  /** Users in Fig. 5 (default 3). */
  gateUsers?: number;
}

/** Fig. 5's numbers: one (user, item) pair's gates and α. */
export interface GatePair extends Gates {
  dataset: string;
  label: string;
  trial: string;
  user: string;
  item: string;
}

/** The numbers behind one Fig. 4 panel. */
export interface MapPanel {
  dataset: string;
  label: string;
  trial: string;
  /** Mean share of a point's 10 nearest neighbours of its own view, in the map. */
  agreementMap: number;
  /** The same in the latent space. */
  agreementLatent: number;
  /** That share when the views are mixed. */
  chance: number;
}

/** What {@linkcode experimentFigures} made. */
export interface FigureSet {
  figures: Figure[];
  /** Figures left out and why. */
  notes: string[];
  /** The numbers of every Fig. 5. */
  gates: GatePair[];
  /** The numbers behind every Fig. 4 panel. */
  maps: MapPanel[];
}

/** Restores a trial's model (once per figure set). */
export type Loader = (t: TrialInfo) => Promise<LoadedTrial>;

/** Everything a figure builder of one dataset (and protocol) reads, and where it writes. */
export interface FigureContext {
  store: ResultStore;
  /** Every trial of the experiment, by key. */
  trials: Map<string, TrialInfo>;
  /** The selection metric. */
  metric: string;
  /** The dataset's name, as captions print it. */
  dataset: string;
  /** The dataset's rows, each at its selected configuration. */
  sel: Selection[];
  /** The file-name tag of the dataset (and protocol, when there are several). */
  tag: string;
  /** The captions' closing sentence: experiment and protocol. */
  where: string;
  opts: FigureOptions;
  /** Where figures, notes and numbers go. */
  out: FigureSet;
  /** Restores a trial's model, once for all figures of the dataset. */
  load: Loader;
}

/** A file-name-safe form of a label. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";
}

/** The distinct elements, in first-seen order. */
export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** "seed 1" or "seeds 1, 2" for trial keys. */
export function seedsText(keys: string[], trials: Map<string, TrialInfo>): string {
  const seeds = keys.map((k) => trials.get(k)!.spec.seed);
  return `seed${seeds.length > 1 ? "s" : ""} ${seeds.join(", ")}`;
}

/** The M2VAE rows of a dataset for Figs. 4/5: the full model (else the first), and w/o DCL. */
export function m2vaeRows(sel: Selection[]): { main?: Selection; noDcl?: Selection } {
  const rows = sel.filter((s) => s.model === "m2vae");
  const noDcl = rows.find((s) => s.variant === "w/o DCL");
  const main = rows.find((s) => s.variant === "full") ?? rows.find((s) => s !== noDcl);
  return { main, noDcl };
}

/**
 * The lowest-seed trial of a row's chosen configuration that has a checkpoint; without one, a
 * note naming `what` (the figure) and the row.
 */
export function trialWithCheckpoint(
  ctx: FigureContext,
  s: Selection,
  what: string,
): TrialInfo | undefined {
  const key = chosenKeys(s, ctx.trials).find((k) => hasCheckpoint(ctx.store, k));
  if (key === undefined) {
    ctx.out.notes.push(
      `${what}: no checkpoint for ${s.label} on ${s.dataset} (its trials ran before checkpoints ` +
        `were kept or with --no-checkpoints; rerun with --fresh)`,
    );
    return undefined;
  }
  return ctx.trials.get(key)!;
}
