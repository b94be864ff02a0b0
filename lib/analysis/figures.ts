/**
 * An experiment's figures, from the result store and the kept checkpoints:
 *
 * - training curves: the validation metric against step for every row at its selected
 *   configuration, mean over seeds with a ± std band; the loss terms of each row likewise;
 * - grid heatmaps of every search: the cells of the grid tables, the selected one marked;
 * - the models' diagnostics over training, where the store has them;
 * - Fig. 4: a seeded 2-D map (t-SNE as in the paper, or UMAP) of the common and unique latent
 *   views of cold test items, full M2VAE beside `w/o DCL` when both are rows;
 * - Fig. 5: modality gates and α of M2VAE for a few (user, item) pairs chosen reproducibly
 *   (the users whose gates vary most across items, each with its two most different items).
 *
 * Each figure has its module (`figure_curves.ts`, `figure_grids.ts`, `figure_map.ts`,
 * `figure_gates.ts`), and every builder takes the same {@linkcode FigureContext}. Figures 4 and
 * 5 rebuild models from their checkpoints (TF.js must be initialised); a row whose trials have
 * none is named in the notes and its figure left out.
 *
 * @example
 * ```ts
 * await initTf();
 * const set = await experimentFigures(store, "table4_ablation", { mapItems: 200 });
 * await writeFigures("results/table4_ablation/figures", set.figures);
 * ```
 *
 * @module
 */
import type { ResultStore } from "../store/mod.ts";
import {
  type FigureContext,
  type FigureOptions,
  type FigureSet,
  type Loader,
  slug,
  uniq,
} from "./figure_context.ts";
import { curveFigures } from "./figure_curves.ts";
import { gateFigure } from "./figure_gates.ts";
import { heatmapFigures } from "./figure_grids.ts";
import { mapFigure } from "./figure_map.ts";
import { experimentSelection, type LoadedTrial, loadTrial } from "./trials.ts";

export {
  type FigureContext,
  type FigureOptions,
  type FigureSet,
  type GatePair,
  type MapPanel,
  slug,
} from "./figure_context.ts";

/** Builds every figure of an experiment (see the module doc). */
export async function experimentFigures(
  store: ResultStore,
  experiment: string,
  opts: FigureOptions = {},
): Promise<FigureSet> {
  const { trials, selections, metric } = await experimentSelection(store, experiment);
  const out: FigureSet = { figures: [], notes: [], gates: [], maps: [] };
  const protocols = uniq(selections.map((s) => s.protocol));
  for (const protocol of protocols) {
    const suffix = protocols.length > 1 ? `_${slug(protocol)}` : "";
    const where = `Experiment ${experiment}, protocol ${protocol}`;
    const mine = selections.filter((s) => s.protocol === protocol);
    for (const dataset of uniq(mine.map((s) => s.dataset))) {
      // Each model is restored once for both figures, and released after the dataset.
      const cache = new Map<string, Promise<LoadedTrial>>();
      const load: Loader = (t) => {
        if (!cache.has(t.spec.key)) cache.set(t.spec.key, loadTrial(store, t, opts.cacheDir));
        return cache.get(t.spec.key)!;
      };
      const ctx: FigureContext = {
        store,
        trials,
        metric,
        dataset,
        sel: mine.filter((s) => s.dataset === dataset),
        tag: `${slug(dataset)}${suffix}`,
        where,
        opts,
        out,
        load,
      };
      await curveFigures(ctx);
      for (const s of ctx.sel) heatmapFigures(ctx, s);
      if (opts.models ?? true) {
        try {
          for (const [fig, make] of [["Fig. 4", mapFigure], ["Fig. 5", gateFigure]] as const) {
            // A model that cannot be restored (data moved, say) costs its figure, not the rest.
            await make(ctx).catch((e) =>
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
