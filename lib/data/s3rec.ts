/**
 * Loader for `amazon-s3rec` (Amazon 2014 5-core as released by S3-Rec): `<subset>.txt` holds
 * one user per line (`user item item …`), `<subset>_item2attributes.json` maps item id to a
 * list of anonymous attribute ids (repeats removed). There is no dense modality.
 *
 * @module
 */
import { DatasetBuilder, type LoadedDataset } from "./builder.ts";
import type { Dataset } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { joinPath, requireFile } from "./files.ts";
import { forEachLine } from "./lines.ts";

/** The two categories in the release. */
export type S3RecSubset = "Sports_and_Outdoors" | "Toys_and_Games";

/** Short dataset names of the subsets. */
export const S3REC_NAMES: Readonly<Record<S3RecSubset, string>> = {
  Sports_and_Outdoors: "amazon-sports",
  Toys_and_Games: "amazon-toys",
};

/** Options of {@linkcode loadS3Rec}. */
export interface S3RecOptions {
  /** Which category (default `Sports_and_Outdoors`). */
  subset?: S3RecSubset;
  /** Keep attributes carried by at least this many items (default 1). */
  minAttributeFreq?: number;
}

/** Loads an S3-Rec Amazon subset with its report. */
export async function loadS3RecWithReport(
  dir: string,
  opts: S3RecOptions = {},
): Promise<LoadedDataset> {
  const subset = opts.subset ?? "Sports_and_Outdoors";
  if (!(subset in S3REC_NAMES)) {
    throw new DataError({ file: dir, field: "subset" }, `unknown subset "${subset}"`);
  }
  const interFile = joinPath(dir, `${subset}.txt`);
  const b = new DatasetBuilder({
    name: S3REC_NAMES[subset],
    source: interFile,
    strict: true,
    minAttributeFreq: opts.minAttributeFreq,
  });
  await forEachLine(interFile, (text, line) => {
    const f = text.trim().split(/\s+/);
    if (f.length < 2) throw new DataError({ file: interFile, line }, "user without items");
    for (let k = 1; k < f.length; k++) b.addInteraction(f[0], f[k], { file: interFile, line });
  });
  if (b.rowCount === 0) throw new DataError({ file: interFile }, "no interactions (empty file?)");

  const attrFile = joinPath(dir, `${subset}_item2attributes.json`);
  await requireFile(attrFile);
  const text = await Deno.readTextFile(attrFile);
  if (text.trim() === "") throw new DataError({ file: attrFile }, "empty file");
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new DataError({ file: attrFile }, `invalid JSON (${(e as Error).message})`);
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new DataError({ file: attrFile }, "expected an object {item: [attribute ids]}");
  }
  let covered = 0;
  for (const [item, attrs] of Object.entries(obj as Record<string, unknown>)) {
    if (!Array.isArray(attrs)) {
      throw new DataError({ file: attrFile, field: item }, "attribute list is not an array");
    }
    b.addItemTokens(item, attrs.map(String), { file: attrFile, field: item });
    covered++;
  }
  if (covered < b.numItems) b.note(`${b.numItems - covered} items have no attribute entry`);
  return b.build();
}

/**
 * Loads an S3-Rec Amazon subset (default Sports_and_Outdoors).
 *
 * @example Usage
 * ```ts
 * const ds = await loadS3Rec("../shared/data/amazon-s3rec", { subset: "Toys_and_Games" });
 * ```
 */
export async function loadS3Rec(dir: string, opts: S3RecOptions = {}): Promise<Dataset> {
  return (await loadS3RecWithReport(dir, opts)).dataset;
}
