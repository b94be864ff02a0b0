import assert from "node:assert/strict";
import { RUN_DEFAULTS } from "../config/train_defaults.ts";
import { MODELS } from "../models/registry.ts";
import { initTf, tf } from "../tf/mod.ts";
import { decodeTrainState, encodeTrainState, type TrainState } from "../train/mod.ts";
import { executeTrial } from "./execute.ts";
import type { TrialSpec } from "./plan.ts";

await initTf();

const datasetSpec = { kind: "synthetic", users: 120, items: 90, seed: 3 } as const;

function trial(model: string, epochs: number): TrialSpec {
  return {
    key: `${model}-${epochs}`,
    dataset: "tiny",
    datasetSpec: datasetSpec as unknown as TrialSpec["datasetSpec"],
    model,
    label: model,
    variant: "full",
    family: MODELS[model].family,
    point: {},
    pointLabel: "",
    config: { ...MODELS[model].defaults },
    settings: { ...RUN_DEFAULTS, epochs, batchSize: 256, patience: 0, lr: 3e-3 },
    seed: 5,
  };
}

const ctx = { codeVersion: "test", silent: true };

// Continuing a saved run must equal training straight through, for every model that trains:
// tuning rungs continue from the previous rung's state instead of starting over.
for (const name of Object.keys(MODELS)) {
  // The reference rows (floors, planted ceilings) have nothing to train, hence no state.
  if (MODELS[name].family === "sanity" || MODELS[name].family === "oracle") continue;
  Deno.test(`${name}: a run continued from its saved state equals the straight run`, async () => {
    const straight = await executeTrial(trial(name, 3), ctx);
    let saved: TrainState | undefined;
    const short = await executeTrial(trial(name, 1), ctx, {
      save: (st) => Promise.resolve(void (saved = st)),
    });
    assert.ok(saved, "the short run saved its state");
    assert.equal(saved.epoch, 1);
    const before = tf.memory().numTensors;
    const resumed = await executeTrial(trial(name, 3), ctx, {
      resume: decodeTrainState(encodeTrainState(saved)),
    });
    assert.equal(tf.memory().numTensors, before, "continuing leaks no tensor");
    const a = straight.report, b = resumed.report;
    assert.deepEqual(b.curve.map((p) => p.losses), a.curve.map((p) => p.losses));
    assert.deepEqual(b.curve.map((p) => p.metrics), a.curve.map((p) => p.metrics));
    assert.deepEqual([b.bestStep, b.steps, b.test], [a.bestStep, a.steps, a.test]);
    // The short run is the straight run's first epoch, and training moved the parameters.
    assert.deepEqual(
      short.report.curve.map((p) => p.metrics),
      a.curve.slice(0, 2).map((p) => p.metrics),
    );
    assert.ok(b.curve.length === 4 && b.steps > saved.steps);
  });
}
