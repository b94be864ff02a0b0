/**
 * `figures --experiment NAME [--store S] [--out DIR] [--png]`: an experiment's figures as SVG,
 * each with its Vega-Lite spec beside it (`<name>.vl.json`), and `captions.md` with every
 * caption: training curves and loss terms, grid heatmaps, diagnostics over training, Fig. 4
 * (2-D map of common vs unique views: `--map tsne|umap`, t-SNE by default as in the paper) and
 * Fig. 5 (gates per user and item).
 *
 * @module
 */
import { join } from "node:path";
import {
  experimentFigures,
  type FigureSet,
  parseMapMethod,
  writeFigures,
} from "../lib/analysis/mod.ts";
import { reportedExperiments } from "../lib/report/mod.ts";
import { checkWritableDir, DEFAULT_STORE, writeAtomic } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { initTf } from "../lib/tf/mod.ts";
import { act, collect, type Command, command, type Exit } from "./command.ts";

/** Options of `figures`. */
interface FiguresOptions {
  experiment?: string[];
  store: string;
  out?: string;
  png: boolean;
  models: boolean;
  map: string;
  mapSeed: string;
  mapItems: string;
  cacheDir: string;
}

/** The `figures` command. */
export function figuresCli(exit: Exit): Command {
  const cmd = command(
    "figures",
    "an experiment's figures as SVG with their Vega-Lite specs: training curves, loss terms, " +
      "grid heatmaps, diagnostics, Fig. 4 (view map) and Fig. 5 (gates)",
    [
      "deno task figures --experiment table4_ablation",
      "deno task figures --experiment demo --out figs/ --png",
      "deno task figures --experiment table4_ablation --map umap --map-seed 1",
    ],
  )
    .option("--experiment <name>", "an experiment (repeatable; default: all in the store)", collect)
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option(
      "--out <dir>",
      "output folder (default results/<experiment>/figures; with several experiments " +
        "<dir>/<experiment>)",
    )
    .option("--png", "also write PNG (rasterised SVG)", false)
    .option("--no-models", "skip Figs. 4 and 5 (they restore models from checkpoints)")
    .option("--map <method>", "method of Fig. 4's map: tsne (as in the paper) or umap", "tsne")
    .option("--map-seed <n>", "seed of Fig. 4's map", "0")
    .option("--map-items <n>", "cold test items in Fig. 4, evenly spaced", "300")
    .option("--cache-dir <dir>", "caches shared by trials, as when they ran", ".cache");
  return act(cmd, exit, (o: FiguresOptions) => figuresCommand(o));
}

/** `captions.md`: every figure's file, title and caption, then the notes. */
export function captionsMarkdown(experiment: string, set: FigureSet): string {
  const lines = [`# Figures of ${experiment}`, ""];
  for (const f of set.figures) {
    lines.push(
      `## ${f.title}`,
      "",
      `![${f.name}](${f.name}.svg) (spec: \`${f.name}.vl.json\`)`,
      "",
    );
    lines.push(f.caption, "");
  }
  if (set.notes.length) lines.push("## Notes", "", ...set.notes.map((n) => `- ${n}`), "");
  return lines.join("\n");
}

/** Writes the figures of each experiment; returns the exit code. */
export async function figuresCommand(o: FiguresOptions): Promise<number> {
  const mapSeed = Number(o.mapSeed), mapItems = Number(o.mapItems), map = parseMapMethod(o.map);
  if (!Number.isInteger(mapSeed) || mapSeed < 0) {
    throw new RangeError(`--map-seed: expected an integer ≥ 0, got "${o.mapSeed}"`);
  }
  if (!Number.isInteger(mapItems) || mapItems < 1) {
    throw new RangeError(`--map-items: expected an integer ≥ 1, got "${o.mapItems}"`);
  }
  const store = await ResultStore.open(o.store, { mustExist: true });
  try {
    // Every experiment is checked before a file is written for the first.
    const { names, skipped } = await reportedExperiments(store, o.experiment);
    for (const s of skipped) console.error(`note: ${s}: no finished trial yet, left out`);
    const dirOf = (name: string) =>
      o.out === undefined
        ? join("results", name, "figures")
        : names.length > 1
        ? join(o.out, name)
        : o.out;
    // Every target folder is checked before the first figure is written.
    for (const name of names) {
      await checkWritableDir(dirOf(name), o.out === undefined ? "figures" : "--out");
    }
    if (o.models) await initTf();
    for (const name of names) {
      const t0 = performance.now();
      const set = await experimentFigures(store, name, {
        models: o.models,
        map,
        mapSeed,
        mapItems,
        cacheDir: o.cacheDir,
      });
      const dir = dirOf(name);
      await writeFigures(dir, set.figures, { png: o.png });
      await writeAtomic(join(dir, "captions.md"), captionsMarkdown(name, set));
      for (const n of set.notes) console.error(`${name}: note: ${n}`);
      console.log(
        `${name}: ${set.figures.length} figures in ${dir}/ (${
          set.figures.map((f) => f.name).join(", ")
        }; captions.md) (${((performance.now() - t0) / 1000).toFixed(1)}s)`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
