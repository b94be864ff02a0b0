import assert from "node:assert/strict";
import { join } from "node:path";
import { ResultStore } from "../store/mod.ts";
import { UsageError } from "./errors.ts";
import { runExperiment } from "./experiment.ts";

/** An experiment of the two floors on a tiny synthetic set, in a folder of its own. */
async function tiny(seeds = "[1]") {
  const dir = await Deno.makeTempDir({ prefix: "m2vae-experiment-test-" });
  const file = join(dir, "exp.yaml");
  await Deno.writeTextFile(
    file,
    `name: tiny
datasets:
  synthetic: { users: 120, items: 90, seed: 3 }
models: [random, popularity]
seeds: ${seeds}
settings: { epochs: 1 }
`,
  );
  return { dir, file, store: join(dir, "store.sqlite"), out: join(dir, "out") };
}

async function exists(p: string) {
  return await Deno.stat(p).then(() => true, () => false);
}

Deno.test("runExperiment: a library call plans, runs, stores and reports an experiment", async () => {
  const e = await tiny();
  try {
    const r = await runExperiment({ file: e.file, store: e.store, out: e.out, quiet: true });
    assert.equal(r.code, 0);
    assert.equal(r.plan.name, "tiny");
    assert.equal(r.trials.length, 2);
    assert.equal(r.report?.done, 2);
    assert.deepEqual(r.report?.tables.map((t) => t.layout), ["table3"]);
    assert.deepEqual([...Deno.readDirSync(e.out)].map((f) => f.name).sort(), [
      "01_table3_item2user.csv",
      "01_table3_item2user.md",
      "01_table3_item2user.tex",
    ]);
    const store = await ResultStore.open(e.store, { mustExist: true });
    try {
      assert.deepEqual(await store.counts("tiny"), { pending: 0, running: 0, done: 2, failed: 0 });
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(e.dir, { recursive: true });
  }
});

Deno.test("runExperiment: jobs 2 runs the trials in worker processes", async () => {
  const e = await tiny("[1, 2]");
  try {
    const r = await runExperiment({
      file: e.file,
      store: e.store,
      out: e.out,
      quiet: true,
      jobs: 2,
      layouts: ["table4", "table3"],
    });
    assert.equal(r.code, 0);
    assert.equal(r.report?.done, 4);
    // No variants, so no Table 4.
    assert.deepEqual(r.report?.tables.map((t) => t.layout), ["table3"]);
  } finally {
    await Deno.remove(e.dir, { recursive: true });
  }
});

Deno.test("runExperiment: the planted oracle's variants are ceilings beside Table 3, not a Table 4", async () => {
  const e = await tiny();
  try {
    await Deno.writeTextFile(
      e.file,
      (await Deno.readTextFile(e.file)).replace(
        "models: [random, popularity]",
        "models: [popularity, oracle, oracle (common only)]",
      ),
    );
    const r = await runExperiment({
      file: e.file,
      store: e.store,
      out: e.out,
      quiet: true,
      layouts: ["table4", "table3"],
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.report?.tables.map((t) => t.layout), ["table3"]);
    const t3 = r.report!.tables[0].table;
    const labels = t3.rows.flatMap((x) => x.kind === "row" && !x.summary ? [x.label] : []);
    assert.deepEqual(labels, ["Popularity", "Planted oracle", "Planted oracle common only"]);
    assert.match(t3.caption, /Planted oracles score with the synthetic generator's own utilities/);
    // Reference rows are never marked best.
    assert.ok(t3.rows.every((x) => x.kind !== "row" || x.cells.every((c) => !c.mark)));
  } finally {
    await Deno.remove(e.dir, { recursive: true });
  }
});

Deno.test("runExperiment: a dry run writes nothing; a bad option throws before anything is written", async () => {
  const e = await tiny();
  try {
    const r = await runExperiment({ file: e.file, store: e.store, out: e.out, dryRun: true });
    assert.equal(r.code, 0);
    assert.equal(r.report, undefined);
    await assert.rejects(
      () => runExperiment({ file: e.file, store: e.store, out: e.out, jobs: 0 }),
      UsageError,
    );
    await assert.rejects(
      () => runExperiment({ file: e.file, store: e.store, out: e.out, backend: "gpu" }),
      (err: Error) =>
        err instanceof UsageError && /--backend: expected "wasm" or "cpu"/.test(err.message),
    );
    assert.equal(await exists(e.store), false);
    assert.equal(await exists(e.out), false);
  } finally {
    await Deno.remove(e.dir, { recursive: true });
  }
});

Deno.test("runExperiment --executor slurm: the script carries the slurm: block, a --slurm flag overrides it", async () => {
  const e = await tiny();
  try {
    await Deno.writeTextFile(
      e.file,
      `slurm:
  partition: cpu
  time: "02:00:00"
  cpusPerTask: 2
  memory: 8G
  extra: ["--account=lab"]
  setup: module load nodejs
`,
      { append: true },
    );
    const r = await runExperiment({
      file: e.file,
      store: e.store,
      out: e.out,
      quiet: true,
      executor: "slurm",
      jobs: 2,
      slurm: ["mem=16G", "time=01:00:00"],
      printScript: true,
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.plan.slurm.extra, ["--account=lab"]);
    const script = await Deno.readTextFile(join(e.out, "slurm", "tiny.sbatch"));
    const lines = script.split("\n");
    for (
      const want of [
        "#SBATCH --partition=cpu",
        "#SBATCH --cpus-per-task=2",
        "#SBATCH --account=lab",
        "module load nodejs",
        "#SBATCH --array=0-1",
        // The flags win over the block.
        "#SBATCH --mem=16G",
        "#SBATCH --time=01:00:00",
      ]
    ) assert.ok(lines.includes(want), `${want}\n---\n${script}`);
    assert.doesNotMatch(script, /--mem=8G|--time=02:00:00/);
  } finally {
    await Deno.remove(e.dir, { recursive: true });
  }
});
