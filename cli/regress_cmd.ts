/**
 * `regress`: the metric-regression check CI runs. It runs `experiments/regression.yaml` (small
 * fixed-seed runs) into a fresh temporary store, compares every test metric with the committed
 * expectations (`experiments/regression.expected.json`, each with a tolerance), prints expected
 * vs got, and exits 1 when a metric is missing or outside its tolerance. `--update` rewrites
 * the expectations from this run, on purpose.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { markdownTable } from "markdown-table";
import { checkWritableDir, runExperiment, UsageError, writeAtomic } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { act, collect, type Command, command, type Exit, toolkitPath } from "./command.ts";

/** One expected metric. */
export interface Expectation {
  dataset: string;
  model: string;
  seed: number;
  metric: string;
  value: number;
  /** Absolute tolerance (default: the file's `tolerance`). */
  tol?: number;
}

/** The expectations file. */
export interface ExpectationFile {
  /** Default absolute tolerance. */
  tolerance: number;
  /** Which metrics `--update` records. */
  metrics: string[];
  results: Expectation[];
}

/** One compared metric. */
export interface Comparison extends Expectation {
  got: number | undefined;
  ok: boolean;
}

/** Compares stored results with expectations (pure; exported for tests). */
export function compareExpectations(
  exp: ExpectationFile,
  got: Map<string, number>,
): Comparison[] {
  return exp.results.map((e) => {
    const v = got.get(JSON.stringify([e.dataset, e.model, e.seed, e.metric]));
    const tol = e.tol ?? exp.tolerance;
    return {
      ...e,
      got: v,
      ok: v !== undefined && Number.isFinite(v) && Math.abs(v - e.value) <= tol,
    };
  });
}

