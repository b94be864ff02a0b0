/**
 * The Vega-Lite specs of the toolkit's figures, data inline. Every builder takes plain rows
 * and returns a spec; rendering is `vega.ts`.
 *
 * @module
 */
import type { VlSpec } from "./vega.ts";

/** One value of a trial's curve: `series` is a row label, a loss term or a diagnostic key. */
export interface SeriesPoint {
  series: string;
  seed: number;
  step: number;
  value: number;
}

const band = (color?: string) => ({
  mark: { type: "errorband", extent: "stdev", opacity: 0.25 },
  encoding: {
    x: { field: "step", type: "quantitative", title: "training step" },
    y: { field: "value", type: "quantitative", title: null },
    ...(color ? { color: { field: color, type: "nominal", title: null } } : {}),
  },
});

const meanLine = (yTitle: string | null, color?: string) => ({
  mark: { type: "line", point: { size: 12 } },
  encoding: {
    x: { field: "step", type: "quantitative", title: "training step" },
    y: {
      aggregate: "mean",
      field: "value",
      type: "quantitative",
      title: yTitle,
      scale: { zero: false },
      axis: { format: "~g" },
    },
    ...(color ? { color: { field: color, type: "nominal", title: null } } : {}),
  },
});

/**
 * Validation metric against step, one line per row (`series`): the mean over seeds with a
 * band of ± one standard deviation.
 */
export function curvesSpec(title: string, metric: string, points: SeriesPoint[]): VlSpec {
  return {
    title,
    width: 460,
    height: 260,
    data: { values: points },
    layer: [band("series"), meanLine(`validation ${metric}`, "series")],
  };
}

/**
 * Small multiples, one panel per `series` (a loss term or a diagnostic), each with its own y
 * scale; lines are colored by `color` (rows) when given, mean over seeds with a ± std band.
 * With `dash`, points that carry a `dash` label share their panel as lines of their own,
 * solid for the first label and dashed for the next (legend: `dashTitle`); points with an
 * empty label stay plain lines.
 *
 * @example Two gaps in one panel, beside the other diagnostics
 * ```ts
 * panelsSpec("Diagnostics", [
 *   { series: "gap", dash: "shared", row: "M2VAE", seed: 1, step: 10, value: 0.02 },
 *   { series: "gap", dash: "noLatent", row: "M2VAE", seed: 1, step: 10, value: 0.01 },
 *   { series: "dcl.ratio", dash: "", row: "M2VAE", seed: 1, step: 10, value: 0.9 },
 * ], "row", "gap");
 * ```
 */
export function panelsSpec(
  title: string,
  points: (SeriesPoint & { row?: string; dash?: string })[],
  color?: "row",
  dashTitle?: string,
): VlSpec {
  const layers: Record<string, unknown>[] = [band(color), meanLine(null, color)];
  if (dashTitle !== undefined) {
    const labels = [...new Set(points.map((p) => p.dash ?? ""))].filter((d) => d !== "");
    const detail = { detail: { field: "dash", type: "nominal" } };
    const strokeDash = {
      strokeDash: {
        field: "dash",
        type: "nominal",
        title: dashTitle,
        scale: {
          domain: ["", ...labels],
          range: [[1, 0], ...labels.map((_, i) => (i === 0 ? [1, 0] : [5 - i, 2 + i]))],
        },
        legend: {
          values: labels,
          symbolType: "stroke",
          symbolSize: 300,
          encode: { symbols: { update: { stroke: { value: "#444" }, strokeWidth: { value: 2 } } } },
        },
      },
    };
    const [b, l] = layers as { encoding: Record<string, unknown> }[];
    layers[0] = { ...b, encoding: { ...b.encoding, ...detail } };
    layers[1] = { ...l, encoding: { ...l.encoding, ...strokeDash } };
  }
  return {
    title,
    data: { values: points },
    facet: { field: "series", type: "nominal", title: null, sort: null },
    columns: 4,
    spec: { width: 170, height: 110, layer: layers },
    resolve: { scale: { y: "independent" } },
  };
}

/** A cell of a heatmap. */
export interface HeatCell {
  row: string;
  col: string;
  /** Mean validation metric; absent for a combination that was not run. */
  value?: number;
  /** The cell's text as the grid table shows it (mean ± std). */
  text: string;
  selected: boolean;
}

/**
 * A grid heatmap: `rowAxis` values down, `colAxis` values across, colour = mean validation
 * metric, the number in each cell, the selected cell outlined and marked ◀.
 */
