/**
 * One entry point for every dataset: a {@linkcode DatasetSpec} names a loader and its options,
 * {@linkcode loadDataset} runs it, {@linkcode registerLoader} adds a loader kind from outside
 * the toolkit, and {@linkcode realDatasetSpecs} lists the four real sets of the shared data
 * folder.
 *
 * @module
 */
import { type Amazon2014Options, loadAmazon2014WithReport } from "./amazon2014.ts";
import type { LoadedDataset } from "./builder.ts";
import { loadCiteulikeWithReport } from "./citeulike.ts";
import { type Dataset, validateDataset } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { joinPath } from "./files.ts";
import { type GenericOptions, loadGenericWithReport } from "./generic.ts";
import { loadLastfmWithReport } from "./lastfm.ts";
import { loadMovieLensWithReport } from "./movielens.ts";
import { loadS3RecWithReport, type S3RecSubset } from "./s3rec.ts";
import { generateSynthetic, type SyntheticOptions } from "./synthetic.ts";

/** Which loader and with which options. */
export type DatasetSpec =
  | ({ kind: "synthetic" } & SyntheticOptions)
  | { kind: "lastfm-2k-multimodal"; path: string; minTagFreq?: number; modalities?: string[] }
  | { kind: "amazon-s3rec"; path: string; subset?: S3RecSubset; minAttributeFreq?: number }
  | {
    kind: "movielens";
    path: string;
    ratingThreshold?: number;
    tags?: boolean;
    minTagFreq?: number;
  }
  | { kind: "citeulike-a"; path: string; minTagFreq?: number; providedSplit?: boolean }
  | ({ kind: "amazon2014" } & Amazon2014Options)
  | ({ kind: "generic" } & GenericOptions);

/** Every loader kind, in the order the docs list them. */
export const DATASET_KINDS: readonly DatasetSpec["kind"][] = [
  "synthetic",
  "lastfm-2k-multimodal",
  "amazon-s3rec",
  "movielens",
  "citeulike-a",
  "amazon2014",
  "generic",
];

/** The spec keys each loader cannot do without (all paths). */
export const REQUIRED_DATASET_KEYS: Record<DatasetSpec["kind"], readonly string[]> = {
  synthetic: [],
  "lastfm-2k-multimodal": ["path"],
  "amazon-s3rec": ["path"],
  movielens: ["path"],
  "citeulike-a": ["path"],
  amazon2014: ["reviews"],
  generic: ["interactions"],
};

/**
 * The first required key a spec lacks (a key missing, or not a string), with its kind; undefined
 * when the spec has them all or its kind is unknown.
 */
export function missingDatasetKey(spec: { kind: unknown } & Record<string, unknown>):
  | string
  | undefined {
  const need = REQUIRED_DATASET_KEYS[spec.kind as DatasetSpec["kind"]] ?? [];
  return need.find((k) => typeof spec[k] !== "string" || spec[k] === "");
}

/** Loads a dataset and the report of what was skipped or filled in. */
export async function loadDatasetWithReport(spec: DatasetSpec): Promise<LoadedDataset> {
  const missing = missingDatasetKey(spec as unknown as { kind: unknown } & Record<string, unknown>);
  if (missing) {
    throw new DataError(
      { file: `dataset kind "${spec.kind}"`, field: missing },
      `missing: the ${spec.kind} loader needs "${missing}" (a ${
        missing === "path" ? "folder" : "file"
      })`,
    );
  }
  switch (spec.kind) {
    case "synthetic": {
      const { kind: _, ...opts } = spec;
      const { dataset } = generateSynthetic(opts);
      return { dataset, report: { notes: [], skipped: {}, missingFeatureRows: {} } };
    }
    case "lastfm-2k-multimodal":
      return await loadLastfmWithReport(spec.path, spec);
    case "amazon-s3rec":
      return await loadS3RecWithReport(spec.path, spec);
    case "movielens":
      return await loadMovieLensWithReport(spec.path, spec);
    case "citeulike-a":
      return await loadCiteulikeWithReport(spec.path, spec);
    case "amazon2014":
      return await loadAmazon2014WithReport(spec);
    case "generic":
      return await loadGenericWithReport(spec);
    default: {
      const kind = (spec as { kind: unknown }).kind;
      const loader = typeof kind === "string" ? LOADERS.get(kind) : undefined;
      if (loader) return await runLoader(loader, spec);
      throw new TypeError(
        `Unknown dataset kind: ${JSON.stringify(kind)}; kinds are ` +
          [...DATASET_KINDS, ...LOADERS.keys()].join(", "),
      );
    }
  }
}

