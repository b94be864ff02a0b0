/**
 * The keys each loader kind reads, as zod schemas (`npm:zod`): an experiment's dataset entry or a
 * `configs/datasets/` file with a key its loader does not read (a typo such as `usrs`), a value
 * of the wrong type, or a count out of range is a one-line problem naming the key, with a
 * did-you-mean, before anything loads. Required keys are left to {@linkcode missingDatasetKey}
 * (its messages say which folder or file the loader needs), so they are optional here.
 *
 * @module
 */
import { z } from "zod";
import { DATASET_KINDS, type DatasetSpec } from "./registry.ts";
import { schemaProblem, shown, type SpecProblem } from "./zod_problem.ts";

const count = (min: number, max: number) => z.number().int().min(min).max(max);
const path = z.string().min(1);
const positive = z.number().positive();
const nonNegative = z.number().min(0);
/** Large enough for any real set, small enough that a typo of a few digits is caught. */
const MAX_ENTITIES = 10_000_000;
const MAX_DIM = 65_536;

const modalityFile = z.strictObject({
  name: z.string().min(1),
  path,
  itemMap: path.optional(),
});

/** A generic dataset's own train / validation / test files (interactions or item ids). */
const splitFiles = z.strictObject({ train: path, valid: path, test: path });

/** One schema per loader kind (every key optional but `kind`; see the module note). */
export const DATASET_SCHEMAS: Readonly<Record<DatasetSpec["kind"], z.ZodObject>> = {
  synthetic: z.strictObject({
    kind: z.literal("synthetic"),
    seed: z.number().int(),
    users: count(1, 1_000_000),
    items: count(2, 1_000_000),
    modalities: z.union([count(0, 64), z.array(z.string().min(1)).max(64)]),
    modalityDim: count(1, MAX_DIM),
    commonDim: count(1, 4096),
    uniqueDim: count(1, 4096),
    vocab: count(1, 1_000_000),
    tokensPerItem: z.tuple([count(0, 10_000), count(0, 10_000)]),
    noTokenRate: z.number().min(0).max(1),
    attributeTemperature: positive,
    featureNoise: nonNegative,
    interactionsPerUser: z.tuple([count(1, 1_000_000), count(1, 1_000_000)]),
    temperature: positive,
    popularity: nonNegative,
    viewTemperature: positive,
    uniqueScale: nonNegative,
    viewSalience: nonNegative,
    salienceShows: nonNegative,
    commonSpread: nonNegative,
  }).partial().required({ kind: true }),
  "lastfm-2k-multimodal": z.strictObject({
    kind: z.literal("lastfm-2k-multimodal"),
    path,
    minTagFreq: count(1, MAX_ENTITIES),
    modalities: z.array(z.string().min(1)),
  }).partial().required({ kind: true }),
  "amazon-s3rec": z.strictObject({
    kind: z.literal("amazon-s3rec"),
    path,
    subset: z.enum(["Sports_and_Outdoors", "Toys_and_Games"]),
    minAttributeFreq: count(1, MAX_ENTITIES),
  }).partial().required({ kind: true }),
  movielens: z.strictObject({
    kind: z.literal("movielens"),
    path,
    ratingThreshold: z.number(),
    tags: z.boolean(),
    minTagFreq: count(1, MAX_ENTITIES),
    name: z.string().min(1),
  }).partial().required({ kind: true }),
  "citeulike-a": z.strictObject({
    kind: z.literal("citeulike-a"),
    path,
    minTagFreq: count(1, MAX_ENTITIES),
    providedSplit: z.boolean(),
  }).partial().required({ kind: true }),
  amazon2014: z.strictObject({
    kind: z.literal("amazon2014"),
    reviews: path,
    meta: path,
    images: path,
    ratingThreshold: z.number(),
    minAttributeFreq: count(1, MAX_ENTITIES),
    imageDim: count(1, MAX_DIM),
    imageChunkSize: count(1, 2 ** 30),
    imageModality: z.string().min(1),
    name: z.string().min(1),
  }).partial().required({ kind: true }),
  generic: z.strictObject({
    kind: z.literal("generic"),
    name: z.string().min(1),
    interactions: path,
    delimiter: z.string().min(1),
    header: z.union([z.boolean(), z.literal("auto")]),
    userColumn: count(0, 10_000),
    itemColumn: count(0, 10_000),
    ratingColumn: z.union([count(0, 10_000), z.null()]),
    ratingThreshold: z.number(),
    attributes: path,
    attributeSeparator: z.string().min(1),
    attributeHeader: z.boolean(),
    minAttributeFreq: count(1, MAX_ENTITIES),
    modalities: z.array(modalityFile),
    strict: z.boolean(),
    split: splitFiles,
  }).partial().required({ kind: true }),
};

/** The keys a loader kind reads (empty for an unknown kind). */
export function datasetKeys(kind: string): string[] {
  const schema = DATASET_SCHEMAS[kind as DatasetSpec["kind"]];
  return schema ? Object.keys(schema.shape) : [];
}

export type { SpecProblem } from "./zod_problem.ts";

/**
 * The first problem of a dataset spec as written (kind known or not; required keys are not
 * checked here), or undefined. `suggest` finds a did-you-mean among the kind's keys.
 */
export function datasetSpecProblem(
  spec: Record<string, unknown>,
  suggest: (key: string, options: string[]) => string | undefined,
): SpecProblem | undefined {
  const kind = spec.kind;
  const schema = DATASET_SCHEMAS[kind as DatasetSpec["kind"]];
  if (!schema) {
    return {
      path: "kind",
      detail: `unknown loader kind ${shown(kind)}; kinds are ${DATASET_KINDS.join(", ")}`,
    };
  }
  return schemaProblem(schema, spec, suggest, { unknownKeyNote: `for the ${kind} loader` });
}
