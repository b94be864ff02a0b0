import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import type { TrainReport } from "../train/trainer.ts";
import { ResultStore, StoreError, type TrialOutcome } from "./store.ts";
import { trialOutcome, trialSpec } from "./_test_utils.ts";
import type { TrialSpec } from "./trial_spec.ts";

const spec = (key: string, seed: number): TrialSpec =>
  trialSpec(key, seed, { point: {}, pointLabel: "", config: { dim: 8 } });

function outcome(v: number): TrialOutcome {
  const report: TrainReport = {
    bestStep: 2,
    valid: { "NDCG@10": v },
    test: { "NDCG@10": v / 2 },
    curve: [{
      step: 2,
      epoch: 1,
      metrics: { "NDCG@10": v },
      losses: { bpr: 0.5 },
      diagnostics: { g: v },
    }],
    steps: 2,
    trainSeconds: 1,
    evalSeconds: 1,
    interactionsPerSecond: 10,
  };
  return trialOutcome(report);
}

const [T1, T2, T3, T4] = [1, 2, 3, 4].map((i) => spec(`t${i}00000000000000`, i));

/** Every row of every table but meta, sorted: two stores with equal contents are equal. */
async function dump(path: string, experiment: string): Promise<unknown> {
  const s = await ResultStore.open(path, { mustExist: true });
  try {
    const trials = await s.trials(experiment);
    const keys = trials.map((t) => t.spec.key);
    return {
      trials: trials.map((t) => [t.spec.key, t.status, t.role, t.error]).sort(),
      valid: [...await s.metrics(keys, "valid")].sort(),
      test: [...await s.metrics(keys, "test")].sort(),
      curves: await Promise.all(keys.map((k) => s.curve(k))),
      tuning: await s.tuneEntries(experiment),
    };
  } finally {
    await s.close();
  }
}

function count(path: string, table: string): number {
  const db = new DatabaseSync(path);
  try {
    return Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

Deno.test("store copy: round trip without duplicates; done replaces pending/failed, never back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "copy_test_" });
  try {
    const a = join(dir, "laptop", "store.sqlite"), b = join(dir, "lab", "store.sqlite");
    const laptop = await ResultStore.open(a), lab = await ResultStore.open(b);
    const tuning = {
      entries: [{
        dataset: "synthetic",
        label: "CLCRec",
        config: 0,
        rung: 0,
        seed: 1,
        trial: T1.key,
        metric: "NDCG@10",
      }],
      specs: [],
    };
    // Laptop: T1 done (with a checkpoint), T2 failed, T3 done, T4 running; lab: T3 pending, T2 done.
    await laptop.register("exp", "exp.yaml", "", { on: "laptop" }, [T1, T2, T3, T4], false, tuning);
    for (let i = 0; i < 4; i++) await laptop.claim("exp");
    await laptop.complete(T1.key, outcome(0.4));
    await laptop.fail(T2.key, "boom");
    await laptop.complete(T3.key, outcome(0.3));
    await Deno.mkdir(join(dir, "laptop", "artifacts", T1.key), { recursive: true });
    await Deno.writeTextFile(laptop.checkpointPath(T1.key), "weights");
    await lab.register("exp", "exp.yaml", "", { on: "lab" }, [T2, T3]);
    await lab.claim("exp");
    await lab.complete(T2.key, outcome(0.9));
    const dry = await lab.copyFrom(a, { dryRun: true });
    assert.deepEqual([dry.trials, dry.replaced, dry.checkpoints], [2, 1, 1]);
    assert.equal((await lab.trials("exp")).length, 2);
    const first = await lab.copyFrom(a);
    assert.deepEqual({ ...first, doneKeys: first.doneKeys.sort() }, {
      experiments: 0, // the lab registered it later: its plan stays
      trials: 2, // T1 and T4
      replaced: 1, // T3: done on the laptop, pending in the lab
      links: 2,
      tuning: 1,
      doneKeys: [T1.key, T3.key],
      checkpoints: 1,
    });
    const s = Object.fromEntries((await lab.trials("exp")).map((t) => [t.spec.key, t.status]));
    // T2 stays done in the lab (never replaced by a failure); T4 arrives pending, its lease not.
    assert.deepEqual(s, {
      [T1.key]: "done",
      [T2.key]: "done",
      [T3.key]: "done",
      [T4.key]: "pending",
    });
    assert.equal((await lab.trials("exp")).find((t) => t.spec.key === T4.key)?.lease, undefined);
    assert.deepEqual(
      await lab.metrics([T3.key, T2.key], "valid"),
      new Map([[T3.key, { "NDCG@10": 0.3 }], [T2.key, { "NDCG@10": 0.9 }]]),
    );
    assert.deepEqual(await lab.curve(T1.key), outcome(0.4).report.curve);
    assert.equal(await Deno.readTextFile(lab.checkpointPath(T1.key)), "weights");
    assert.deepEqual(await lab.experimentPlan("exp"), { on: "lab" });
    // A second copy adds nothing, and no row is duplicated.
    const rows = ["trials", "curves", "metrics", "diagnostics", "experiment_trials", "tuning"]
      .map((t) => count(b, t));
    const again = await lab.copyFrom(a);
    assert.deepEqual([
      again.experiments,
      again.trials,
      again.replaced,
      again.links,
      again.tuning,
      again.checkpoints,
    ], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(
      ["trials", "curves", "metrics", "diagnostics", "experiment_trials", "tuning"].map((t) =>
        count(b, t)
      ),
      rows,
    );
    // Back to the laptop: T2 done replaces its failure; then both hold the same experiment.
    const back = await laptop.copyFrom(b);
    assert.deepEqual([back.trials, back.replaced, back.experiments], [0, 1, 1]);
    // T4 finishes on the laptop and replaces its pending copy: both hold the same experiment.
    await laptop.complete(T4.key, outcome(0.2));
    assert.equal((await lab.copyFrom(a)).replaced, 1);
    await laptop.close();
    await lab.close();
    assert.deepEqual(await dump(a, "exp"), await dump(b, "exp"));
    // One file is not copied into itself.
    const one = await ResultStore.open(a);
    try {
      await assert.rejects(() => one.copyFrom(a), StoreError);
    } finally {
      await one.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
