import assert from "node:assert/strict";
import type { TrialInfo } from "../store/mod.ts";
import {
  checkTableFile,
  formatSeconds,
  parseJobs,
  projectSeeds,
  rowTimes,
  runTableBench,
  seedProjection,
  tableRunArgs,
  tableRunFigures,
} from "./table_run.ts";

Deno.test("parseJobs: whole numbers ≥ 1, else one line naming the option", () => {
  assert.equal(parseJobs("2"), 2);
  assert.equal(parseJobs(1), 1);
  for (const bad of ["0", "-1", "1.5", "two", ""]) {
    assert.throws(() => parseJobs(bad), /^RangeError: --jobs: expected a whole number ≥ 1/);
  }
});

Deno.test("tableRunArgs: one seed, the overrides, datasets, workers and the temporary paths", () => {
  const args = tableRunArgs(
    {
      table: "t.yaml",
      datasets: ["lastfm-2k-multimodal", "amazon-s3rec"],
      dataRoot: "/data",
      jobs: 2,
      sets: ["settings.epochs=1"],
    },
    { store: "/tmp/s.sqlite", out: "/tmp/out", cacheDir: "/tmp/cache" },
  );
  assert.deepEqual(args, [
    "run",
    "t.yaml",
    "--set",
    "seeds=1",
    "--set",
    "settings.epochs=1",
    "--datasets",
    "lastfm-2k-multimodal,amazon-s3rec",
    "--data-root",
    "/data",
    "--jobs",
    "2",
    "--store",
    "/tmp/s.sqlite",
    "--out",
    "/tmp/out",
    "--cache-dir",
    "/tmp/cache",
    "--quiet",
  ]);
  const plain = tableRunArgs({ table: "t.yaml", jobs: 1 }, { store: "s", out: "o", cacheDir: "c" });
  assert.ok(!plain.includes("--datasets") && !plain.includes("--data-root"));
});

function trial(
  label: string,
  dataset: string,
  status: string,
  secs: number[],
  role = "result",
): TrialInfo {
  return {
    spec: { label, dataset },
    status,
    role,
    setupSeconds: secs[0] ?? null,
    trainSeconds: secs[1] ?? null,
    evalSeconds: secs[2] ?? null,
  } as unknown as TrialInfo;
}

Deno.test("rowTimes: recorded seconds summed per row and dataset, unfinished counted", () => {
  const rows = rowTimes([
    trial("CLCRec", "lastfm", "done", [1, 10, 2]),
    trial("M2VAE", "lastfm", "done", [2, 30, 8]),
    trial("CLCRec", "lastfm", "failed", [1]),
    trial("CLCRec", "sports", "done", [1, 5, 1]),
    trial("M2VAE", "lastfm", "done", [1, 4, 1], "tune"),
  ]);
  const plain = { tuneTrials: 0, tuneSeconds: 0 };
  assert.deepEqual(rows, [
    { label: "CLCRec", dataset: "lastfm", trials: 2, unfinished: 1, seconds: 14, ...plain },
    {
      label: "M2VAE",
      dataset: "lastfm",
      trials: 2,
      unfinished: 0,
      seconds: 46,
      tuneTrials: 1,
      tuneSeconds: 6,
    },
    { label: "CLCRec", dataset: "sports", trials: 1, unfinished: 0, seconds: 7, ...plain },
  ]);
});

const row = (trials: number, seconds: number, tuneTrials = 0, tuneSeconds = 0) => ({
  label: "A",
  dataset: "d",
  trials,
  unfinished: 0,
  seconds,
  tuneTrials,
  tuneSeconds,
});

Deno.test("projectSeeds: the fixed part once, the rest per seed", () => {
  const rows = [row(4, 180)];
  // 100 s wall, 180 s of trials over 2 workers: 10 s fixed, 90 s per seed.
  assert.equal(projectSeeds({ seconds: 100, jobs: 2, rows }, 5), 460);
  assert.equal(projectSeeds({ seconds: 100, jobs: 2, rows }, 1), 100);
  // Recorded time beyond the wall (noise): no negative fixed part, the wall scaled.
  assert.equal(projectSeeds({ seconds: 50, jobs: 1, rows }, 2), 100);
  assert.throws(() => projectSeeds({ seconds: 1, jobs: 1, rows }, 0), /whole number of seeds/);
});

