import assert from "node:assert/strict";
import { join } from "node:path";
import { RUN_DEFAULTS } from "../config/train_defaults.ts";
import { curveReport, trialOutcome, trialSpec } from "../store/_test_utils.ts";
import { ResultStore } from "../store/mod.ts";
import { type TrainState, writeTrainState } from "../train/mod.ts";
import { furthestState, rungSeconds, runsInProcess, workerCount } from "./scheduler.ts";

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

Deno.test("rungSeconds: a top rung owes the rungs it continued, found in whichever sweep ran them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rung_seconds_" });
  const store = await ResultStore.open(join(dir, "store.sqlite"));
  try {
    const spec = (key: string, epochs: number) =>
      trialSpec(key, 1, { settings: { ...RUN_DEFAULTS, epochs } });
    const [k1, k2, k4] = [
      spec("1000000000000000", 1),
      spec("2000000000000000", 2),
      spec(
        "4000000000000000",
        4,
      ),
    ];
    const entry = { dataset: "synthetic", label: "CLCRec", config: 0, seed: 0, metric: "NDCG@10" };
    // Sweep "a" has rungs of 1 and 4 epochs, sweep "b" 1, 2 and 4: the 4-epoch trial is both's
    // top rung, with a different rung below it in each.
    await store.register("a", "a.yaml", "", {}, [], false, {
      entries: [{ ...entry, rung: 0, trial: k1.key }, { ...entry, rung: 1, trial: k4.key }],
      specs: [k1, k4],
    });
    await store.register("b", "b.yaml", "", {}, [], false, {
      entries: [
        { ...entry, rung: 0, trial: k1.key },
        { ...entry, rung: 1, trial: k2.key },
        { ...entry, rung: 2, trial: k4.key },
      ],
      specs: [k1, k2, k4],
    });
    assert.deepEqual((await store.continuation(k4.key)).previous, [k1.key, k2.key]);
    const seconds = (train: number) =>
      trialOutcome({ ...curveReport(0.25, {}), trainSeconds: train, evalSeconds: 0.25 });
    for (const [t, e] of [[k1, "a"], [k2, "b"]] as const) {
      await store.release(e, [{ key: t.key, role: "tune", priority: 1 }]);
      await store.complete(t.key, seconds(t.settings.epochs * 10));
    }
    // Sweep "a" ran the 4-epoch rung from "b"'s 2-epoch state (the furthest): it owes that rung
    // and the 1-epoch one below it, though "a" never linked the 2-epoch trial.
    assert.deepEqual(await rungSeconds(store, "a", k2.key), {
      setupSeconds: 1,
      trainSeconds: 30,
      evalSeconds: 0.5,
    });
    // Below the 4-epoch trial the walk takes the rung of most epochs (2), then the one below it.
    await store.release("a", [{ key: k4.key, role: "tune", priority: 1 }]);
    await store.complete(k4.key, seconds(40));
    assert.deepEqual(await rungSeconds(store, "a", k4.key), {
      setupSeconds: 1.5,
      trainSeconds: 70,
      evalSeconds: 0.75,
    });
    assert.deepEqual(await rungSeconds(store, "a", k1.key), {
      setupSeconds: 0.5,
      trainSeconds: 10,
      evalSeconds: 0.25,
    });
    assert.deepEqual(await rungSeconds(store, "a", undefined), {
      setupSeconds: 0,
      trainSeconds: 0,
      evalSeconds: 0,
    });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
