/**
 * `realdata <root>`: the real-data check CI runs. It loads the four real sets under `<root>`
 * (lastfm-2k-multimodal, amazon-s3rec Sports, ml-latest-small, citeulike-a), splits them, trains
 * Random and CLCRec on each, prints the Table-3-style table and fails unless CLCRec beats Random
 * on every set (test HR@10 and NDCG@10 of the item2user protocol).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { experimentCommand } from "./experiment_cmd.ts";

/** Runs `experiments/realdata.yaml` against `<root>` and checks the outcome. */
export async function realDataCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { set: { type: "string", multiple: true }, out: { type: "string" } },
  });
  const root = positionals[0];
  if (!root) throw new TypeError("usage: realdata <data-root> [--set key.path=value]...");
  try {
    await Deno.stat(root);
  } catch {
    throw new TypeError(`realdata: data root "${root}" not found`);
  }
  const out = values.out ?? "results/realdata";
  const code = await experimentCommand([
    "experiments/realdata.yaml",
    "--data-root",
    root,
    "--out",
    out,
    ...(values.set ?? []).flatMap((s) => ["--set", s]),
  ]);
  if (code !== 0) return code;
  const lines = (await Deno.readTextFile(`${out}/trials.jsonl`)).trim().split("\n");
  const trials = lines.map((l) => JSON.parse(l));
  let failed = 0;
  for (const ds of new Set(trials.map((t) => t.dataset as string))) {
    const mean = (model: string, key: string) => {
      const xs = trials.filter((t) => t.dataset === ds && t.model === model).map((t) =>
        t.report.test[key] as number
      );
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    for (const key of ["HR@10", "NDCG@10"]) {
      const c = mean("clcrec", key), r = mean("random", key);
      const ok = c > r;
      if (!ok) failed++;
      console.error(
        `check ${ds} ${key}: CLCRec ${c.toFixed(4)} vs Random ${r.toFixed(4)} ${
          ok ? "ok" : "FAIL"
        }`,
      );
    }
  }
  console.error(failed ? `realdata: ${failed} check(s) failed` : "realdata: all checks passed");
  return failed ? 1 : 0;
}
