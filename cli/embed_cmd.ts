/**
 * `embed --trial HASH [--views common,attributes,image] [--items cold|all] [--map tsne|umap]`:
 * the latent means of a finished M2VAE trial's views for its cold (or all) items, as `.npy` and
 * CSV, and the seeded 2-D map of those views that Fig. 4 shows (`map.csv`, `map.svg` with its
 * Vega-Lite spec; t-SNE by default, as in the paper, or UMAP).
 *
 * @module
 */
import { join } from "node:path";
import {
  chooseItems,
  embedItems,
  findTrial,
  loadTrial,
  parseMapMethod,
  viewMap,
  viewMapSpec,
  writeEmbedding,
  writeFigures,
} from "../lib/analysis/mod.ts";
import { DEFAULT_STORE } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

/** Options of `embed`. */
interface EmbedOptions {
  trial: string;
  views?: string;
  items: string;
  out?: string;
  /** The map's method, or false for `--no-map`. */
  map: string | false;
  mapItems: string;
  seed: string;
  store: string;
  cacheDir: string;
}

/** The `embed` command. */
export function embedCli(exit: Exit): Command {
  const cmd = command(
    "embed",
    "the latent means of a finished M2VAE trial's views for its cold items (.npy and CSV) and " +
      "their seeded 2-D map (Fig. 4)",
    [
      "deno task embed --trial 3d085a4b",
      "deno task embed --trial 3d085a4b --views common,attributes --items all --out emb/",
      "deno task embed --trial 3d085a4b --map umap --seed 1",
    ],
  )
    .requiredOption("--trial <hash>", "trial key, or an unambiguous prefix of it (4+ hex digits)")
    .option(
      "--views <list>",
      "comma-separated views (default: all: common, attributes, each modality)",
    )
    .option("--items <which>", "cold (validation and test items) or all", "cold")
    .option("--out <dir>", "output folder (default: <store folder>/artifacts/<trial>/embed)")
    .option(
      "--map <method>",
      "method of the 2-D map: tsne (as in the paper's Fig. 4) or umap",
      "tsne",
    )
    .option("--no-map", "skip the 2-D map")
    .option("--map-items <n>", "items in the map, evenly spaced", "300")
    .option("--seed <n>", "seed of the map", "0")
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option("--cache-dir <dir>", "caches shared by trials, as when the trial ran", ".cache");
  return act(cmd, exit, (o: EmbedOptions) => embedCommand(o));
}

function count(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`--${name}: expected an integer ≥ ${min}, got "${v}"`);
  }
  return n;
}

/** Writes the embedding (and map); returns the exit code. */
export async function embedCommand(o: EmbedOptions): Promise<number> {
  const mapItems = count("map-items", o.mapItems, 1), seed = count("seed", o.seed, 0);
  const method = o.map === false ? undefined : parseMapMethod(o.map);
  if (o.items !== "cold" && o.items !== "all") {
    throw new RangeError(`--items: expected cold or all, got "${o.items}"`);
  }
  const views = o.views?.split(",").map((s) => s.trim()).filter(Boolean);
  const store = await ResultStore.open(o.store, { mustExist: true });
  try {
    const info = await findTrial(store, o.trial);
    await initTf(info.spec.settings.backend as BackendName);
    const t = await loadTrial(store, info, o.cacheDir);
    try {
      const items = chooseItems(t.split, o.items);
      const e = embedItems(t.model, t.dataset, t.split, items, views);
      const map = method ? viewMap(e, { method, seed, maxItems: mapItems }) : undefined;
      const out = o.out ?? join(store.artifactDir(info.spec.key), "embed");
      const files = await writeEmbedding(out, e, map);
      if (map) {
        await writeFigures(out, [{
          name: "map",
          title: "",
          caption: "",
          spec: viewMapSpec(
            `${info.spec.label} on ${info.spec.dataset}, trial ${info.spec.key}: ${map.method}`,
            map.points.map((p) => ({ panel: info.spec.label, ...p })),
          ),
        }]);
        files.push("map.svg", "map.vl.json");
      }
      console.log(
        `${info.spec.label} on ${info.spec.dataset}, trial ${info.spec.key}: ${e.items.length} ` +
          `${o.items} items × views ${e.views.join(", ")} (dim ${e.dim}) → ${out}/`,
      );
      if (map) {
        console.log(
          `map: ${map.method}, ${map.items} items; share of 10 nearest neighbours of the same ` +
            `view ${map.agreementMap.toFixed(3)} in the map, ${map.agreementLatent.toFixed(3)} ` +
            `in the latent space (chance ${map.chance.toFixed(3)})`,
        );
      }
      console.log(`files: ${files.join(", ")}`);
      return 0;
    } finally {
      t.model.dispose();
    }
  } finally {
    await store.close();
  }
}
