/**
 * An experiment's figures, from the result store and the kept checkpoints:
 *
 * - training curves: the validation metric against step for every row at its selected
 *   configuration, mean over seeds with a ± std band; the loss terms of each row likewise;
 * - grid heatmaps of every search: the cells of the grid tables, the selected one marked;
 * - the models' diagnostics over training, where the store has them;
 * - Fig. 4: a seeded 2-D map (UMAP) of the common and unique latent views of cold test items,
 *   full M2VAE beside `w/o DCL` when both are rows;
 * - Fig. 5: modality gates and α of M2VAE for a few (user, item) pairs chosen reproducibly
 *   (the users whose gates vary most across items, each with its two most different items).
 *
 * Figures 4 and 5 rebuild models from their checkpoints (TF.js must be initialised); a row
 * whose trials have none is named in the notes and its figure left out.
 *
 * @module
 */
import { gridTables } from "../report/grid_table.ts";
import type { Selection } from "../report/select.ts";
import type { ResultStore, TrialInfo } from "../store/mod.ts";
import { evenlySpaced } from "../train/trainer.ts";
import { embedItems, latentViews, viewMap } from "./embed.ts";
import { explainable, type Gates } from "./explain.ts";
import {
  curvesSpec,
  type GateBar,
  gatesSpec,
  type HeatCell,
  heatmapSpec,
  panelsSpec,
  type SeriesPoint,
  viewMapSpec,
  type ViewPoint,
} from "./specs.ts";
import {
  chosenKeys,
  experimentSelection,
  hasCheckpoint,
  type LoadedTrial,
  loadTrial,
} from "./trials.ts";
import type { Figure } from "./vega.ts";

