/**
 * The analysis tests' experiment: a tiny synthetic set, Random, M2VAE and M2VAE w/o DCL over a
 * 2 × 2 grid, two seeds, one epoch each, run once per test process into a temporary store
 * (with the kept checkpoints beside it).
 *
 * @module
 */
import { join } from "node:path";
import { loadExperiment } from "../config/mod.ts";
import { codeVersion, planTrials, runTrials } from "../run/mod.ts";
import { ResultStore } from "../store/mod.ts";
import { initTf } from "../tf/mod.ts";

const SMALL = "{ dim: 16, decoderHidden: 16, attnHidden: 8, gateHidden: 8 }";

/** The experiment file's text. */
export const TINY_EXPERIMENT = `
name: tiny
datasets:
  synthetic: { users: 120, items: 90, seed: 3 }
models:
  random: {}
  m2vae: ${SMALL}
  "m2vae (w/o DCL)": ${SMALL}
search:
  method: grid
  space:
    m2vae.beta: [0.1, 0.5]
    m2vae.tauGate: [0.2, 0.5]
seeds: [1, 2]
settings: { epochs: 1, batchSize: 256, patience: 0, evalEvery: 5 }
`;

let built: Promise<{ dir: string; storePath: string }> | undefined;

/** Runs the tiny experiment once per process; returns its folder and store path. */
export function tinyStore(): Promise<{ dir: string; storePath: string }> {
  built ??= (async () => {
    await initTf();
    const dir = await Deno.makeTempDir({ prefix: "analysis_test_" });
    const file = join(dir, "tiny.yaml");
    await Deno.writeTextFile(file, TINY_EXPERIMENT);
    const plan = await loadExperiment(file);
    const storePath = join(dir, "store.sqlite");
    const store = await ResultStore.open(storePath);
    try {
      await store.register(plan.name, plan.file, plan.description, plan, planTrials(plan));
      await runTrials(store, {
        experiment: plan.name,
        jobs: 1,
        codeVersion: await codeVersion(),
        silent: true,
      });
    } finally {
      await store.close();
    }
    return { dir, storePath };
  })();
  return built;
}
