/**
 * Looking at results after a run, from the result store and the kept checkpoints: M2VAE's
 * gates for (user, item) pairs (`explain`), the latent means of its views and their 2-D map
 * (`embed`), the figures of an experiment (training curves, grid heatmaps, diagnostics, the
 * paper's Figs. 4 and 5) as Vega-Lite specs rendered to SVG, and one self-contained HTML page
 * per experiment.
 *
 * @example Usage
 * ```ts
 * await initTf();
 * const store = await ResultStore.open("results/store.sqlite", { mustExist: true });
 * const set = await experimentFigures(store, "table4_ablation");
 * await writeFigures("results/table4_ablation/figures", set.figures);
 * ```
 *
 * @module
 */
export {
  chosenKeys,
  type ExperimentSelection,
  experimentSelection,
  findRow,
  findTrial,
  hasCheckpoint,
  hasTestQueries,
  type LoadedTrial,
  loadTrial,
  type TrialRef,
  withLoadedTrial,
} from "./trials.ts";
export {
  type Explainable,
  explainable,
  explainPairs,
  type ExplainRow,
  type Gates,
  itemPart,
  resolveId,
} from "./explain.ts";
export {
  chooseItems,
  type Embedding,
  embedItems,
  type HasLatentViews,
  type ItemChoice,
  latentViews,
  type MapPoint,
  type ViewMap,
  viewMap,
  writeEmbedding,
} from "./embed.ts";
export {
  map2d,
  MAP_METHODS,
  mapMethod,
  type MapMethodName,
  type MapOptions,
  neighbourAgreement,
  parseMapMethod,
  tsne2d,
  umap2d,
} from "./map2d.ts";
export {
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
export {
  experimentFigures,
  type FigureContext,
  type FigureOptions,
  type FigureSet,
  type GatePair,
  type MapPanel,
  slug,
} from "./figures.ts";
export { experimentHtml } from "./html_report.ts";
export {
  type Figure,
  renderSvg,
  renumberSvgIds,
  svgToPng,
  VEGA_LITE_SCHEMA,
  type VlSpec,
  withDefaults,
  writeFigures,
} from "./vega.ts";
export {
  type ProbeActivity,
  probeActivity,
  type ProbeRow,
  probeSpread,
  probeTrial,
} from "./probe.ts";
export { backfillQueries, type BackfillSummary } from "./backfill.ts";
export {
  checkRows,
  compareRows,
  type MetricComparison,
  rankRow,
  type RowRanking,
} from "./compare.ts";
export { degreeGroups, type HitSpread, hitSpread, type SpreadGroup } from "./spread.ts";
export {
  type ActivityOptions,
  type ActivityShare,
  activityShare,
  mostActiveUsers,
  type SharedRanking,
  sharedRanking,
} from "./activity.ts";
