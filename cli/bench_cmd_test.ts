import assert from "node:assert/strict";
import {
  benchCommand,
  type BenchOptions,
  checkBenchOptions,
  checkTableRun,
  jobsRatioBench,
  realDataset,
  timedModels,
} from "./bench_cmd.ts";

const base: BenchOptions = {
  dataRoot: "../shared/data",
  maxBlocks: "0",
  validationModels: "m2vae,clcrec",
  cacheDir: ".cache",
};

/** The RangeError line checkBenchOptions throws for `o`, or undefined when it accepts. */
function rejection(o: Partial<BenchOptions>): string | undefined {
  try {
    checkBenchOptions({ ...base, ...o });
    return undefined;
  } catch (e) {
    assert.ok(e instanceof RangeError, String(e));
    return e.message;
  }
}

Deno.test("bench options: a model that does not train is rejected before anything runs", () => {
  assert.match(rejection({ models: "clcrec,random" })!, /^--models: random does not train/);
  assert.match(rejection({ models: "popularity" })!, /^--models: popularity does not train/);
  assert.equal(rejection({ models: "clcrec,m2vae" }), undefined);
  // Validation of a floor is still a figure.
  assert.equal(rejection({ validationModels: "popularity" }), undefined);
});

Deno.test("bench options: --sweep-trials only with --jobs-ratio", () => {
  assert.equal(rejection({ sweepTrials: "4" }), "--sweep-trials: only with --jobs-ratio");
  assert.equal(rejection({ sweepTrials: "4", jobsRatio: true }), undefined);
  assert.equal(rejection({ sweepEpochs: "5" }), "--sweep-epochs: only with --jobs-ratio");
  assert.match(rejection({ sweepEpochs: "0", jobsRatio: true })!, /^--sweep-epochs: expected/);
  assert.equal(rejection({ sweepEpochs: "5", jobsRatio: true }), undefined);
});

Deno.test("bench options: --table runs at the table's budget and one seed of its own", () => {
  assert.match(rejection({ table: "t.yaml", quick: true })!, /^--quick: not with --table FILE/);
  for (const set of ["seeds=[0,1]", "seeds.0=3", " seeds =[1]"]) {
    assert.match(
      rejection({ table: "t.yaml", set: [set] })!,
      /: not with --table \(the bench runs one seed and projects to --seeds N\)$/,
      set,
    );
  }
  assert.equal(
    rejection({ table: "t.yaml", set: ["settings.epochs=1", "search.seed=2"] }),
    undefined,
  );
  assert.equal(rejection({ quick: true }), undefined);
  // The projection's seeds mean nothing without a table.
  assert.equal(rejection({ seeds: "3" }), "--seeds: only with --table FILE");
  assert.equal(rejection({ table: "t.yaml", seeds: "3" }), undefined);
  assert.match(rejection({ table: "t.yaml", seeds: "0" })!, /^--seeds: expected a whole number/);
});

Deno.test("timedModels: --models decides whether M2VAE's own benchmarks run", () => {
  assert.deepEqual(timedModels({ models: "clcrec,gar" }), {
    baselines: ["clcrec", "gar"],
    m2vae: false,
  });
  assert.deepEqual(timedModels({ models: "m2vae" }), { baselines: [], m2vae: true });
  const quick = timedModels({ quick: true });
  assert.ok(
    quick.m2vae && quick.baselines.includes("clcrec") && !quick.baselines.includes("m2vae"),
  );
  const all = timedModels({});
  assert.ok(all.m2vae && !all.baselines.includes("random") && !all.baselines.includes("oracle"));
});

Deno.test("realDataset: a missing entry names what asked for it", async () => {
  await assert.rejects(realDataset("nosuch", "/nonexistent", "the lastfm training figures"), {
    name: "RangeError",
    message: 'the lastfm training figures: no configs/datasets/ entry "nosuch"',
  });
  await assert.rejects(
    realDataset("nosuch", "/nonexistent", "--validation"),
    /^RangeError: --validation: /,
  );
});

Deno.test("--jobs-ratio: a failed sweep is exit 1 with one error line, like --table", async () => {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = () => {};
  console.error = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    assert.equal(await jobsRatioBench({ quick: true }, ["false"]), 1);
  } finally {
    [console.log, console.error] = [log, error];
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^error: bench --jobs-ratio: the sweep with --jobs 1 exited 1 after/);
});

Deno.test("bench --table: a bad experiment is its one line before the timed run, nothing on stdout", async () => {
  const lines: string[] = [], log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await assert.rejects(
      benchCommand({
        ...base,
        table: new URL("../experiments/demo.yaml", import.meta.url).pathname,
        set: ["settings.epochs=abc"],
      }),
      /^ConfigError: --set settings\.epochs=abc: key "settings\.epochs": expected a positive/,
    );
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, []);
});

Deno.test("checkTableRun: the experiment as its run sees it, checked without loading data", async () => {
  const demo = new URL("../experiments/demo.yaml", import.meta.url).pathname;
  const bad = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(bad, "name: x\nnonsense: [\n");
    const rejects: [Parameters<typeof checkTableRun>[0], RegExp][] = [
      [{ table: bad }, /malformed YAML/],
      [
        { table: demo, sets: ["settings.epochs=abc"] },
        /^ConfigError: --set settings\.epochs=abc: /,
      ],
      [{ table: demo, datasets: ["nosuch"] }, /datasets\.nosuch\.kind": missing/],
      [
        { table: demo, datasets: ["lastfm-2k-multimodal"], dataRoot: "/nonexistent" },
        /datasets\.lastfm-2k-multimodal\.path": not found: \/nonexistent\/lastfm-2k-multimodal/,
      ],
    ];
    for (const [o, line] of rejects) await assert.rejects(checkTableRun(o), line);
    // The seeds the bench sets and a budget override pass.
    await checkTableRun({ table: demo, sets: ["settings.epochs=1"] });
  } finally {
    await Deno.remove(bad);
  }
});
