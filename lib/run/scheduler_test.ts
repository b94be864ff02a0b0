import assert from "node:assert/strict";
import { runsInProcess, workerCount } from "./scheduler.ts";

Deno.test("runsInProcess: one job, or one trial with none to come; tuning always has more", () => {
  assert.equal(runsInProcess(1, 8), true);
  assert.equal(runsInProcess(2, 1), true, "a lone trial needs no worker's start-up");
  assert.equal(runsInProcess(2, 0), true);
  assert.equal(runsInProcess(2, 5), false);
  // A tuned run resumed mid-rung with one trial pending: the next rung and the final seeds
  // are still to be released, so it keeps its workers.
  assert.equal(runsInProcess(2, 1, true), false);
  assert.equal(runsInProcess(1, 1, true), true);
});

Deno.test("workerCount: no more workers than trials, unless tuning releases more", () => {
  assert.equal(workerCount(4, 2), 2);
  assert.equal(workerCount(2, 9), 2);
  assert.equal(workerCount(4, 1, true), 4);
});
