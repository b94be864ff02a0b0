import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  jobsRatioCeiling,
  jobsRatioFigures,
  runJobsRatio,
  sweepExperiment,
  SweepFailed,
  trialsPerHour,
} from "./jobs_ratio.ts";

Deno.test("sweepExperiment: a grid of distinct learning rates, one seed, no early stop", () => {
  const exp = parse(sweepExperiment({ trials: 8, epochs: 2 }));
  const lrs: number[] = exp.search.space["settings.lr"];
  assert.equal(lrs.length, 8);
  assert.equal(new Set(lrs).size, 8);
  assert.equal(lrs[0], 0.001);
  assert.deepEqual(exp.models, ["clcrec"]);
  assert.deepEqual(exp.datasets, { synthetic: {} });
  assert.deepEqual(exp.seeds, [0]);
  assert.deepEqual(exp.settings, { epochs: 2, patience: 0 });
  assert.equal(exp.search.method, "grid");
  assert.deepEqual(parse(sweepExperiment({ trials: 2, epochs: 1, model: "gorec" })).models, [
    "gorec",
  ]);
});

Deno.test("sweepExperiment: too small a sweep is refused", () => {
  assert.throws(() => sweepExperiment({ trials: 1, epochs: 1 }), /at least 2 trials/);
  assert.throws(() => sweepExperiment({ trials: 4, epochs: 0 }), /at least 1 epoch/);
});

Deno.test("trialsPerHour: trials × 3600 / seconds", () => {
  assert.equal(trialsPerHour(8, 3600), 8);
  assert.equal(trialsPerHour(8, 360), 80);
  assert.throws(() => trialsPerHour(8, 0), /seconds must be positive/);
});

/** Eight trials in 80 s with one worker and 45 s with two. */
const sweep = {
  trials: 8,
  seconds1: 80,
  seconds2: 45,
  perHour1: 360,
  perHour2: 640,
  ratio: 640 / 360,
};

Deno.test("jobsRatioFigures: trials/hour with each number of workers, then the ratio", () => {
  const figures = jobsRatioFigures(sweep);
  assert.deepEqual(figures.map((f) => [f.name, f.value, f.unit, f.note, f.target]), [
    ["sweep trials/hour, --jobs 1", 360, "trials/h", "1 min 20 s", undefined],
    ["sweep trials/hour, --jobs 2", 640, "trials/h", "45.0 s", undefined],
    ["jobs ratio (--jobs 2 ÷ --jobs 1)", 640 / 360, "×", undefined, "≥ 1.8"],
  ]);
});

Deno.test("jobsRatioFigures: with the runs' CPU time, the cores each kept busy and the ceiling", () => {
  const figures = jobsRatioFigures({ ...sweep, cores1: 1.1, cores2: 1.95, machineCores: 2 });
  assert.deepEqual(figures.slice(3).map((f) => [f.name, f.value, f.unit]), [
    ["cores busy, --jobs 1", 1.1, "cores"],
    ["cores busy, --jobs 2", 1.95, "cores"],
    ["ratio's ceiling on 2 cores (estimated)", 2 / 1.1, "×"],
  ]);
  // Where the machine has cores to spare, two workers are worth at most twice one.
  assert.equal(jobsRatioCeiling(16, 1.1), 2);
});

Deno.test("runJobsRatio: a sweep that fails is a SweepFailed naming its --jobs and exit code", async () => {
  const e = await runJobsRatio({ cli: ["false"], trials: 2, epochs: 1 }).catch((e) => e);
  assert.ok(e instanceof SweepFailed, String(e));
  assert.equal(e.jobs, 1);
  assert.equal(e.code, 1);
  assert.match(e.message, /^bench --jobs-ratio: the sweep with --jobs 1 exited 1 after \d+ s$/);
});

Deno.test("sweepExperiment: `from` gives a later part of the same grid, so two halves make the whole", () => {
  const whole = parse(sweepExperiment({ trials: 8, epochs: 2 })).search.space["settings.lr"];
  const first = parse(sweepExperiment({ trials: 4, epochs: 2 })).search.space["settings.lr"];
  const second =
    parse(sweepExperiment({ trials: 4, epochs: 2, from: 4 })).search.space["settings.lr"];
  assert.deepEqual([...first, ...second], whole);
});

Deno.test("jobsRatioFigures: with the side-by-side runs, the machine's measured limit and the share the scheduler keeps", () => {
  const figures = jobsRatioFigures({ ...sweep, secondsSideBySide: 44 });
  assert.deepEqual(figures.slice(3).map((f) => [f.name, f.value, f.unit]), [
    ["two --jobs 1 runs side by side, half the sweep each", 80 / 44, "×"],
    ["jobs ratio ÷ that limit", (640 / 360) / (80 / 44), "×"],
  ]);
  assert.match(figures[3].note ?? "", /^44\.0 s: this machine's own limit for two runs$/);
});

Deno.test("runJobsRatio: from 4 trials on, the two halves also run side by side; below, they do not", async () => {
  const four = await runJobsRatio({ cli: ["true"], trials: 4, epochs: 1 });
  assert.ok(four.secondsSideBySide !== undefined && four.secondsSideBySide > 0);
  const two = await runJobsRatio({ cli: ["true"], trials: 2, epochs: 1 });
  assert.equal(two.secondsSideBySide, undefined);
});
