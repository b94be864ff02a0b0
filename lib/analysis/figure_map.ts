/**
 * The paper's Fig. 4 (`fig4_<dataset>`): a seeded 2-D map (t-SNE as in the paper, or UMAP:
 * {@linkcode FigureOptions.map}; the caption names the method, its settings and seed) of the
 * common and unique latent views of cold test items, full M2VAE beside `w/o DCL` when both are
 * rows, each its own map, with how often a point's nearest neighbours show the same view.
 *
 * @example
 * ```ts
 * await mapFigure(ctx); // ctx: the dataset's FigureContext, models restored through ctx.load
 * console.log(ctx.out.maps.map((m) => `${m.label}: ${m.agreementMap.toFixed(2)}`));
 * ```
 *
 * @module
 */
import { embedItems, latentViews, viewMap } from "./embed.ts";
import { type FigureContext, m2vaeRows, trialWithCheckpoint } from "./figure_context.ts";
import { viewMapSpec, type ViewPoint } from "./specs.ts";

/** Adds Fig. 4 of the context's dataset (nothing without an M2VAE row that has a checkpoint). */
export async function mapFigure(ctx: FigureContext): Promise<void> {
  const { dataset, tag: d, where, opts, out } = ctx;
  const { main, noDcl } = m2vaeRows(ctx.sel);
  const points: ViewPoint[] = [];
  const parts: string[] = [];
  let method = "", items = 0, views: string[] = [];
  for (const s of [main, noDcl]) {
    if (!s) continue;
    const t = trialWithCheckpoint(ctx, s, "Fig. 4");
    if (!t) continue;
    const loaded = await ctx.load(t);
    latentViews(loaded.model, `trial ${t.spec.key}`);
    const e = embedItems(loaded.model, loaded.dataset, loaded.split, loaded.split.testItems);
    const m = viewMap(e, {
      method: opts.map ?? "tsne",
      seed: opts.mapSeed ?? 0,
      maxItems: opts.mapItems ?? 300,
    });
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