Deno.test("projectSeeds: with more seeds, more final runs to spread over idle workers", () => {
  // One trial on 4 workers: 20 s fixed, 80 s of trial. Three seeds are three trials, run side
  // by side on three of the workers: 20 + 80, not 20 + 3 · 80.
  const one = [row(1, 80)];
  assert.equal(projectSeeds({ seconds: 100, jobs: 4, rows: one }, 3), 20 + 80);
  assert.equal(seedProjection({ seconds: 100, jobs: 4, rows: one }, 3).workers, 3);
  // Six seeds on 4 workers: 6 · 80 s over 4.
  assert.equal(projectSeeds({ seconds: 100, jobs: 4, rows: one }, 6), 20 + (6 * 80) / 4);
});

Deno.test("projectSeeds: a tuned row's tuning trials run once, its final runs once per seed", () => {
  // 10 tuning trials (900 s) and one final run (100 s) on 2 workers in 520 s: 20 s fixed.
  const rows = [row(11, 1000, 10, 900)];
  const p = seedProjection({ seconds: 520, jobs: 2, rows }, 5);
  assert.deepEqual(p, {
    seconds: 20 + (900 + 5 * 100) / 2,
    fixed: 20,
    tuneTrials: 10,
    resultTrials: 1,
    workers: 2,
  });
  // Not every recorded second times the seeds (that would be 20 + 5 · 500).
  assert.notEqual(p.seconds, 20 + 5 * 500);
});

Deno.test("a missing or non-file table: one clear line, nothing run", async () => {
  await assert.rejects(checkTableFile("/nonexistent/table3.yaml"), {
    name: "RangeError",
    message: '--table: no such file "/nonexistent/table3.yaml"',
  });
  await assert.rejects(checkTableFile(Deno.cwd()), /is not a file/);
  await assert.rejects(
    runTableBench({ cli: ["false"], table: "/nonexistent/t.yaml", jobs: 1 }),
    /--table: no such file/,
  );
});

Deno.test("formatSeconds: seconds, minutes and seconds, hours and minutes", () => {
  assert.equal(formatSeconds(12.34), "12.3 s");
  assert.equal(formatSeconds(59.96), "1 min 00 s");
  assert.equal(formatSeconds(185), "3 min 05 s");
  assert.equal(formatSeconds(3569.4), "59 min 29 s");
  assert.equal(formatSeconds(3600), "1 h 00 min");
  assert.equal(formatSeconds(3725), "1 h 02 min");
});

Deno.test("tableRunFigures: the wall time, and its projection only for a run that succeeded", () => {
  const rows = [row(4, 180)];
  const ok = tableRunFigures({ code: 0, seconds: 100, jobs: 2, rows }, 5);
  assert.deepEqual(ok, [
    {
      name: "table run, 1 seed, --jobs 2 (wall)",
      value: 100 / 60,
      unit: "min",
      note: "1 min 40 s; 3 min 00 s recorded in trials",
    },
    {
      name: "table run projected to 5 seeds, --jobs 2 (wall)",
      value: 460 / 60,
      unit: "min",
      note: "7 min 40 s: start-up once (10.0 s), the 4 trial(s) 5×, over 2 workers",
    },
  ]);
  assert.equal(tableRunFigures({ code: 1, seconds: 100, jobs: 2, rows }, 5).length, 1);
  assert.equal(tableRunFigures({ code: 0, seconds: 100, jobs: 2, rows: [] }, 5).length, 1);
  // A tuned run says which trials it repeats.
  const tuned = tableRunFigures(
    { code: 0, seconds: 520, jobs: 2, rows: [row(11, 1000, 10, 900)] },
    5,
  );
  assert.match(
    tuned[1].note!,
    /^12 min 00 s: start-up once \(20\.0 s\), the 10 tuning trial\(s\) once, the 1 final run\(s\) 5×/,
  );
});
