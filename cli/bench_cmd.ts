/**
 * `bench [--quick]`: prints the runtime figures (matMul, MLP step, gather, row-sparse step) and
 * the training throughput of CLCRec on a 100,000-user × 20,000-item dataset, with targets.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BenchFigure, runtimeBenchmarks } from "../lib/bench/runtime.ts";
import { scaleDataset } from "../lib/bench/scale_dataset.ts";
import { trainingThroughput } from "../lib/bench/training.ts";
import { initTf } from "../lib/tf/mod.ts";

function print(f: BenchFigure): void {
  const v = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
  const target = f.target ? `  (target ${f.target})` : "";
  const note = f.note ? `  [${f.note}]` : "";
  console.log(`${f.name.padEnd(58)} ${v.padStart(9)} ${f.unit}${target}${note}`);
}

/** Runs the benchmarks and prints one line per figure. */
export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { quick: { type: "boolean", default: false } },
  });
  await initTf("wasm");
  for (const f of await runtimeBenchmarks({ quick: values.quick })) print(f);
  const size = values.quick
    ? { users: 10_000, items: 2_000, interactionsPerUser: 10 }
    : { users: 100_000, items: 20_000, interactionsPerUser: 20 };
  const ds = scaleDataset(size);
  print(trainingThroughput(ds, "clcrec", { batchSize: 1024, steps: values.quick ? 5 : 30 }));
  return 0;
}
