/**
 * `data <dataset> [--path P] [--opt key=value]...`: loads a dataset and prints its statistics
 * and the default cold split, so a user can check a data folder before training. `<dataset>` is
 * an entry of `configs/datasets/` (as an experiment names it, with the same settings, so
 * `data synthetic` is the demo's set and split) or a loader kind.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { parse } from "yaml";
import {
  ConfigError,
  configsFolder,
  datasetConfigNames,
  didYouMean,
  loadDatasetConfig,
  missingPaths,
  PATH_KEYS,
  type PlannedDataset,
} from "../lib/config/mod.ts";
import {
  DATASET_KINDS,
  datasetKeys,
  datasetStats,
  loadDataset,
  missingDatasetKey,
} from "../lib/data/mod.ts";
import { splitFor } from "../lib/run/mod.ts";
import { yamlProblem } from "../lib/config/yaml_file.ts";
import { act, collect, type Command, command, type Exit } from "./command.ts";
import { UsageError } from "./errors.ts";

/** Options of `data`. */
interface DataOptions {
  path?: string;
  opt?: string[];
  dataRoot?: string;
  configs?: string;
}

/** The `data` command. */
export function dataCli(exit: Exit): Command {
  const cmd = command(
    "data",
    "load a dataset (a configs/datasets/ entry or a loader kind) and print its statistics and " +
      "default cold split",
    [
      "deno task data lastfm-2k-multimodal --data-root ../shared/data",
      "deno task data movielens --path ../shared/data/ml-latest-small --opt tags=true",
    ],
  )
    .argument(
      "<dataset>",
      `a configs/datasets/ entry, or a loader kind (${DATASET_KINDS.join(", ")})`,
    )
    .option("--path <path>", "the dataset's folder (replaces the entry's path)")
    .option(
      "--opt <key=value>",
      "a loader option (repeatable), e.g. --opt users=500 or --opt interactions=ratings.csv",
      collect,
    )
    .option("--data-root <dir>", "root of a configs entry's relative paths, e.g. ../shared/data")
    .option("--configs <dir>", "configs folder to use instead of the toolkit's");
  return act(cmd, exit, (name: string, o: DataOptions) => dataCommand(name, o));
}

/** What `--path` or `--opt` gives for a loader's required key. */
function optionFor(key: string): string {
  return key === "path" ? "--path <folder>" : `--opt ${key}=<file>`;
}

/** Prints statistics of one dataset. */
export async function dataCommand(name: string, o: DataOptions): Promise<number> {
  const configs = await configsFolder(o.configs);
  const names = await datasetConfigNames(configs);
  const isKind = (DATASET_KINDS as readonly string[]).includes(name);
  if (!names.includes(name) && !isKind) {
    const hint = didYouMean(name, [...names, ...DATASET_KINDS]);
    throw new UsageError(
      `data: unknown dataset "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}; ` +
        `configs/datasets/ entries: ${names.join(", ") || "none"}; ` +
        `loader kinds: ${DATASET_KINDS.join(", ")}`,
    );
  }
  // Paths given here are relative to the working directory, not to --data-root.
  const cwdPath = (v: unknown) => typeof v === "string" && !isAbsolute(v) ? resolve(v) : v;
  const entry: Record<string, unknown> = names.includes(name) ? {} : { kind: name };
  // A loader kind that reads no folder (generic, amazon2014) is told so below, not here.
  const takesPath = !isKind || datasetKeys(name).includes("path");
  if (o.path !== undefined && takesPath) entry.path = cwdPath(o.path);
  const given = new Map<string, string>();
  for (const opt of o.opt ?? []) {
    const eq = opt.indexOf("=");
    if (eq <= 0) throw new UsageError(`--opt: expected key=value, got "${opt}"`);
    const key = opt.slice(0, eq);
    let value: unknown;
    try {
      value = parse(opt.slice(eq + 1));
    } catch (e) {
      throw new UsageError(`--opt ${opt}: ${yamlProblem(e) ?? (e as Error).message}`);
    }
    entry[key] = PATH_KEYS.includes(key) ? cwdPath(value) : value;
    given.set(key, `--opt ${opt}`);
  }
  if (o.path !== undefined) given.set("path", `--path ${o.path}`);
  let ds: PlannedDataset | undefined;
  try {
    ds = await loadDatasetConfig(name, { configsDir: configs, dataRoot: o.dataRoot, entry });
  } catch (e) {
    // A problem with a key given here names the option, not the configs file.
    const key = e instanceof ConfigError ? e.path.split(".")[1] : undefined;
    if (e instanceof ConfigError && key !== undefined && given.has(key)) {
      const detail = e.message.slice(`${e.file}: key "${e.path}": `.length);
      throw new UsageError(`${given.get(key)}: ${detail}`);
    }
    throw e;
  }
  if (!ds) throw new UsageError(`data: unknown dataset "${name}"`);
  const spec = ds.spec as unknown as { kind: string } & Record<string, unknown>;
  const missing = missingDatasetKey(spec);
  if (missing) {
    const ignored = o.path !== undefined && missing !== "path"
      ? ` (--path is not read by the ${spec.kind} loader)`
      : "";
    throw new UsageError(
      `data ${name}: missing ${optionFor(missing)}: the ${spec.kind} loader needs ` +
        `"${missing}"${ignored}`,
    );
  }
  if (o.path !== undefined && !takesPath) {
    throw new UsageError(
      `data ${name}: --path is not read by the ${spec.kind} loader (its files are --opt keys: ` +
        `${datasetKeys(spec.kind).filter((k) => PATH_KEYS.includes(k)).join(", ")})`,
    );
  }
  // A file or folder that is not there: named with the option that gave it, or the configs
  // entry's key and --data-root (relative paths there resolve against it).
  const [absent] = await missingPaths(spec);
  if (absent) {
    const [key, path] = absent;
    const from = given.get(key.split(".")[0]) ??
      (o.dataRoot === undefined ? "set --data-root?" : `--data-root ${o.dataRoot}`);
    throw new UsageError(`data ${name}: "${key}" not found: ${path} (${from})`);
  }
  const t0 = performance.now();
  const loaded = await loadDataset(ds.spec);
  const secs = (performance.now() - t0) / 1000;
  const split = splitFor(loaded, ds.settings);
  console.log(JSON.stringify(
    {
      name: loaded.name,
      source: loaded.source,
      ...datasetStats(loaded),
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
