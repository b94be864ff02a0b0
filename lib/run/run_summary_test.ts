import assert from "node:assert/strict";
import {
  exitCode,
  registeredSummary,
  rowsLeftOut,
  rowsLeftOutNote,
  runningElsewhere,
} from "./run_summary.ts";

Deno.test("exit code: partial because trials run elsewhere is success; failed or left pending is not", () => {
  const counts = { pending: 0, running: 0, done: 4, failed: 0 };
  assert.equal(exitCode({ done: 4, planned: 4, failed: [] }, counts), 0);
  assert.equal(exitCode({ done: 2, planned: 4, failed: [] }, { ...counts, running: 2 }), 0);
  assert.equal(exitCode({ done: 2, planned: 4, failed: [] }, { ...counts, pending: 2 }), 1);
  assert.equal(exitCode({ done: 3, planned: 4, failed: [{}] }, { ...counts, running: 1 }), 1);
  assert.equal(exitCode({ done: 2, planned: 4, failed: [] }, counts), 1);
});

Deno.test("run summary: counts kept from the experiment's other datasets are named as such", () => {
  const c = { pending: 32, running: 0, done: 64, failed: 0 };
  assert.equal(
    registeredSummary(48, c),
    "48 trials planned; with its other datasets the experiment has 96: 64 already done, 32 to run",
  );
  assert.equal(registeredSummary(96, c), "96 trials, 64 already done, 32 to run");
  assert.equal(
    registeredSummary(97, { ...c, running: 1 }),
    "97 trials, 64 already done, 32 to run, 1 running elsewhere",
  );
});

Deno.test("runningElsewhere: one trial or several", () => {
  assert.equal(runningElsewhere(1), "1 trial still running in another process");
  assert.equal(runningElsewhere(2), "2 trials still running in another process");
});

Deno.test("rowsLeftOut: rows with finished trials on the plan's datasets that the plan drops", () => {
  const t = (dataset: string, label: string, status = "done") => ({
    spec: { dataset, label },
    status,
  });
  const stored = [
    t("lastfm", "GAR"),
    t("lastfm", "CLCRec"),
    t("lastfm", "MVGAE", "pending"), // nothing finished: nothing to lose from the report
    t("sports", "CCFCRec"), // another dataset: the plan does not replace it
    t("lastfm", "CLCRec"),
  ];
  assert.deepEqual(rowsLeftOut(stored, [{ dataset: "lastfm", label: "GAR" }]), [
    "lastfm CLCRec",
  ]);
  const both = [{ dataset: "lastfm", label: "GAR" }, { dataset: "lastfm", label: "CLCRec" }];
  assert.deepEqual(rowsLeftOut(stored, both), []);
  assert.match(
    rowsLeftOutNote("fair", ["lastfm CLCRec"]),
    /^fair: .*1 row\(s\).*lastfm CLCRec.*--set name=/,
  );
});
