/**
 * Figures as Vega-Lite specs rendered headlessly: the spec (data inline) is compiled with
 * `vega-lite`, run through a `vega` View without a renderer, and serialised to SVG; PNG, when
 * asked, is the SVG rasterised by resvg. Every written SVG keeps its spec beside it
 * (`<name>.vl.json`), so a figure can be restyled in any Vega-Lite editor without rerunning.
 *
 * @module
 */
import { join } from "node:path";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { writeAtomic } from "../run/write_results.ts";

/** A Vega-Lite specification (with its data inline). */
export type VlSpec = Record<string, unknown>;

/** The schema every spec names. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** One figure: a file name (no extension), a title, a caption and its spec. */
export interface Figure {
  /** File name without extension, e.g. `curves_synthetic`. */
  name: string;
  title: string;
  /** What is shown, with the trials, seeds and method it rests on. */
  caption: string;
  spec: VlSpec;
}

/** Shared look: a sans-serif font that resvg and browsers both find, no chart border. */
const CONFIG = {
  font: "DejaVu Sans, Liberation Sans, Arial, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11 },
  legend: { labelLimit: 220 },
};

/** The spec with `$schema` and the shared config (spec values win). */
export function withDefaults(spec: VlSpec): VlSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...spec,
    config: { ...CONFIG, ...(spec.config as object | undefined ?? {}) },
  };
}

/**
 * Renames every `id` of an SVG (and the references to it) to `<prefix><n>` in order of
 * appearance. Vega numbers gradients and clip paths with a process-wide counter; renumbered,
 * the same spec gives the same SVG, and a prefix keeps several inline SVGs of one page apart.
 */
export function renumberSvgIds(svg: string, prefix = "v"): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `${prefix}${ids.size + 1}`);
  }
  const to = (id: string) => ids.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id) => `id="${to(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id) => `url(#${to(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id) => `href="#${to(id)}"`);
}

/** Renders a Vega-Lite spec to SVG text, headlessly; the same spec gives the same text. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = compile(withDefaults(spec) as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return renumberSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG text to PNG bytes at `scale` (resvg, system fonts). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return r.render().asPng();
}

/**
 * Writes `<dir>/<name>.svg` and `<dir>/<name>.vl.json` (and `.png` with `png`) for each figure,
 * atomically; returns the SVG text by figure name.
 */
export async function writeFigures(
  dir: string,
  figures: readonly Figure[],
  opts: { png?: boolean } = {},
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Deno.mkdir(dir, { recursive: true });
  for (const f of figures) {
    const svg = await renderSvg(f.spec);
    out.set(f.name, svg);
    await writeAtomic(
      join(dir, `${f.name}.vl.json`),
      JSON.stringify(withDefaults(f.spec), null, 2),
    );
    await writeAtomic(join(dir, `${f.name}.svg`), svg);
    if (opts.png) await writeBytesAtomic(join(dir, `${f.name}.png`), await svgToPng(svg));
  }
  return out;
}

async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, path);
}
