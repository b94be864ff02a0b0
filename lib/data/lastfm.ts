/**
 * Loader for `lastfm-2k-multimodal` (HetRec Last.fm-2K with audio/text embeddings, from
 * Spillo et al. 2025): interactions from `lfm2k.inter` (every row whatever its `x_label`:
 * that warm split is ignored, the toolkit re-splits by item), tag attributes from
 * `lfm2k_text.tsv` joined through `item_map.tsv` (artistID → itemID), and dense modalities
 * from `.npy` files whose row i is itemID i.
 *
 * @module
 */
import { DatasetBuilder, type LoadedDataset } from "./builder.ts";
import type { Dataset } from "./dataset.ts";
import { parseCount } from "./delimited.ts";
import { DataError } from "./errors.ts";
import { joinPath } from "./files.ts";
import { readInteractions } from "./generic.ts";
import { forEachLine } from "./lines.ts";
import { readNpy } from "./npy.ts";

/** The `.npy` files of the set, by modality name. */
export const LASTFM_MODALITY_FILES: Readonly<Record<string, string>> = {
  vggish: "vggish.npy",
  whisper: "whisper.npy",
  minilm: "all-MiniLM-L6-v2.npy",
};

/** Options of {@linkcode loadLastfm}. */
export interface LastfmOptions {
  /** Keep tags carried by at least this many items (default 10). */
  minTagFreq?: number;
  /**
   * Modalities to load (default `["vggish", "whisper"]`). `minilm` embeds each artist's full
   * tag list; `configs/datasets/lastfm-2k-multimodal.yaml` loads all three, since the attribute
   * view keeps only the tags of at least `minTagFreq` items and MiniLM adds much for cold items
   * (CLCRec's test Recall@20 0.28 → 0.49, docs/clcrec_parity.md).
   */
  modalities?: string[];
}

/** Loads the Last.fm set with its report. */
export async function loadLastfmWithReport(
  dir: string,
  opts: LastfmOptions = {},
): Promise<LoadedDataset> {
  const names = opts.modalities ?? ["vggish", "whisper"];
  for (const m of names) {
    if (!(m in LASTFM_MODALITY_FILES)) {
      throw new DataError(
        { file: dir, field: "modalities" },
        `unknown modality "${m}" (choose from ${Object.keys(LASTFM_MODALITY_FILES).join(", ")})`,
      );
    }
  }
  const b = new DatasetBuilder({
    name: "lastfm-2k-multimodal",
    source: dir,
    minAttributeFreq: opts.minTagFreq ?? 10,
  });
  // item_map.tsv: itemID, artistID, name (header). Items are declared in itemID order so that
  // row i of every .npy file is item i.
  const mapFile = joinPath(dir, "item_map.tsv");
  const byItem: { artist: string; line: number }[] = [];
  const artistToItem = new Map<string, string>();
  await forEachLine(mapFile, (text, line) => {
    if (line === 1 && text.startsWith("itemID")) return;
    const f = text.split("\t");
    if (f.length < 2) {
      throw new DataError({ file: mapFile, line }, "expected itemID, artistID, name");
    }
    const item = parseCount(f[0], { file: mapFile, line, field: "itemID" });
    const artist = f[1].trim();
    if (byItem[item] !== undefined) {
      throw new DataError({ file: mapFile, line, field: "itemID" }, `duplicate itemID ${item}`);
    }
    if (artistToItem.has(artist)) {
      throw new DataError(
        { file: mapFile, line, field: "artistID" },
        `duplicate artistID ${artist}`,
      );
    }
    byItem[item] = { artist, line };
    artistToItem.set(artist, String(item));
  });
  if (byItem.length === 0) throw new DataError({ file: mapFile }, "empty item map");
  for (let i = 0; i < byItem.length; i++) {
    if (byItem[i] === undefined) {
      throw new DataError({ file: mapFile, field: "itemID" }, `itemID ${i} missing`);
    }
  }
  b.declareItems(byItem.map((_, i) => String(i)), mapFile, byItem.map((r) => r.line));

  await readInteractions(b, {
    interactions: joinPath(dir, "lfm2k.inter"),
    delimiter: "\t",
    header: "auto",
    ratingColumn: 2,
  });

  const textFile = joinPath(dir, "lfm2k_text.tsv");
  let other = 0;
  await forEachLine(textFile, (text, line) => {
    if (line === 1 && text.startsWith("artistID")) return;
    const tab = text.indexOf("\t");
    if (tab < 0) throw new DataError({ file: textFile, line }, "expected artistID<TAB>text");
    const item = artistToItem.get(text.slice(0, tab).trim());
    if (item === undefined) {
      other++;
      return;
    }
    const tags = text.slice(tab + 1).split(",").map((t) => t.trim());
    b.addItemTokens(item, tags, { file: textFile, line, field: "artistID" });
  });
  if (other > 0) b.skip("text rows of artists outside the item set", other);

  for (const name of names) {
    const file = joinPath(dir, LASTFM_MODALITY_FILES[name]);
    const arr = await readNpy(file);
    if (arr.shape.length !== 2 || arr.shape[0] !== byItem.length) {
      throw new DataError(
        { file, field: "shape" },
        `expected (${byItem.length}, dim), got (${arr.shape.join(", ")})`,
      );
    }
    b.addModality(name, {
      file,
      dim: arr.shape[1],
      data: arr.data,
      ids: byItem.map((_, i) => String(i)),
    });
  }
  return b.build();
}

/**
 * Loads `lastfm-2k-multimodal` from its folder.
 *
 * @example Usage
 * ```ts
 * const ds = await loadLastfm("../shared/data/lastfm-2k-multimodal", { modalities: ["vggish"] });
 * ```
 */
export async function loadLastfm(dir: string, opts: LastfmOptions = {}): Promise<Dataset> {
  return (await loadLastfmWithReport(dir, opts)).dataset;
}
