/**
 * Amazon 2014 (McAuley) loader: 5-core review JSON lines (`reviewerID`, `asin`, `overall`;
 * plain or `.gz`), optional metadata lines (JSON or Python dict literals: `asin`,
 * `categories` as a list of category paths, optional `brand`) and optional binary image
 * features streamed from disk.
 *
 * Attributes are every level of every category path (the category name as the token) plus
 * `brand:<brand>`, deduplicated per item, as in the S3-Rec preprocessing. Items without an
 * image record get a zero row and are counted in the report.
 *
 * @module
 */
import { readAmazonImageFeatures } from "./amazon_images.ts";
import { DatasetBuilder, type LoadedDataset } from "./builder.ts";
import type { Dataset } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { baseName } from "./files.ts";
import { forEachLine } from "./lines.ts";
import { parseJsonOrPy, type PyValue } from "./py_literal.ts";

/** Options of {@linkcode loadAmazon2014}. */
export interface Amazon2014Options {
  /** Review file (`reviews_<Category>_5.json[.gz]`). */
  reviews: string;
  /** Metadata file (`meta_<Category>.json[.gz]`). */
  meta?: string;
  /** Binary image features (`image_features_<Category>.b`). */
  images?: string;
  /** Keep reviews with `overall` >= this (default: keep all). */
  ratingThreshold?: number;
  /** Keep attribute tokens carried by at least this many items (default 1). */
  minAttributeFreq?: number;
  /** Image feature dimension (default 4096). */
  imageDim?: number;
  /** Bytes per read of the image file (default 16 MiB). */
  imageChunkSize?: number;
  /** Name of the image modality (default `image`). */
  imageModality?: string;
  /** Dataset name (default: derived from the review file name). */
  name?: string;
}

function parseLine(text: string, file: string, line: number): Record<string, PyValue> {
  let v: PyValue;
  try {
    v = parseJsonOrPy(text);
  } catch (e) {
    throw new DataError(
      { file, line },
      `neither JSON nor a Python literal (${(e as Error).message})`,
    );
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new DataError({ file, line }, "expected an object per line");
  }
  return v;
}

function requireString(
  o: Record<string, PyValue>,
  key: string,
  file: string,
  line: number,
): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") {
    throw new DataError({ file, line, field: key }, "missing or not a string");
  }
  return v;
}

/** Category-path levels and brand of one metadata record. */
export function metadataTokens(o: Record<string, PyValue>, file: string, line: number): string[] {
  const out: string[] = [];
  const cats = o.categories;
  if (cats !== undefined) {
    if (!Array.isArray(cats)) {
      throw new DataError({ file, line, field: "categories" }, "not a list");
    }
    for (const path of cats) {
      if (!Array.isArray(path)) {
        throw new DataError({ file, line, field: "categories" }, "not a list of category paths");
      }
      for (const c of path) if (typeof c === "string" && c.trim() !== "") out.push(c.trim());
    }
  }
  if (typeof o.brand === "string" && o.brand.trim() !== "") out.push(`brand:${o.brand.trim()}`);
  return out;
}

/** Loads Amazon 2014 files with the load report. */
export async function loadAmazon2014WithReport(opts: Amazon2014Options): Promise<LoadedDataset> {
  const name = opts.name ??
    baseName(opts.reviews).replace(/\.json(\.gz)?$/, "").replace(/^reviews_/, "amazon-");
  const b = new DatasetBuilder({
    name,
    source: opts.reviews,
    minAttributeFreq: opts.minAttributeFreq,
  });
  const rf = opts.reviews;
  let below = 0;
  await forEachLine(rf, (text, line) => {
    const o = parseLine(text, rf, line);
    const user = requireString(o, "reviewerID", rf, line);
    const item = requireString(o, "asin", rf, line);
    const r = o.overall;
    if (r !== undefined && (typeof r !== "number" || !Number.isFinite(r))) {
      throw new DataError(
        { file: rf, line, field: "overall" },
        `rating is not a number: ${JSON.stringify(r)}`,
      );
    }
    if (opts.ratingThreshold !== undefined) {
      if (r === undefined) {
        throw new DataError({ file: rf, line, field: "overall" }, "missing rating");
      }
      if (r < opts.ratingThreshold) {
        below++;
        return;
      }
    }
    b.addInteraction(user, item, { file: rf, line });
  });
  if (b.rowCount === 0) throw new DataError({ file: rf }, "no reviews (empty file?)");
  if (below > 0) b.skip(`reviews with overall < ${opts.ratingThreshold}`, below);

  if (opts.meta !== undefined) {
    const mf = opts.meta;
    let withMeta = 0;
    await forEachLine(mf, (text, line) => {
      const o = parseLine(text, mf, line);
      const asin = requireString(o, "asin", mf, line);
      if (b.addItemTokens(asin, metadataTokens(o, mf, line), { file: mf, line, field: "asin" })) {
        withMeta++;
      }
    });
    const lacking = b.numItems - withMeta;
    if (lacking > 0) b.note(`${lacking} items have no metadata line`);
  }

  if (opts.images !== undefined) {
    const img = await readAmazonImageFeatures(opts.images, (a) => b.itemIndex(a), b.numItems, {
      dim: opts.imageDim,
      chunkSize: opts.imageChunkSize,
    });
    b.attachModality(
      { name: opts.imageModality ?? "image", dim: img.dim, data: img.data },
      img.missing,
    );
    b.note(`image file: ${img.records} records`);
  }
  return b.build();
}

/**
 * Loads an Amazon 2014 category.
 *
 * @example Usage
 * ```ts
 * const ds = await loadAmazon2014({
 *   reviews: "reviews_Sports_and_Outdoors_5.json.gz",
 *   meta: "meta_Sports_and_Outdoors.json.gz",
 *   images: "image_features_Sports_and_Outdoors.b",
 * });
 * ```
 */
export async function loadAmazon2014(opts: Amazon2014Options): Promise<Dataset> {
  return (await loadAmazon2014WithReport(opts)).dataset;
}
