/**
 * `realdata <root>`: the real-data check CI runs. It loads the four real sets under `<root>`
 * (lastfm-2k-multimodal, amazon-s3rec Sports, ml-latest-small, citeulike-a), splits them, trains
 * Random and CLCRec on each, prints the Table-3-style table and fails unless CLCRec beats Random
 * on every set (test HR@10 and NDCG@10 of the item2user protocol).
 *
 * @module
 */
import { join } from "node:path";
import { runExperiment } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { act, collect, type Command, command, type Exit, toolkitPath } from "./command.ts";

/** Options of `realdata`. */
interface RealDataOptions {
  set?: string[];
  out?: string;
  store?: string;
}

/** The `realdata` command. */
export function realDataCli(exit: Exit): Command {
  const cmd = command(
    "realdata",
    "the real-data check: train Random and CLCRec on the four real sets under <data-root> and " +
      "fail unless CLCRec beats Random on every set",
    ["deno task realdata ../shared/data"],
  )
    .argument("<data-root>", "folder holding lastfm-2k-multimodal, amazon-s3rec, ml-latest-small…")
    .option("--set <key.path=value>", "override a key of the experiment (repeatable)", collect)
    .option("--out <dir>", "where the report files go", "results/realdata")
    .option("--store <file>", "result store (default: <out>/store.sqlite)");
  return act(cmd, exit, (root: string, o: RealDataOptions) => realDataCommand(root, o));
}

/** Runs `experiments/realdata.yaml` against `root` and checks the outcome. */
export async function realDataCommand(root: string, values: RealDataOptions): Promise<number> {
  try {
    await Deno.stat(root);
  } catch {
    throw new RangeError(`realdata: data root "${root}" not found`);
  }
  const experiment = toolkitPath("experiments/realdata.yaml");
  const out = values.out ?? "results/realdata";
  const store = values.store ?? join(out, "store.sqlite");
  const { code, plan } = await runExperiment({
    file: experiment,
    dataRoot: root,
    out,
    store,
    overrides: values.set,
  });
  if (code !== 0) return code;
  const db = await ResultStore.open(store, { mustExist: true });
  let failed = 0;
  try {
    const infos = (await db.trials(plan.name)).filter((t) => t.status === "done");
    const test = await db.metrics(infos.map((t) => t.spec.key), "test");
    const mean = (ds: string, model: string, key: string) => {
      const xs = infos.filter((t) => t.spec.dataset === ds && t.spec.model === model)
        .map((t) => test.get(t.spec.key)![key]);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    for (const ds of new Set(infos.map((t) => t.spec.dataset))) {
      for (const key of ["HR@10", "NDCG@10"]) {
        const c = mean(ds, "clcrec", key), r = mean(ds, "random", key);
        const ok = c > r;
        if (!ok) failed++;
        console.error(
          `check ${ds} ${key}: CLCRec ${c.toFixed(4)} vs Random ${r.toFixed(4)} ${
            ok ? "ok" : "FAIL"
          }`,
        );
      }
    }
  } finally {
    await db.close();
  }
  console.error(failed ? `realdata: ${failed} check(s) failed` : "realdata: all checks passed");
  return failed ? 1 : 0;
}