function readExpectations(file: string): ExpectationFile {
  let raw: any;
  try {
    raw = JSON.parse(Deno.readTextFileSync(file));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new TypeError(`${file}: not found (run regress --update to create it)`);
    }
    throw new TypeError(`${file}: not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (
    !Number.isFinite(raw?.tolerance) || !Array.isArray(raw?.results) || !Array.isArray(raw?.metrics)
  ) {
    throw new TypeError(
      `${file}: expected {"tolerance": number, "metrics": [...], "results": [...]}`,
    );
  }
  raw.results.forEach((r: any, i: number) => {
    for (const k of ["dataset", "model", "metric"]) {
      if (typeof r[k] !== "string") {
        throw new TypeError(`${file}: results[${i}].${k}: expected a string`);
      }
    }
    if (!Number.isInteger(r.seed)) {
      throw new TypeError(`${file}: results[${i}].seed: expected an integer`);
    }
    if (!Number.isFinite(r.value)) {
      throw new TypeError(`${file}: results[${i}].value: expected a number`);
    }
  });
  return raw;
}

/**
 * Checks, before anything runs, that `--update` can write the expectations to `file`: `file` is
 * not a folder, and its folder exists (`--update` makes none) and can be written. Throws one
 * UsageError line naming `--expected` and the path otherwise.
 */
export async function checkExpectedTarget(file: string): Promise<void> {
  const stat = (p: string) => Deno.stat(p).catch(() => undefined);
  if ((await stat(file))?.isDirectory) {
    throw new UsageError(`--expected ${file}: a folder, not a file (--update writes a file)`);
  }
  const dir = dirname(resolve(file));
  const folder = await stat(dir);
  if (folder === undefined) {
    throw new UsageError(`--expected ${file}: its folder ${dir} does not exist`);
  }
  if (!folder.isDirectory) {
    throw new UsageError(`--expected ${file}: ${dir} is a file, not a folder`);
  }
  await checkWritableDir(dir, "--expected");
}

/** Options of `regress`. */
interface RegressOptions {
  experiment?: string;
  expected?: string;
  dataRoot?: string;
  set?: string[];
  update?: boolean;
  quiet?: boolean;
}

/** The `regress` command. */
export function regressCli(exit: Exit): Command {
  const cmd = command(
    "regress",
    "run the regression experiment into a temporary store and compare its test metrics with " +
      "the committed expectations (exit 1 when one is missing or out of tolerance)",
    ["deno task regress --data-root ../shared/data"],
  )
    .option(
      "--experiment <file>",
      "the experiment to run (default: the toolkit's experiments/regression.yaml)",
    )
    .option(
      "--expected <file>",
      "the expectations (default: the toolkit's experiments/regression.expected.json)",
    )
    .option("--data-root <dir>", "root of relative dataset paths, e.g. ../shared/data")
    .option("--set <key.path=value>", "override a key of the experiment (repeatable)", collect)
    .option("--update", "rewrite the expectations from this run, on purpose")
    .option("--quiet", "accepted for compatibility: the regression runs never show step progress");
  return act(cmd, exit, (o: RegressOptions) => regressCommand(o));
}

/** Runs the regression check; returns the exit code. */
export async function regressCommand(o: RegressOptions): Promise<number> {
  const values = {
    ...o,
    experiment: o.experiment ?? toolkitPath("experiments/regression.yaml"),
    expected: o.expected ?? toolkitPath("experiments/regression.expected.json"),
  };
  const expected = values.update ? undefined : readExpectations(values.expected);
  if (values.update) await checkExpectedTarget(values.expected);
  const dir = await Deno.makeTempDir({ prefix: "m2vae-regress-" });
  try {
    const store = join(dir, "store.sqlite");
    const { code, plan } = await runExperiment({
      file: values.experiment,
      store,
      out: join(dir, "reports"),
      quiet: true,
      dataRoot: values.dataRoot,
      overrides: values.set,
    });
    if (code !== 0) return code;
    const s = await ResultStore.open(store, { mustExist: true });
    const got = new Map<string, number>();
    try {
      const infos = await s.trials(plan.name);
      const test = await s.metrics(infos.map((t) => t.spec.key), "test");
      for (const t of infos) {
        for (const [m, v] of Object.entries(test.get(t.spec.key) ?? {})) {
          got.set(JSON.stringify([t.spec.dataset, t.spec.label, t.spec.seed, m]), v);
        }
      }
    } finally {
      await s.close();
    }
    if (values.update) {
      const old = await Deno.readTextFile(values.expected).then(JSON.parse, () => undefined);
      const metrics: string[] = old?.metrics ?? ["HR@5", "NDCG@5", "HR@10", "NDCG@10"];
      const results = [...got.entries()].map(([k, value]) => {
        const [dataset, model, seed, metric] = JSON.parse(k);
        return { dataset, model, seed, metric, value };
      }).filter((r) => metrics.includes(r.metric));
      const file: ExpectationFile = { tolerance: old?.tolerance ?? 0.01, metrics, results };
      await writeAtomic(values.expected, JSON.stringify(file, null, 2) + "\n");
      console.error(`regress: wrote ${results.length} expectations to ${values.expected}`);
      return 0;
    }
    const rows = compareExpectations(expected!, got);
    const fmt = (v: number | undefined) => (v === undefined ? "missing" : v.toFixed(4));
    console.log(markdownTable([
      ["dataset", "model", "seed", "metric", "expected", "got", "diff", "tol", "status"],
      ...rows.map((r) => [
        r.dataset,
        r.model,
        String(r.seed),
        r.metric,
        r.value.toFixed(4),
        fmt(r.got),
        r.got === undefined ? "–" : (r.got - r.value).toFixed(4),
        String(r.tol ?? expected!.tolerance),
        r.ok ? "ok" : "FAIL",
      ]),
    ]));
    const bad = rows.filter((r) => !r.ok).length;
    console.error(
      bad
        ? `regress: ${bad} of ${rows.length} metrics out of tolerance`
        : `regress: all ${rows.length} metrics within tolerance`,
    );
    return bad ? 1 : 0;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
