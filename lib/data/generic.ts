/**
 * The generic loader: an interactions file (`user, item[, rating, timestamp]`, CSV/TSV/`::`/
 * whitespace, header optional), an optional attributes file (`item<TAB>tok1|tok2|…` or
 * `item tok1 tok2 …`) and any number of named dense modalities (`.npy` + item map, or CSV
 * keyed by item id), and optionally the train / validation / test files of a split to use
 * instead of the seeded one (`split:`, `generic_split.ts`).
 *
 * @module
 */
import { DatasetBuilder, type LoadedDataset } from "./builder.ts";
import type { Dataset } from "./dataset.ts";
import { type InteractionColumns, parseNumber } from "./delimited.ts";
import { DataError } from "./errors.ts";
import { readDenseFeatures } from "./features.ts";
import { baseName } from "./files.ts";
import { readProvidedSplit, type SplitFiles } from "./generic_split.ts";
import { forEachLine } from "./lines.ts";
import { forEachRow, HEADER_FIELD } from "./rows.ts";

/** A dense modality file. */
export interface ModalityFile {
  /** Modality name, e.g. `image`. */
  name: string;
  /** `.npy` (rows aligned through `itemMap`) or CSV/TSV keyed by item id. */
  path: string;
  /** For `.npy`: a file of `row_index<TAB>item_id` lines, or one `item_id` per line in row order. */
  itemMap?: string;
}

/** Options of {@linkcode loadGeneric}. */
export interface GenericOptions extends InteractionColumns {
  /** Dataset name (default: the interactions file name without extension). */
  name?: string;
  /** Interactions file. */
  interactions: string;
  /** Attributes file. */
  attributes?: string;
  /** Token separator in the attributes file (default: `|` if the line has one, else whitespace). */
  attributeSeparator?: string;
  /** The attributes file starts with a header line (default false). */
  attributeHeader?: boolean;
  /** Keep attribute tokens carried by at least this many items (default 1). */
  minAttributeFreq?: number;
  /** Dense modalities. */
  modalities?: ModalityFile[];
  /**
   * Strict alignment (default false): an unknown item id in the attribute or feature files is an
   * error, and so is an item of the interactions without a row in a feature file (lenient: the
   * row is skipped, the item gets zeros, both counted in the load report).
   */
  strict?: boolean;
  /**
   * Train / validation / test files to use instead of the seeded item split (interactions, or
   * item ids one per line; see `generic_split.ts`), e.g. the split another toolkit evaluated on.
   */
  split?: SplitFiles;
}

/** Reads interactions rows into a builder (shared with other loaders). */
export async function readInteractions(b: DatasetBuilder, opts: GenericOptions): Promise<void> {
  const file = opts.interactions;
  const uc = opts.userColumn ?? 0, ic = opts.itemColumn ?? 1;
  const rc = opts.ratingColumn === undefined ? 2 : opts.ratingColumn;
  let below = 0;
  const looksLikeHeader = (f: string[]) =>
    HEADER_FIELD.test(f[uc] ?? "") || HEADER_FIELD.test(f[ic] ?? "");
  await forEachRow(file, { ...opts, looksLikeHeader }, (f, line) => {
    if (f.length <= Math.max(uc, ic)) {
      throw new DataError(
        { file, line },
        `expected at least ${Math.max(uc, ic) + 1} fields, got ${f.length}`,
      );
    }
    if (rc !== null && f.length > rc) {
      const r = parseNumber(f[rc], { file, line, field: "rating" });
      if (opts.ratingThreshold !== undefined && r < opts.ratingThreshold) {
        below++;
        return;
      }
    } else if (opts.ratingThreshold !== undefined) {
      throw new DataError({ file, line, field: "rating" }, "missing rating column");
    }
    const user = f[uc].trim(), item = f[ic].trim();
    if (user === "" || item === "") throw new DataError({ file, line }, "empty user or item id");
    b.addInteraction(user, item, { file, line });
  });
  if (below > 0) b.skip(`rows with rating < ${opts.ratingThreshold}`, below);
  if (b.rowCount === 0) throw new DataError({ file }, "no interactions (empty file?)");
}

/** Reads an attributes file (`item<TAB>tok|tok` or `item tok tok`) into a builder. */
export async function readAttributeFile(
  b: DatasetBuilder,
  file: string,
  separator?: string,
  header = false,
): Promise<void> {
  let rows = 0;
  await forEachLine(file, (text, line) => {
    if (header && rows++ === 0) return;
    let item: string, rest: string;
    const tab = text.indexOf("\t");
    if (tab >= 0) {
      item = text.slice(0, tab);
      rest = text.slice(tab + 1);
    } else {
      const m = /^\s*(\S+)\s*(.*)$/.exec(text)!;
      item = m[1];
      rest = m[2];
    }
    const sep = separator ?? (rest.includes("|") ? "|" : undefined);
    const toks = sep === undefined ? rest.trim().split(/\s+/) : rest.split(sep);
    b.addItemTokens(item.trim(), toks.map((t) => t.trim()), { file, line, field: "item" });
    rows++;
  });
  if (rows === 0) throw new DataError({ file }, "empty attributes file");
}

/** Loads a generic dataset and its report. */
export async function loadGenericWithReport(opts: GenericOptions): Promise<LoadedDataset> {
  const b = new DatasetBuilder({
    name: opts.name ?? baseName(opts.interactions).replace(/\.[^.]*$/, ""),
    source: opts.interactions,
    strict: opts.strict,
    minAttributeFreq: opts.minAttributeFreq,
  });
  await readInteractions(b, opts);
  if (opts.attributes !== undefined) {
    await readAttributeFile(b, opts.attributes, opts.attributeSeparator, opts.attributeHeader);
  }
  for (const m of opts.modalities ?? []) {
    b.addModality(m.name, await readDenseFeatures(m.path, m.itemMap));
  }
  const loaded = b.build();
  if (opts.split) {
    loaded.dataset.providedSplit = await readProvidedSplit(
      loaded.dataset,
      opts.split,
      opts,
      loaded.report.notes,
    );
  }
  return loaded;
}

/**
 * Loads a generic dataset.
 *
 * @example Usage
 * ```ts
 * const ds = await loadGeneric({
 *   interactions: "data/inter.tsv",
 *   attributes: "data/item_tags.tsv",
 *   modalities: [{ name: "image", path: "data/image.npy", itemMap: "data/item_map.tsv" }],
 * });
 * ```
 */
export async function loadGeneric(opts: GenericOptions): Promise<Dataset> {
  return (await loadGenericWithReport(opts)).dataset;
}