export function heatmapSpec(
  title: string,
  rowAxis: string,
  colAxis: string,
  metric: string,
  cells: HeatCell[],
): VlSpec {
  const vs = cells.map((c) => c.value).filter((v): v is number => v !== undefined);
  const mid = vs.length ? (Math.min(...vs) + Math.max(...vs)) / 2 : 0;
  const values = cells.map((c) => ({
    ...c,
    label: c.value === undefined ? "–" : `${c.value.toFixed(4)}${c.selected ? " ◀" : ""}`,
  }));
  const rows = [...new Set(cells.map((c) => c.row))];
  const cols = [...new Set(cells.map((c) => c.col))];
  const x = { field: "col", type: "ordinal", title: colAxis, sort: cols, axis: { labelAngle: 0 } };
  const y = { field: "row", type: "ordinal", title: rowAxis, sort: rows };
  return {
    title,
    data: { values },
    width: Math.max(120, 90 * cols.length),
    height: Math.max(60, 36 * rows.length),
    layer: [
      {
        mark: "rect",
        encoding: {
          x,
          y,
          color: {
            field: "value",
            type: "quantitative",
            title: `valid ${metric}`,
            scale: { scheme: "blues" },
          },
          tooltip: [{ field: "text", title: `valid ${metric}` }],
        },
      },
      {
        transform: [{ filter: "datum.selected" }],
        mark: { type: "rect", fill: null, stroke: "#d62728", strokeWidth: 3 },
        encoding: { x, y },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          x,
          y,
          text: { field: "label" },
          color: {
            condition: { test: `datum.value > ${mid}`, value: "white" },
            value: "black",
          },
        },
      },
    ],
  };
}

/** A point of a view map, in a panel (one per row, each its own map). */
export interface ViewPoint {
  panel: string;
  view: string;
  item: string;
  x: number;
  y: number;
}

/** Fig. 4: the 2-D maps of common vs unique views, one panel per row, coloured by view. */
export function viewMapSpec(title: string, points: ViewPoint[]): VlSpec {
  const axis = { labels: false, ticks: false, grid: false, title: null, domain: false };
  return {
    title,
    data: { values: points },
    facet: { field: "panel", type: "nominal", title: null, sort: null },
    spec: {
      width: 320,
      height: 320,
      mark: { type: "point", filled: true, size: 14, opacity: 0.6 },
      encoding: {
        x: { field: "x", type: "quantitative", axis, scale: { zero: false } },
        y: { field: "y", type: "quantitative", axis, scale: { zero: false } },
        color: { field: "view", type: "nominal", title: "view" },
        shape: { field: "view", type: "nominal", title: "view" },
        tooltip: [{ field: "item" }, { field: "view" }],
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}

/** One bar of Fig. 5: a gate (`gate <view>`) or `α (common view)` of a (user, item) pair. */
export interface GateBar {
  user: string;
  item: string;
  quantity: string;
  value: number;
}

/** Fig. 5: per user (panel), per item, the modality gates and α as grouped bars with values. */
export function gatesSpec(title: string, bars: GateBar[]): VlSpec {
  const quantities = [...new Set(bars.map((b) => b.quantity))];
  const perUser = Math.max(
    1,
    ...[...new Set(bars.map((b) => b.user))].map((u) =>
      new Set(bars.filter((b) => b.user === u).map((b) => b.item)).size
    ),
  );
  const x = { field: "item", type: "nominal", title: "item", sort: null, axis: { labelAngle: 0 } };
  const xOffset = { field: "quantity", type: "nominal", sort: quantities };
  const y = {
    field: "value",
    type: "quantitative",
    title: "gate / α",
    scale: { domain: [0, 1] },
  };
  return {
    title,
    data: { values: bars },
    facet: { field: "user", type: "nominal", title: null, sort: null },
    spec: {
      width: 42 * perUser * quantities.length,
      height: 200,
      layer: [
        {
          mark: "bar",
          encoding: {
            x,
            xOffset,
            y,
            color: { field: "quantity", type: "nominal", title: null, sort: quantities },
            tooltip: [{ field: "user" }, { field: "item" }, { field: "quantity" }, {
              field: "value",
              format: ".3f",
            }],
          },
        },
        {
          mark: { type: "text", dy: -6, fontSize: 9 },
          encoding: { x, xOffset, y, text: { field: "value", format: ".2f" } },
        },
      ],
    },
    resolve: { scale: { x: "independent", xOffset: "independent" } },
  };
}
