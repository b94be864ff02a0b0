/**
 * `compare --a ROW --b ROW [--part test]`: two rows of a table compared query by query, from
 * their stored test metrics per query or their kept checkpoints — every metric's difference with
 * a bootstrap interval over the cold items (item2user) or users (user2item), beside the paired t
 * over the seeds both rows ran. A row is a
 * label as the tables print it (its reported seeds) or trial keys, comma-separated.
 *
 * @module
 */
import { markdownTable } from "markdown-table";
import {
  checkRows,
  compareRows,
  findRow,
  hasCheckpoint,
  hasTestQueries,
  type MetricComparison,
  rankRow,
} from "../lib/analysis/mod.ts";
import { Rng } from "../lib/rng/mod.ts";
import { DEFAULT_STORE } from "../lib/run/mod.ts";
import { ResultStore, shownStore, type TrialInfo } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

/** Options of `compare`. */
interface CompareOptions {
  a: string;
  b: string;
  store: string;
  storeB?: string;
  experiment?: string;
  experimentB?: string;
  dataset?: string;
  part: string;
  resamples: string;
  seed: string;
  format: string;
  cacheDir: string;
}

/** The `compare` command. */
export function compareCli(exit: Exit): Command {
  const cmd = command(
    "compare",
    "two rows compared query by query: each metric's difference with a bootstrap interval " +
      "over the cold items (users under user2item), beside the paired t over seeds",
    [
      'deno task compare --store results/s.sqlite --a "VMoSE" --b "M2VAE" --experiment table3_fair',
      "deno task compare --a fd83df05,3f0f2c28 --b 14e01b9a,1b261440 --part valid --format json",
    ],
  )
    .requiredOption(
      "--a <row>",
      "a row label as the tables print it (its chosen configuration's seeds), or trial keys (a,b,…)",
    )
    .requiredOption("--b <row>", "the row to compare it with (the difference is a − b)")
    .option("--store <file>", "result store", DEFAULT_STORE)
    .option("--store-b <file>", "result store of --b (default: --store)")
    .option("--experiment <name>", "the experiment whose row --a names (default: any holding it)")
    .option(
      "--experiment-b <name>",
      "the experiment of --b (default: --experiment, unless --store-b names another store)",
    )
    .option("--dataset <name>", "the dataset, where a row label is on several")
    .option("--part <part>", "test or valid", "test")
    .option("--resamples <n>", "bootstrap resamples", "10000")
    .option("--seed <n>", "the bootstrap's seed", "1")
    .option("--format <format>", "md or json", "md")
    .option("--cache-dir <dir>", "caches shared by trials, as when the trials ran", ".cache");
  return act(cmd, exit, (o: CompareOptions) => compareCommand(o));
}

/** A row's seeds, as "1–5" for a run of consecutive seeds, else listed. */
function seedsText(seeds: number[]): string {
  const s = [...seeds].sort((x, y) => x - y);
  const run = s.every((v, i) => i === 0 || v === s[i - 1] + 1);
  return s.length > 2 && run ? `${s[0]}–${s[s.length - 1]}` : s.join(", ");
}

/** The comparison as a markdown table: one row per metric; `unit` names the queries. */
export function compareTable(rows: MetricComparison[], unit = "items"): string {
  const f = (v: number) => v.toFixed(4);
  const sign = (v: number) => (v >= 0 ? "+" : "") + v.toFixed(4);
  const p = (v: number) => (v < 0.001 ? "< 0.001" : v.toFixed(3));
  return markdownTable(
    [
      [
        "metric",
        "a",
        "b",
        "a − b",
        `95 % interval (${unit})`,
        `p (${unit})`,
        "a ahead / behind",
        "t (seeds)",
        "p (seeds)",
      ],
      ...rows.map((r) => [
        r.metric,
        f(r.a),
        f(r.b),
        sign(r.queries.mean),
        `[${sign(r.queries.lo)}, ${sign(r.queries.hi)}]`,
        p(r.queries.p),
        `${r.ahead} / ${r.behind}`,
        r.seeds ? `${r.seeds.t.toFixed(2)} (${r.seeds.n - 1} d.f.)` : "",
        r.seeds ? p(r.seeds.p) : "",
      ]),
    ],
    { align: ["l", "r", "r", "r", "r", "r", "r", "r", "r"] },
  );
}