/** Options of {@linkcode experimentFigures}. */
export interface FigureOptions {
  /** Caches shared between trials (pretrained embeddings), as when the trials ran. */
  cacheDir?: string;
  /** Build Figs. 4 and 5 from checkpoints (default true). */
  models?: boolean;
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

/** What {@linkcode experimentFigures} made. */
export interface FigureSet {
  figures: Figure[];
  /** Figures left out and why. */
  notes: string[];
  /** The numbers of every Fig. 5. */
  gates: GatePair[];
  /** The numbers behind every Fig. 4 panel. */
  maps: {
    dataset: string;
    label: string;
    trial: string;
    agreementMap: number;
    agreementLatent: number;
    chance: number;
  }[];
}

/** Restores a trial's model (once per figure set). */
type Loader = (t: TrialInfo) => Promise<LoadedTrial>;

/** Diagnostics shown over training (the rest stay in the tables). */
const DIAGNOSTIC_KEYS = [
  /^gap\./,
  /^gates\.(sdUsers|sdItems|entropy|truthCorr)$/,
  /^alpha\.(mean|sdUsers)$/,
  /^dcl\.ratio$/,
  /^post\.[^.]+\.(active|snr)$/,
];

/** A file-name-safe form of a label. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function seedsText(keys: string[], trials: Map<string, TrialInfo>): string {
  const seeds = keys.map((k) => trials.get(k)!.spec.seed);
  return `seed${seeds.length > 1 ? "s" : ""} ${seeds.join(", ")}`;
}

/** Builds every figure of an experiment (see the module doc). */
export async function experimentFigures(
  store: ResultStore,
  experiment: string,
  opts: FigureOptions = {},
): Promise<FigureSet> {
  const { trials, selections, metric } = experimentSelection(store, experiment);
  const out: FigureSet = { figures: [], notes: [], gates: [], maps: [] };
  const protocols = uniq(selections.map((s) => s.protocol));
  for (const protocol of protocols) {
    const tag = protocols.length > 1 ? `_${slug(protocol)}` : "";
    const where = `Experiment ${experiment}, protocol ${protocol}`;
    const mine = selections.filter((s) => s.protocol === protocol);
    for (const dataset of uniq(mine.map((s) => s.dataset))) {
      const sel = mine.filter((s) => s.dataset === dataset);
      const d = `${slug(dataset)}${tag}`;
      curveFigures(store, sel, trials, metric, dataset, d, where, out);
      for (const s of sel) heatmapFigures(s, d, where, out);
      if (opts.models ?? true) {
        // Each model is restored once for both figures, and released after the dataset.
        const cache = new Map<string, Promise<LoadedTrial>>();
        const load: Loader = (t) => {
          if (!cache.has(t.spec.key)) cache.set(t.spec.key, loadTrial(store, t, opts.cacheDir));
          return cache.get(t.spec.key)!;
        };
        try {
          for (const [fig, make] of [["Fig. 4", mapFigure], ["Fig. 5", gateFigure]] as const) {
            // A model that cannot be restored (data moved, say) costs its figure, not the rest.
            await make(store, sel, trials, dataset, d, where, opts, out, load).catch((e) =>
              out.notes.push(`${fig} on ${dataset}: ${(e as Error).message.split("\n")[0]}`)
            );
          }
        } finally {
          for (const p of cache.values()) (await p.catch(() => undefined))?.model.dispose();
        }
      }
    }
  }
  return out;
}

function curveFigures(
  store: ResultStore,
  sel: Selection[],
  trials: Map<string, TrialInfo>,
  metric: string,
  dataset: string,
  d: string,
  where: string,
  out: FigureSet,
): void {
  const metricPoints: SeriesPoint[] = [];
  const diagPoints: (SeriesPoint & { row: string })[] = [];
  const seedNotes: string[] = [];
  for (const s of sel) {
    const keys = chosenKeys(s, trials);
    seedNotes.push(`${s.label}: ${seedsText(keys, trials)}`);
    const lossPoints: SeriesPoint[] = [];
    for (const k of keys) {
      const seed = trials.get(k)!.spec.seed;
      for (const p of store.curve(k)) {
        const m = p.metrics[metric];
        if (Number.isFinite(m)) {
          metricPoints.push({ series: s.label, seed, step: p.step, value: m });
        }
        for (const [term, v] of Object.entries(p.losses)) {
          if (Number.isFinite(v)) lossPoints.push({ series: term, seed, step: p.step, value: v });
        }
        for (const [key, v] of Object.entries(p.diagnostics)) {
          if (Number.isFinite(v) && DIAGNOSTIC_KEYS.some((r) => r.test(key))) {
            diagPoints.push({ series: key, row: s.label, seed, step: p.step, value: v });
          }
        }
      }
    }
    if (lossPoints.length > 0) {
      out.figures.push({
        name: `losses_${d}_${slug(s.label)}`,
        title: `Training loss terms: ${s.label} on ${dataset}`,
        caption: `Mean training loss terms between validations of ${s.label} on ${dataset} ` +
          `at its selected configuration${
            s.candidates.length > 1 ? ` (${s.candidates[s.chosen].pointLabel})` : ""
          }, ` +
          `against training step: mean over ${seedsText(keys, trials)} (line) ± one standard ` +
          `deviation (band); each term on its own scale ("loss" is the weighted total that is ` +
          `minimised; chance.* are reference levels, not trained). ${where}.`,
        spec: panelsSpec(`Loss terms — ${s.label}, ${dataset}`, lossPoints),
      });
    }
  }
  if (metricPoints.length > 0) {
    out.figures.push({
      name: `curves_${d}`,
      title: `Validation ${metric} over training on ${dataset}`,
      caption: `Validation ${metric} on the cold validation items of ${dataset} against ` +
        `training step, every row at its selected configuration: mean over seeds (line) ± one ` +
        `standard deviation (band). ${seedNotes.join("; ")}. The kept checkpoint of each seed ` +
        `is its best validation point. ${where}.`,
      spec: curvesSpec(`Validation ${metric} — ${dataset}`, metric, metricPoints),
    });
  }
  if (diagPoints.length > 0) {
    out.figures.push({
      name: `diagnostics_${d}`,
      title: `Diagnostics over training on ${dataset}`,
      caption: `The models' own measurements on cold validation items at every validation ` +
        `(${uniq(diagPoints.map((p) => p.row)).join(", ")} on ${dataset}), mean over seeds ± one ` +
        `standard deviation: gap.* = validation ${metric} of the main minus the alternative ` +
        `inference; gates.* the modality gates' spread over users and items and their entropy; ` +
        `alpha.* the view gate; dcl.ratio = L_disentangle over its chance level; post.<view>.active ` +
        `= dimensions with Cov(μ) > 0.01 and snr = rms(μ)/rms(σ). ${where}.`,
      spec: panelsSpec(`Diagnostics — ${dataset}`, diagPoints, "row"),
    });
  }
}

function heatmapFigures(s: Selection, d: string, where: string, out: FigureSet): void {
  const tables = gridTables(
    s,
    `${where}; cold validation items.`,
  );
  tables.forEach((t, j) => {
    const [rowAxis, colAxis] = t.corner.includes(" \\ ") ? t.corner.split(" \\ ") : [t.corner, ""];
    const cells: HeatCell[] = [];
    for (const r of t.rows) {
      if (r.kind !== "row") continue;
      r.cells.forEach((c, k) => {
        cells.push({
          row: r.label,
          col: t.columns[k].name,
          value: c.value?.mean,
          text: c.text,
          selected: c.selected ?? false,
        });
      });
    }
    out.figures.push({
      name: `grid_${d}_${slug(s.label)}${tables.length > 1 ? `_${j + 1}` : ""}`,
      title: t.title,
      caption: `${t.caption} Colour and numbers: mean validation ${s.metric} over seeds; the ` +
        `selected cell is outlined and marked ◀.`,
      spec: heatmapSpec(t.title, rowAxis, colAxis || "", s.metric, cells),
    });
  });
}

/** The M2VAE rows of a dataset for Figs. 4/5: the full model (else the first), and w/o DCL. */
function m2vaeRows(sel: Selection[]): { main?: Selection; noDcl?: Selection } {
  const rows = sel.filter((s) => s.model === "m2vae");
  const noDcl = rows.find((s) => s.variant === "w/o DCL");
  const main = rows.find((s) => s.variant === "full") ?? rows.find((s) => s !== noDcl);
  return { main, noDcl };
}

/** The lowest-seed trial of a row's chosen configuration that has a checkpoint. */
function trialWithCheckpoint(
  store: ResultStore,
  s: Selection,
  trials: Map<string, TrialInfo>,
  what: string,
  out: FigureSet,
): TrialInfo | undefined {
  const key = chosenKeys(s, trials).find((k) => hasCheckpoint(store, k));
  if (key === undefined) {
    out.notes.push(
      `${what}: no checkpoint for ${s.label} on ${s.dataset} (its trials ran before checkpoints ` +
        `were kept or with --no-checkpoints; rerun with --fresh)`,
    );
    return undefined;
  }
  return trials.get(key)!;
}

async function mapFigure(
  store: ResultStore,
  sel: Selection[],
  trials: Map<string, TrialInfo>,
  dataset: string,
  d: string,
  where: string,
  opts: FigureOptions,
  out: FigureSet,
  load: Loader,
): Promise<void> {
  const { main, noDcl } = m2vaeRows(sel);
  const points: ViewPoint[] = [];
  const parts: string[] = [];
  let method = "", items = 0, views: string[] = [];
  for (const s of [main, noDcl]) {
    if (!s) continue;
    const t = trialWithCheckpoint(store, s, trials, "Fig. 4", out);
    if (!t) continue;
    const loaded = await load(t);
    latentViews(loaded.model, `trial ${t.spec.key}`);
    const e = embedItems(loaded.model, loaded.dataset, loaded.split, loaded.split.testItems);
    const m = viewMap(e, { seed: opts.mapSeed ?? 0, maxItems: opts.mapItems ?? 300 });
    method = m.method;
    items = m.items;
    views = e.views;
    for (const p of m.points) points.push({ panel: s.label, ...p });
    out.maps.push({
      dataset,
      label: s.label,
      trial: t.spec.key,
      agreementMap: m.agreementMap,
      agreementLatent: m.agreementLatent,
      chance: m.chance,
    });
    parts.push(
      `${s.label} (trial ${t.spec.key}, seed ${t.spec.seed}): ${m.agreementMap.toFixed(2)} in ` +
        `the map, ${m.agreementLatent.toFixed(2)} in the latent space`,
    );
  }
  if (points.length === 0) return;
  out.figures.push({
    name: `fig4_${d}`,
    title: `Fig. 4: common and unique latent views of cold items — ${dataset}`,
    caption: `Fig. 4. ${method} of the latent means (no sampling) of the views ` +
      `${views.join(", ")} of ${items} cold test items of ${dataset} (evenly spaced); one point ` +
      `per item and view, each panel its own map. Share of a point's 10 nearest neighbours that ` +
      `show the same view (chance ${(1 / Math.max(1, views.length)).toFixed(2)}): ` +
      `${parts.join("; ")}. ${where}.`,
    spec: viewMapSpec(`Fig. 4 — ${dataset}: common vs unique views`, points),
  });
}

async function gateFigure(
  store: ResultStore,
  sel: Selection[],
  trials: Map<string, TrialInfo>,
  dataset: string,
  d: string,
  where: string,
  opts: FigureOptions,
  out: FigureSet,
  load: Loader,
): Promise<void> {
  const { main } = m2vaeRows(sel);
  if (!main) return;
  const t = trialWithCheckpoint(store, main, trials, "Fig. 5", out);
  if (!t) return;
  const loaded = await load(t);
  let ex;
  try {
    ex = explainable(loaded.model, `trial ${t.spec.key}`);
    ex.explain(loaded.split.trainUsers[0], loaded.split.testItems[0]);
  } catch (e) {
    out.notes.push(`Fig. 5: ${main.label} on ${dataset}: ${(e as Error).message}`);
    return;
  }
  const { dataset: ds, split } = loaded;
  const users = evenlySpaced(split.trainUsers, 64), items = evenlySpaced(split.testItems, 16);
  const g: Gates[][] = [...users].map((u) => [...items].map((i) => ex.explain(u, i)));
  const views = Object.keys(g[0][0].gates);
  const vec = (x: Gates) => [...views.map((v) => x.gates[v]), x.commonWeight];
  const spread = g.map((row) =>
    Math.max(...views.map((v) => {
      const xs = row.map((x) => x.gates[v]);
      return Math.max(...xs) - Math.min(...xs);
    }))
  );
  const nUsers = Math.min(opts.gateUsers ?? 3, users.length);
  const chosen = [...users.keys()].sort((a, b) => spread[b] - spread[a] || a - b).slice(0, nUsers);
  const hasAlpha = main.variant !== "w/o common" &&
    g.some((r) => r.some((x) => x.commonWeight > 0));
  const bars: GateBar[] = [];
  for (const ui of chosen) {
    let best = [0, Math.min(1, items.length - 1)], bestD = -1;
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const va = vec(g[ui][a]), vb = vec(g[ui][b]);
        const dist = va.reduce((s, x, k) => s + Math.abs(x - vb[k]), 0);
        if (dist > bestD) [best, bestD] = [[a, b], dist];
      }
    }
    for (const ii of uniq(best)) {
      const x = g[ui][ii];
      const user = ds.userIds[users[ui]], item = ds.itemIds[items[ii]];
      out.gates.push({ dataset, label: main.label, trial: t.spec.key, user, item, ...x });
      for (const v of views) {
        bars.push({ user: `user ${user}`, item, quantity: `gate ${v}`, value: x.gates[v] });
      }
      if (hasAlpha) {
        bars.push({
          user: `user ${user}`,
          item,
          quantity: "α (common view)",
          value: x.commonWeight,
        });
      }
    }
  }
  out.figures.push({
    name: `fig5_${d}`,
    title: `Fig. 5: modality gates and α per user — ${dataset}`,
    caption: `Fig. 5. ${main.label} (trial ${t.spec.key}, seed ${t.spec.seed}) on ${dataset}: ` +
      `the modality gates of the unique views (${views.join(", ")}; they sum to 1)` +
      (hasAlpha ? ` and the view gate α (the common view's weight)` : "") +
      ` for the ${nUsers} users whose gates vary most across ${items.length} cold test items ` +
      `(candidates: ${users.length} training users and those items, both evenly spaced), each ` +
      `with its two items of most different gates; from the posterior means, as cold ` +
      `inference computes them. Users and items carry the dataset's own ids. ${where}.`,
    spec: gatesSpec(`Fig. 5 — ${dataset}: gates per user and item`, bars),
  });
}
