/**
 * Dense item features from files: a `.npy` matrix whose rows are aligned through an item-id
 * map, or a CSV/TSV keyed by item id (`id, v1, v2, …` or `id, "[v1, v2, …]"`).
 *
 * @module
 */
import { detectDelimiter, parseCount, parseNumber, splitFields } from "./delimited.ts";
import { DataError } from "./errors.ts";
import { forEachLine } from "./lines.ts";
import { readNpy } from "./npy.ts";

/** Dense feature rows keyed by external item id, as read from a feature file. */
export interface FeatureRows {
  /** The file holding the values (named in value errors). */
  file: string;
  /** Values per row. */
  dim: number;
  /** rows × dim values, row-major. */
  data: Float32Array;
  /** External item id of each row. */
  ids: string[];
  /** File the ids came from (an item map); defaults to `file`. */
  idFile?: string;
  /** 1-based line of each id in `idFile`. */
  idLines?: number[];
  /** 1-based line of each row in `file` (CSV features). */
  dataLines?: number[];
}

/** Item ids in row order, with the line each came from. */
export interface ItemMap {
  /** Item id of row r. */
  ids: string[];
  /** 1-based line of each row's id. */
  lines: number[];
}

/** A one-column map's first line that names the column rather than an item (`item`, `item_id`). */
const ITEM_MAP_HEADER = /^(item|movie|artist|asin|product)?[ _-]?(id|ids)?$|^items?$/i;

/**
 * Reads an item-id map: lines `row_index<TAB>item_id` (any order; each row index 0..n-1 once;
 * a header line is skipped when its first field is not a number) or one `item_id` per line in
 * row order (a first line that is a column name — `item`, `item_id`, `id`, `asin` — is a header
 * and skipped). Duplicate item ids or row indices are DataErrors.
 */
export async function readItemMap(path: string): Promise<ItemMap> {
  const rows: { row: number; id: string; line: number }[] = [];
  let twoCol: boolean | undefined;
  await forEachLine(path, (text, line) => {
    const f = text.includes("\t") ? text.split("\t") : text.trim().split(/\s+/);
    if (twoCol === undefined) {
      twoCol = f.length >= 2;
      if (twoCol && !/^\d+$/.test(f[0].trim())) return; // header
      if (!twoCol && ITEM_MAP_HEADER.test(f[0].trim())) return; // header
    }
    if (twoCol) {
      if (f.length < 2) throw new DataError({ file: path, line }, "expected row_index and item_id");
      rows.push({
        row: parseCount(f[0], { file: path, line, field: "row_index" }),
        id: f[1].trim(),
        line,
      });
    } else {
      rows.push({ row: rows.length, id: f[0].trim(), line });
    }
  });
  if (rows.length === 0) throw new DataError({ file: path }, "empty item map");
  const ids: string[] = new Array(rows.length);
  const lines: number[] = new Array(rows.length);
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (r.row >= rows.length) {
      throw new DataError(
        { file: path, line: r.line, field: "row_index" },
        `row ${r.row} >= ${rows.length} rows`,
      );
    }
    if (ids[r.row] !== undefined) {
      throw new DataError(
        { file: path, line: r.line, field: "row_index" },
        `duplicate row index ${r.row}`,
      );
    }
    const prev = seen.get(r.id);
    if (prev !== undefined) {
      throw new DataError(
        { file: path, line: r.line, field: "item_id" },
        `duplicate item id "${r.id}" (first on line ${prev})`,
      );
    }
    seen.set(r.id, r.line);
    ids[r.row] = r.id;
    lines[r.row] = r.line;
  }
  return { ids, lines };
}

/**
 * Reads features keyed by item id from CSV/TSV: `id, v1, v2, …` or `id, "[v1, v2, …]"`.
 * A header line is skipped when its second field is not numeric. Every row must have the
 * dimension of the first; values must be finite numbers.
 */
export async function readCsvFeatures(path: string): Promise<FeatureRows> {
  const ids: string[] = [];
  const lines: number[] = [];
  const values: number[] = [];
  let dim = -1;
  let delim: string | undefined;
  await forEachLine(path, (text, line) => {
    delim ??= detectDelimiter(text);
    const f = splitFields(text, delim, { file: path, line });
    let vals = f.slice(1);
    if (vals.length === 1 && vals[0].trim().startsWith("[")) {
      vals = vals[0].trim().replace(/^\[|\]$/g, "").split(/[\s,]+/).filter((s) => s !== "");
    } else if (vals.length > 0 && vals[0].trim().startsWith("[")) {
      vals = vals.join(",").trim().replace(/^\[|\]$/g, "").split(/[\s,]+/).filter((s) => s !== "");
    }
    if (dim === -1 && ids.length === 0 && vals.length > 0 && !/^[-+.\d]/.test(vals[0].trim())) {
      return; // header
    }
    if (dim === -1) {
      if (vals.length === 0) throw new DataError({ file: path, line }, "row has no feature values");
      dim = vals.length;
    } else if (vals.length !== dim) {
      throw new DataError(
        { file: path, line },
        `wrong dimension: ${vals.length} values, expected ${dim}`,
      );
    }
    ids.push(f[0].trim());
    lines.push(line);
    for (let c = 0; c < dim; c++) {
      values.push(parseNumber(vals[c], { file: path, line, field: `column ${c + 2}` }));
    }
  });
  if (ids.length === 0) throw new DataError({ file: path }, "empty feature file");
  return {
    file: path,
    dim,
    data: Float32Array.from(values),
    ids,
    idLines: lines,
    dataLines: lines,
  };
}

/**
 * Reads a `.npy` feature matrix (rows × dim) whose row r belongs to `ids[r]`, checking that the
 * row count matches the item map.
 */
export async function readNpyFeatures(
  path: string,
  map: ItemMap,
  mapFile: string,
): Promise<FeatureRows> {
  const arr = await readNpy(path);
  if (arr.shape.length !== 2) {
    throw new DataError(
      { file: path, field: "shape" },
      `expected a 2-d array, got (${arr.shape.join(", ")})`,
    );
  }
  const [rows, dim] = arr.shape;
  if (rows !== map.ids.length) {
    throw new DataError(
      { file: path, field: "shape" },
      `${rows} rows but the item map ${mapFile} has ${map.ids.length} ids`,
    );
  }
  return { file: path, dim, data: arr.data, ids: map.ids, idFile: mapFile, idLines: map.lines };
}

/**
 * Reads dense features by extension: `.npy` (needs an item map file, or `ids` in row order)
 * or CSV/TSV keyed by item id.
 */
export async function readDenseFeatures(
  path: string,
  itemMap?: string | string[],
): Promise<FeatureRows> {
  if (path.endsWith(".npy")) {
    if (itemMap === undefined) {
      throw new DataError({ file: path, field: "itemMap" }, "a .npy modality needs an item map");
    }
    if (typeof itemMap === "string") {
      return readNpyFeatures(path, await readItemMap(itemMap), itemMap);
    }
    return readNpyFeatures(path, { ids: itemMap, lines: itemMap.map((_, r) => r + 1) }, "<ids>");
  }
  return readCsvFeatures(path);
}
