/**
 * Test support (`conformance_test.ts`): a worker process that claims trials of an experiment
 * from a store until none is pending, "runs" each (a short wait), completes it, and prints the
 * key of every trial it ran, one a line. `deno run -A _claim_worker.ts STORE EXPERIMENT`.
 *
 * @module
 */
import { ResultStore } from "./store.ts";

const [path, experiment] = Deno.args;
const store = await ResultStore.open(path, { mustExist: true });
try {
  for (let t; (t = await store.claim(experiment));) {
    console.log(t.key);
    await new Promise((r) => setTimeout(r, 20));
    await store.complete(t.key, {
      protocol: "item2user",
      datasetFingerprint: "ds",
      split: { description: "split", fingerprint: "sp" },
      toolkitVersion: "0",
      codeVersion: "0",
      backend: "cpu",
      parameters: 1,
      setupSeconds: 0,
      report: {
        bestStep: 1,
        valid: { "NDCG@10": t.seed },
        test: { "NDCG@10": t.seed },
        curve: [],
        steps: 1,
        trainSeconds: 0,
        evalSeconds: 0,
        interactionsPerSecond: 0,
      },
    });
  }
} finally {
  await store.close();
}
