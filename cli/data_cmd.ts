/**
 * `data <kind> [--path P] [--opt key=value]...`: loads a dataset through the registry and prints
 * its statistics and the default cold split, so a user can check a data folder before training.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { type DatasetSpec, datasetStats, loadDataset } from "../lib/data/mod.ts";
import { RUN_DEFAULTS } from "../lib/config/mod.ts";
import { splitFor } from "../lib/run/mod.ts";

/** Prints statistics of one dataset. */
export async function dataCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { path: { type: "string" }, opt: { type: "string", multiple: true } },
  });
  const kind = positionals[0];
  if (!kind) {
    throw new TypeError(
      "usage: data <kind> [--path P] [--opt key=value]... (kinds: synthetic, lastfm-2k-multimodal, " +
        "amazon-s3rec, movielens, citeulike-a, amazon2014, generic)",
    );
  }
  const spec: Record<string, unknown> = { kind };
  if (values.path) spec.path = values.path;
  for (const o of values.opt ?? []) {
    const eq = o.indexOf("=");
    if (eq <= 0) throw new TypeError(`--opt: expected key=value, got "${o}"`);
    spec[o.slice(0, eq)] = parse(o.slice(eq + 1));
  }
  const t0 = performance.now();
  const ds = await loadDataset(spec as unknown as DatasetSpec);
  const secs = (performance.now() - t0) / 1000;
  const split = splitFor(ds, RUN_DEFAULTS);
  console.log(JSON.stringify(
    {
      name: ds.name,
      source: ds.source,
      ...datasetStats(ds),
      loadSeconds: Number(secs.toFixed(2)),
      split: {
        description: split.description,
        fingerprint: split.fingerprint,
        warmItems: split.trainItems.length,
        validItems: split.validItems.length,
        testItems: split.testItems.length,
        trainInteractions: split.train.users.length,
        trainUsers: split.trainUsers.length,
      },
    },
    null,
    2,
  ));
  return 0;
}