/**
 * A dataset loader from outside the toolkit: it gets its spec as written in the experiment or
 * dataset file (path keys such as `path` or `interactions` resolved against the data root) and
 * returns the dataset, or the dataset with its load report (e.g. `DatasetBuilder.build()`).
 */
export type DatasetLoader = (
  spec: { kind: string } & Record<string, unknown>,
) => Dataset | LoadedDataset | Promise<Dataset | LoadedDataset>;

const LOADERS = new Map<string, DatasetLoader>();

/**
 * Adds the loader kind `kind` (letters, digits, `_`, `-`, `.`), so that experiment and dataset
 * files can name it (`kind: my-format`). The same loader again does nothing; a built-in kind or
 * another loader under a registered kind is an error.
 */
export function registerLoader(kind: string, loader: DatasetLoader): void {
  if (typeof kind !== "string" || !/^[\w.-]+$/.test(kind)) {
    throw new TypeError(`registerLoader: kind ${JSON.stringify(kind)}: use letters, digits, _ - .`);
  }
  if (typeof loader !== "function") {
    throw new TypeError(`registerLoader: the loader of "${kind}" must be a function`);
  }
  if (LOADERS.get(kind) === loader) return;
  if ((DATASET_KINDS as readonly string[]).includes(kind) || LOADERS.has(kind)) {
    throw new RangeError(`registerLoader: a loader of kind "${kind}" is already registered`);
  }
  LOADERS.set(kind, loader);
}

/** Whether `kind` is a loader kind registered with {@linkcode registerLoader}. */
export function isRegisteredLoader(kind: unknown): boolean {
  return typeof kind === "string" && LOADERS.has(kind);
}

async function runLoader(loader: DatasetLoader, spec: unknown): Promise<LoadedDataset> {
  const out = await loader(spec as { kind: string } & Record<string, unknown>);
  if ("dataset" in out && "report" in out) return out;
  validateDataset(out);
  return { dataset: out, report: { notes: [], skipped: {}, missingFeatureRows: {} } };
}

/**
 * Loads a dataset from a spec. A missing file is a DataError naming the path.
 *
 * @example Usage
 * ```ts
 * const ds = await loadDataset({ kind: "movielens", path: "../shared/data/ml-latest-small" });
 * ```
 */
export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  return (await loadDatasetWithReport(spec)).dataset;
}

/**
 * Specs of the four real sets in the shared data layout (`<root>/lastfm-2k-multimodal`,
 * `<root>/amazon-s3rec`, `<root>/ml-latest-small`, `<root>/citeulike-a`) with default options.
 */
export function realDatasetSpecs(root: string): { name: string; spec: DatasetSpec }[] {
  return [
    {
      name: "lastfm-2k-multimodal",
      spec: { kind: "lastfm-2k-multimodal", path: joinPath(root, "lastfm-2k-multimodal") },
    },
    {
      name: "amazon-sports",
      spec: {
        kind: "amazon-s3rec",
        path: joinPath(root, "amazon-s3rec"),
        subset: "Sports_and_Outdoors",
      },
    },
    {
      name: "ml-latest-small",
      spec: { kind: "movielens", path: joinPath(root, "ml-latest-small") },
    },
    { name: "citeulike-a", spec: { kind: "citeulike-a", path: joinPath(root, "citeulike-a") } },
  ];
}
