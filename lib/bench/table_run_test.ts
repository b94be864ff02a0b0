import assert from "node:assert/strict";
import type { TrialInfo } from "../store/mod.ts";
import {
  checkTableFile,
  formatSeconds,
  parseJobs,
  projectSeeds,
  rowTimes,
  runTableBench,
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

function trial(label: string, dataset: string, status: string, secs: number[]): TrialInfo {
  return {
    spec: { label, dataset },
    status,
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
  ]);
  assert.deepEqual(rows, [
    { label: "CLCRec", dataset: "lastfm", trials: 2, unfinished: 1, seconds: 14 },
    { label: "M2VAE", dataset: "lastfm", trials: 1, unfinished: 0, seconds: 40 },
    { label: "CLCRec", dataset: "sports", trials: 1, unfinished: 0, seconds: 7 },
  ]);
});

Deno.test("projectSeeds: the fixed part once, the rest per seed", () => {
  const rows = [{ label: "A", dataset: "d", trials: 4, unfinished: 0, seconds: 180 }];
  // 100 s wall, 180 s of trials over 2 workers: 10 s fixed, 90 s per seed.
  assert.equal(projectSeeds({ seconds: 100, jobs: 2, rows }, 5), 460);
  assert.equal(projectSeeds({ seconds: 100, jobs: 2, rows }, 1), 100);
  // More workers than trials: the trials are the parallelism.
  const one = [{ ...rows[0], trials: 1, seconds: 80 }];
  assert.equal(projectSeeds({ seconds: 100, jobs: 4, rows: one }, 3), 20 + 3 * 80);
  // Recorded time beyond the wall (noise): no negative fixed part.
  assert.equal(projectSeeds({ seconds: 50, jobs: 1, rows }, 2), 100);
  assert.throws(() => projectSeeds({ seconds: 1, jobs: 1, rows }, 0), /whole number of seeds/);
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
  const rows = [{ label: "A", dataset: "d", trials: 4, unfinished: 0, seconds: 180 }];
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
      note: "7 min 40 s: loading and start-up once, the trials 5 times",
    },
  ]);
  assert.equal(tableRunFigures({ code: 1, seconds: 100, jobs: 2, rows }, 5).length, 1);
  assert.equal(tableRunFigures({ code: 0, seconds: 100, jobs: 2, rows: [] }, 5).length, 1);
});
