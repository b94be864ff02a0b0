import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadExperiment } from "../config/experiment.ts";
import { ResultStore } from "../store/mod.ts";
import { initTf } from "../tf/mod.ts";
import { readTrainState, writeTrainState } from "../train/mod.ts";
import { endStatePath } from "./cap_continuation.ts";
import { planTrials } from "./plan.ts";
import { runTrials } from "./scheduler.ts";
import { lineageKey } from "./trial.ts";

const CONFIGS = fileURLToPath(new URL("../../configs", import.meta.url));
await initTf();

const yaml = (patience: number, lr: number) => `
name: cap_tiny
datasets:
  synthetic: { users: 150, items: 100, seed: 2 }
models:
  clcrec: { dim: 16, hidden: 32, attrDim: 16, negatives: 8 }
seeds: [1]
settings: { epochs: 2, patience: ${patience}, batchSize: 256, lr: ${lr} }
`;

/**
 * Runs the experiment at cap `epochs` into the store at `path` (`fromScratch`: as `run --fresh`
 * does); the trial's stored record.
 */
async function runAt(dir: string, path: string, epochs: number, text: string, fromScratch = false) {
  const file = join(dir, "exp.yaml");
  await Deno.writeTextFile(file, text);
  const plan = await loadExperiment(file, {
    configsDir: CONFIGS,
    dataRoot: dir,
    overrides: [`settings.epochs=${epochs}`],
  });
  const [spec] = planTrials(plan);
  const store = await ResultStore.open(path);
  try {
    await store.register(plan.name, plan.file, "", plan, [spec], false);
    await runTrials(store, {
      experiment: plan.name,
      jobs: 1,
      codeVersion: "t",
      silent: true,
      fromScratch,
    });
    const [info] = await store.trials(plan.name);
    return {
      spec,
      info,
      curve: (await store.curve(spec.key)).map((p) => p.metrics),
      valid: (await store.metrics([spec.key], "valid")).get(spec.key)!,
      test: (await store.metrics([spec.key], "test")).get(spec.key)!,
      dir: store.artifactDir(spec.key),
    };
  } finally {
    await store.close();
  }
}

Deno.test("lineageKey: the same for every epoch cap, different for any other setting", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cap_test_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(file, yaml(0, 3e-3));
    const at = async (...overrides: string[]) =>
      planTrials(await loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir, overrides }))[0];
    const [a, b, c, d] = [
      await at(),
      await at("settings.epochs=9"),
      await at("settings.patience=2"),
      await at("settings.evalEvery=3"),
    ];
    assert.notEqual(a.key, b.key);
    assert.equal(lineageKey(a), lineageKey(b));
    assert.notEqual(lineageKey(a), lineageKey(c));
    assert.equal(lineageKey(d), undefined, "a mid-epoch validation cannot continue by epochs");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a raised epoch cap continues the stored run: same numbers as a straight run, the earlier seconds counted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cap_test_" });
  try {
    const text = yaml(0, 3e-3);
    const straight = await runAt(dir, join(dir, "straight.sqlite"), 4, text);
    const path = join(dir, "store.sqlite");
    const short = await runAt(dir, path, 2, text);
    // It reached its cap: its whole state is kept for a larger one.
    const saved = (await readTrainState(endStatePath(short.dir)))!;
    assert.equal(saved.epoch, 2);
    assert.equal(saved.stopped, false);
    assert.ok(saved.params.size > 0 && saved.optimizer.moments.size > 0);

    const raised = await runAt(dir, path, 4, text);
    assert.notEqual(raised.spec.key, short.spec.key);
    assert.deepEqual(raised.curve, straight.curve);
    assert.deepEqual([raised.valid, raised.test], [straight.valid, straight.test]);
    assert.deepEqual(raised.curve.slice(0, 3), short.curve);
    assert.ok(raised.info.trainSeconds! >= short.info.trainSeconds!, "the earlier run is counted");

    // It read the saved state: a state whose kept score no epoch beats is what it reports.
    await writeTrainState(endStatePath(short.dir), {
      ...saved,
      best: { ...saved.best, "NDCG@10": 2 },
    });
    const other = await runAt(dir, join(dir, "store.sqlite"), 3, text);
    assert.equal(other.valid["NDCG@10"], 2);
    // From scratch (`run --fresh`) it reads no stored run: its own epochs, not a tampered score.
    const longest = (await readTrainState(endStatePath(raised.dir)))!;
    await writeTrainState(endStatePath(raised.dir), {
      ...longest,
      best: { ...longest.best, "NDCG@10": 2 },
    });
    const fresh = await runAt(dir, join(dir, "store.sqlite"), 5, text, true);
    assert.deepEqual(fresh.curve.slice(0, 5), straight.curve);
    assert.notEqual(fresh.valid["NDCG@10"], 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run that stopped on patience answers any larger cap without training", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cap_test_" });
  try {
    // A learning rate this large overfits the tiny set at once: validation falls, patience stops.
    const text = yaml(1, 0.3);
    const path = join(dir, "store.sqlite");
    const first = await runAt(dir, path, 12, text);
    const saved = (await readTrainState(endStatePath(first.dir)))!;
    assert.equal(saved.stopped, true, `stopped at epoch ${saved.epoch} of 12`);
    assert.ok(saved.epoch < 12);
    assert.equal(saved.params.size, 0, "a stopped run keeps only its kept parameters");
    assert.ok(saved.bestParams.size > 0);

    const raised = await runAt(dir, path, 30, text);
    assert.deepEqual(
      [raised.curve, raised.valid, raised.test, raised.info.bestStep, raised.info.steps],
      [first.curve, first.valid, first.test, first.info.bestStep, first.info.steps],
    );
    const straight = await runAt(dir, join(dir, "straight.sqlite"), 30, text);
    assert.deepEqual([straight.curve, straight.test], [raised.curve, raised.test]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
