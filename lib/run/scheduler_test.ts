import assert from "node:assert/strict";
import { join } from "node:path";
import { type TrainState, writeTrainState } from "../train/mod.ts";
import { furthestState, runsInProcess, workerCount } from "./scheduler.ts";

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

Deno.test("furthestState: of the lower rungs' saved states, the one that trained furthest; none saved, none", async () => {
  const dir = await Deno.makeTempDir({ prefix: "furthest_" });
  try {
    const store = { statePath: (k: string) => join(dir, `${k}.safetensors`) };
    const state = (epoch: number): TrainState => ({
      epoch,
      steps: epoch * 10,
      stale: 0,
      stopped: false,
      bestStep: epoch * 10,
      best: { "NDCG@10": epoch / 10 },
      curve: [],
      params: new Map([["w", new Float32Array([epoch])]]),
      bestParams: new Map([["w", new Float32Array([epoch])]]),
      optimizer: { step: epoch * 10, moments: new Map() },
    });
    assert.equal(await furthestState(store, []), undefined);
    assert.equal(await furthestState(store, ["gone"]), undefined);
    await writeTrainState(store.statePath("two"), state(2));
    await writeTrainState(store.statePath("one"), state(1));
    // The first sweep's rung below (one epoch) and another's (two): the two-epoch state wins,
    // whatever the order, and a removed state is passed over.
    for (const keys of [["gone", "one", "two"], ["two", "one"], ["one", "gone", "two"]]) {
      const found = await furthestState(store, keys);
      assert.equal(found?.key, "two", keys.join(","));
      assert.equal(found?.state.epoch, 2);
    }
    assert.equal((await furthestState(store, ["gone", "one"]))?.key, "one");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
