/**
 * `run <experiment.yaml>` and `demo`: resolve an experiment, train and test every trial, write
 * the results (trial records, CSV, markdown) to an output folder and print the Table-3-style
 * table.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadExperiment } from "../lib/config/mod.ts";
import { type Protocol } from "../lib/eval/mod.ts";
import { type ResultRow, resultsCsv, table3Markdown } from "../lib/report/mod.ts";
import { codeVersion, runExperiment, type TrialRecord, writeResultFiles } from "../lib/run/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";

const USAGE = `usage: run <experiment.yaml> [--data-root DIR] [--set key.path=value]... [--out DIR]
       [--backend wasm|cpu] [--quiet]`;

/** Runs an experiment file; `demoDefaults` makes `demo` a preset of `run`. */
export async function experimentCommand(args: string[], demo = false): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      "data-root": { type: "string" },
      set: { type: "string", multiple: true },
      out: { type: "string" },
      backend: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(demo ? "usage: demo [--set key.path=value]... [--backend wasm|cpu]" : USAGE);
    return 0;
  }
  const file = demo ? "experiments/demo.yaml" : positionals[0];
  if (!file) throw new TypeError(`missing experiment file\n${USAGE}`);
  const plan = await loadExperiment(file, { dataRoot: values["data-root"], overrides: values.set });
  const backend = (values.backend ?? plan.settings.backend) as BackendName;
  if (backend !== "wasm" && backend !== "cpu") {
    throw new RangeError(`--backend: expected "wasm" or "cpu", got "${backend}"`);
  }
  await initTf(backend);
  const version = await codeVersion();
  const t0 = performance.now();
  const splits: Record<string, string> = {};
  const trials = await runExperiment(plan, {
    codeVersion: version,
    silent: values.quiet,
    onDataset: (name, st, split) => {
      splits[name] = `${split.description}, fingerprint ${split.fingerprint}`;
      console.error(
        `${name}: ${st.users} users, ${st.items} items, ${st.interactions} interactions; ` +
          `${split.trainItems.length}/${split.validItems.length}/${split.testItems.length} ` +
          `warm/valid/test items (${split.fingerprint})`,
      );
    },
    onTrial: (t) => {
      console.error(
        `${t.dataset} ${t.label} seed ${t.seed}: best step ${t.report.bestStep}, test ` +
          Object.entries(t.report.test).filter(([k]) => k.endsWith("@10")).map(([k, v]) =>
            `${k} ${v.toFixed(4)}`
          ).join(" ") + ` (${t.report.trainSeconds.toFixed(1)}s train)`,
      );
    },
  });
  const rows: ResultRow[] = trials.map((t) => ({
    model: t.label,
    dataset: t.dataset,
    seed: t.seed,
    metrics: t.report.test,
  }));
  const table = table3Markdown(rows, {
    protocol: plan.settings.protocol as Protocol,
    part: "test",
    splits,
    seeds: plan.seeds,
    codeVersion: version,
    note: `experiment ${plan.file}; backend ${backend}; ${plan.settings.epochs} epochs max, ` +
      `checkpoint by validation ${plan.settings.selectMetric}`,
  });
  const out = values.out ?? `results/${plan.name}`;
  await writeResultFiles(out, {
    "trials.jsonl": trials.map((t: TrialRecord) => JSON.stringify(t)).join("\n") + "\n",
    "results.csv": resultsCsv(rows),
    "table.md": table,
  });
  console.log(table);
  console.error(`wrote ${out}/ in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  return 0;
}
