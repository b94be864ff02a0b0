/**
 * One self-contained HTML page per experiment: every report table (Table 3, Table 4, grid and
 * diagnostics tables, with their captions: protocol, split, seeds, code version), then every
 * figure of `experimentFigures` inline as SVG with its caption.
 *
 * @module
 */
import { type HtmlFigure, renderHtmlPage } from "../report/html.ts";
import { LAYOUTS, storeReport } from "../report/from_store.ts";
import { TOOLKIT_VERSION } from "../run/version.ts";
import { type ResultStore, shownStore } from "../store/mod.ts";
import { experimentFigures, type FigureOptions, type FigureSet } from "./figures.ts";
import { renderSvg, renumberSvgIds } from "./vega.ts";

/** The page of one experiment, and the figure set it shows. */
export async function experimentHtml(
  store: ResultStore,
  experiment: string,
  opts: FigureOptions = {},
): Promise<{ html: string; figures: FigureSet }> {
  const report = await storeReport(store, experiment, LAYOUTS);
  const info = (await store.experiments()).find((e) => e.name === experiment);
  const figures = await experimentFigures(store, experiment, opts);
  const rendered: HtmlFigure[] = [];
  for (const [i, f] of figures.figures.entries()) {
    rendered.push({ ...f, svg: renumberSvgIds(await renderSvg(f.spec), `f${i + 1}-`) });
  }
  const intro = [
    info?.description ? info.description : "",
    `Experiment ${experiment}${info ? ` (${info.file})` : ""}, from the result store ` +
    `${shownStore(store.path)}: ${report.done} of ${report.planned} trials done` +
    (report.failed.length ? `, ${report.failed.length} failed` : "") +
    `. Toolkit ${TOOLKIT_VERSION}. Every table caption names its protocol, splits, seeds and ` +
    `code version; selection is on validation only.`,
  ].filter(Boolean);
  const html = renderHtmlPage({
    title: `m2vae report: ${experiment}`,
    intro,
    tables: report.tables.map((t) => t.table),
    figures: rendered,
    notes: [
      ...report.failed.map((f) => `failed: ${f.label}: ${f.error}`),
      ...figures.notes,
    ],
  });
  return { html, figures };
}
