/**
 * `bench [--quick]`: prints the runtime figures (matMul, MLP step, gather, row-sparse step), the
 * training throughput of CLCRec on a 100,000-user × 20,000-item dataset and, where the data root
 * has lastfm-2k-multimodal, that of the slowest baselines and M2VAE's figures there, with targets.
 *
 * @module
 */
import { type BenchFigure, runtimeBenchmarks } from "../lib/bench/runtime.ts";
import { scaleDataset } from "../lib/bench/scale_dataset.ts";
import { trainingThroughput } from "../lib/bench/training.ts";
import { loadDataset } from "../lib/data/mod.ts";
import { m2vaeBenchmarks } from "../lib/models/m2vae/bench.ts";
import { resolveModel } from "../lib/models/registry.ts";
import { initTf } from "../lib/tf/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

function print(f: BenchFigure): void {
  const v = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
  const target = f.target ? `  (target ${f.target})` : "";
  const note = f.note ? `  [${f.note}]` : "";
  console.log(`${f.name.padEnd(58)} ${v.padStart(9)} ${f.unit}${target}${note}`);
}

/** Peak resident set size (Linux VmHWM), or the current one where /proc is unavailable. */
function peakRssGiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return Number(m[1]) / 2 ** 20;
  } catch { /* not Linux */ }
  return Deno.memoryUsage().rss / 2 ** 30;
}

/** Options of `bench`. */
interface BenchOptions {
  quick?: boolean;
  dataRoot: string;
  maxBlocks: string;
}

/** The `bench` command. */
export function benchCli(exit: Exit): Command {
  const cmd = command(
    "bench",
    "print runtime figures (matMul, MLP step, gather, row-sparse step) and training " +
      "throughput of CLCRec, of the slowest baselines and M2VAE on lastfm, with their targets",
    ["deno task bench --quick"],
  )
    .option("--quick", "small sizes and few steps (seconds instead of minutes)")
    .option(
      "--data-root <dir>",
      "where lastfm-2k-multimodal is, for M2VAE's real-data figures",
      "../shared/data",
    )
    .option("--max-blocks <n>", "cap on M2VAE's scoring blocks at ML-20M scale (0: none)", "0");
  return act(cmd, exit, (o: BenchOptions) => benchCommand(o));
}

/** Runs the benchmarks and prints one line per figure. */
export async function benchCommand(values: BenchOptions): Promise<number> {
  const maxBlocks = Number(values.maxBlocks);
  if (!Number.isInteger(maxBlocks) || maxBlocks < 0) {
    throw new RangeError(`--max-blocks: expected a whole number, got "${values.maxBlocks}"`);
  }
  await initTf("wasm");
  for (const f of await runtimeBenchmarks({ quick: values.quick })) print(f);
  const size = values.quick
    ? { users: 10_000, items: 2_000, interactionsPerUser: 10 }
    : { users: 100_000, items: 20_000, interactionsPerUser: 20 };
  const ds = scaleDataset(size);
  print(
    trainingThroughput(ds, resolveModel("clcrec"), {
      batchSize: 1024,
      steps: values.quick ? 5 : 30,
    }),
  );

  // M2VAE at batch 1024, d = 128, (c_p, c_n) = (10, 40): on lastfm-2k-multimodal when the data
  // root has it, and at ML-20M scale (138,493 users × 27,278 items) on a structure-free set.
  const lastfm = `${values.dataRoot}/lastfm-2k-multimodal`;
  const haveLastfm = await Deno.stat(lastfm).then(() => true, () => false);
  if (haveLastfm) {
    const real = await loadDataset({ kind: "lastfm-2k-multimodal", path: lastfm });
    // The slowest baselines' training, against twice the PyTorch reference (ColdRec, 2 threads:
    // CLCRec 741 interactions/s, CCFCRec 3,098/s).
    const targets: Record<string, string> = { clcrec: "≥ 1500", ccfcrec: "≥ 6200" };
    for (const name of ["clcrec", "pad-clrec", "ccfcrec", "mvgae"]) {
      const f = trainingThroughput(real, resolveModel(name), {
        batchSize: 1024,
        steps: values.quick ? 3 : 20,
      });
      print({ ...f, target: targets[name] });
    }
    const figs = m2vaeBenchmarks(real, {
      steps: values.quick ? 3 : 20,
      scoreUsers: real.userIds.length,
      scoreItems: 5000,
      naiveUsers: 256,
      naiveItems: 32,
    });
    for (const f of figs) print({ ...f, name: `${f.name} (lastfm)` });
  } else console.log(`(no ${lastfm}: M2VAE lastfm figures skipped)`);
  const ml20m = values.quick
    ? { users: 5_000, items: 2_000, interactionsPerUser: 10 }
    : { users: 138_493, items: 27_278, interactionsPerUser: 20 };
  const big = scaleDataset(ml20m);
  const figs = m2vaeBenchmarks(big, {
    steps: values.quick ? 3 : 20,
    scoreUsers: ml20m.users,
    scoreItems: 5000,
    maxBlocks,
    naiveUsers: 512,
    naiveItems: 64,
  });
  for (const f of figs) print(f);
  print({ name: "peak resident memory of the bench process", value: peakRssGiB(), unit: "GiB" });
  return 0;
}