/** Resolves both rows, checks them, ranks them and prints the comparison; returns the exit code. */
export async function compareCommand(o: CompareOptions): Promise<number> {
  if (o.part !== "test" && o.part !== "valid") {
    throw new RangeError(`--part: expected test or valid, got "${o.part}"`);
  }
  if (o.format !== "md" && o.format !== "json") {
    throw new RangeError(`--format: expected md or json, got "${o.format}"`);
  }
  const resamples = Number(o.resamples), seed = Number(o.seed);
  if (!(Number.isInteger(resamples) && resamples >= 100)) {
    throw new RangeError(`--resamples: expected an integer ≥ 100, got "${o.resamples}"`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`--seed: expected an integer, got "${o.seed}"`);
  const storeA = await ResultStore.open(o.store, { mustExist: true });
  const storeB = o.storeB && o.storeB !== o.store
    ? await ResultStore.open(o.storeB, { mustExist: true }).catch(async (e) => {
      await storeA.close();
      throw e;
    })
    : storeA;
  try {
    const a = await findRow(storeA, o.a, { experiment: o.experiment, dataset: o.dataset });
    const b = await findRow(storeB, o.b, {
      // Another store holds other experiments: --experiment names one of the first store's.
      experiment: o.experimentB ?? (o.storeB && o.storeB !== o.store ? undefined : o.experiment),
      option: o.experimentB !== undefined ? "--experiment-b" : "--experiment",
      dataset: o.dataset,
    });
    checkRows(a, b);
    // A trial is read from its stored test metrics per query where it has them (test only);
    // the others are ranked again, which needs their checkpoints and TF.js.
    const part = o.part as "valid" | "test";
    let rerank = false;
    for (const [store, row] of [[storeA, a], [storeB, b]] as const) {
      for (const t of row) {
        if (part === "test" && hasTestQueries(store, t.spec.key)) continue;
        rerank = true;
        if (!hasCheckpoint(store, t.spec.key)) {
          throw new RangeError(
            `trial ${t.spec.key} (${t.spec.label}, seed ${t.spec.seed}) has neither its test ` +
              `metrics per query nor a checkpoint in ${shownStore(store.path)}`,
          );
        }
      }
    }
    if (rerank) await initTf(a[0].spec.settings.backend as BackendName);
    const ra = await rankRow(storeA, a, part, { cacheDir: o.cacheDir });
    const rb = await rankRow(storeB, b, part, { cacheDir: o.cacheDir });
    const rows = compareRows(ra, rb, new Rng(seed), { resamples });
    const describe = (row: TrialInfo[]) =>
      `${row[0].spec.label}, ${row.length} trial${row.length > 1 ? "s" : ""} ` +
      `(seed${row.length > 1 ? "s" : ""} ${seedsText(row.map((t) => t.spec.seed))})`;
    if (o.format === "json") {
      const info = (row: TrialInfo[]) => ({
        label: row[0].spec.label,
        trials: row.map((t) => ({ key: t.spec.key, seed: t.spec.seed })),
      });
      console.log(JSON.stringify({
        a: info(a),
        b: info(b),
        dataset: a[0].spec.dataset,
        part,
        protocol: a[0].protocol,
        queries: ra.queries.length,
        resamples,
        seed,
        metrics: rows,
      }));
    } else {
      const unit = a[0].protocol === "item2user" ? "cold items" : "users";
      console.log(
        `a: ${describe(a)}\nb: ${describe(b)}\n${a[0].spec.dataset}, ${part}, ${a[0].protocol}: ` +
          `${ra.queries.length} ${unit}, each the mean over its row's seeds; a − b with a 95 % ` +
          `bootstrap interval over the ${unit} (${resamples} resamples, seed ${seed}), and the ` +
          "paired t over the seeds both rows ran\n",
      );
      console.log(compareTable(rows, a[0].protocol === "item2user" ? "items" : "users"));
    }
    return 0;
  } finally {
    if (storeB !== storeA) await storeB.close();
    await storeA.close();
  }
}
