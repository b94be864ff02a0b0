import assert from "node:assert/strict";
import { join } from "node:path";
import { RUN_DEFAULTS } from "../config/train_defaults.ts";
import { evaluate } from "../eval/mod.ts";
import { MODELS } from "../models/registry.ts";
import { decodeSafetensors } from "../nn/mod.ts";
import { ResultStore } from "../store/mod.ts";
import { initTf, tf } from "../tf/mod.ts";
import { readCheckpoint } from "./checkpoint.ts";
import { restoreTrialModel } from "./restore.ts";
import { runTrials } from "./scheduler.ts";
import type { TrialSpec } from "./trial.ts";

await initTf();

const trial: TrialSpec = {
  key: "0123456789abcdef",
  dataset: "tiny",
  datasetSpec: { kind: "synthetic", users: 120, items: 90, seed: 3 } as TrialSpec["datasetSpec"],
  model: "m2vae",
  label: "M2VAE",
  variant: "full",
  family: "ours",
  point: {},
  pointLabel: "",
  config: { ...MODELS.m2vae.defaults, dim: 16, decoderHidden: 16, attnHidden: 8, gateHidden: 8 },
  settings: { ...RUN_DEFAULTS, epochs: 2, batchSize: 256, patience: 0 },
  seed: 4,
};

Deno.test("a finished trial's kept checkpoint reloads into a model that reproduces its test metrics", async () => {
  const dir = await Deno.makeTempDir({ prefix: "checkpoint_test_" });
  const store = await ResultStore.open(join(dir, "store.sqlite"));
  try {
    await store.register("exp", "exp.yaml", "", {}, [trial]);
    await runTrials(store, { experiment: "exp", jobs: 1, codeVersion: "t", silent: true });
    const path = store.checkpointPath(trial.key);
    assert.equal(path, join(dir, "artifacts", trial.key, "checkpoint.safetensors"));
    // Plain safetensors: named float32 tensors with their shapes, the trial in the metadata.
    const raw = decodeSafetensors(await Deno.readFile(path));
    assert.deepEqual(raw.tensors.get("user")!.shape, [120, 16]);
    assert.equal(JSON.parse(raw.metadata.trial).key, trial.key);

    const before = tf.memory().numTensors;
    const { model, split } = await restoreTrialModel(await readCheckpoint(path));
    try {
      const test = await evaluate(model.scorer(), split, "test", "item2user");
      assert.deepEqual(test.metrics, (await store.metrics([trial.key], "test")).get(trial.key));
      const e =
        (model as unknown as { explain(u: number, i: number): { gates: Record<string, number> } })
          .explain(split.trainUsers[0], split.testItems[0]);
      const sum = Object.values(e.gates).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `gates sum to ${sum}`);
    } finally {
      model.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    // --no-checkpoints writes none.
    await Deno.remove(join(dir, "artifacts"), { recursive: true });
    await store.register("exp", "exp.yaml", "", {}, [trial], true);
    await runTrials(store, {
      experiment: "exp",
      jobs: 1,
      codeVersion: "t",
      silent: true,
      noCheckpoints: true,
    });
    await assert.rejects(() => readCheckpoint(path), /no checkpoint/);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
