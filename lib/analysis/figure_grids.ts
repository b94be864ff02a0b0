/**
 * The grid heatmaps of a row's search (`grid_<dataset>_<row>`): the cells of its grid tables,
 * coloured by the mean validation metric, the selected cell outlined and marked ◀.
 *
 * @example
 * ```ts
 * for (const s of ctx.sel) heatmapFigures(ctx, s); // ctx: the dataset's FigureContext
 * ```
 *
 * @module
 */
import { gridTables } from "../report/grid_table.ts";
import type { Selection } from "../report/select.ts";
import { type FigureContext, slug } from "./figure_context.ts";
import { type HeatCell, heatmapSpec } from "./specs.ts";

/** Adds one heatmap per grid table of row `s` (none when the row had no search). */
export function heatmapFigures(ctx: FigureContext, s: Selection): void {
  const { tag: d, where, out } = ctx;
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
