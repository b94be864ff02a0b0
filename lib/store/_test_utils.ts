/**
 * Test support for the store tests: a trial spec and a finished trial's outcome with the values
 * every store test uses, each test changing only what it is about.
 *
 * @example Usage
 * ```ts
 * import { curveReport, trialOutcome, trialSpec } from "./_test_utils.ts";
 *
 * const spec = trialSpec("aaaa000000000001", 2, { dataset: "lastfm" });
 * const done = trialOutcome(curveReport(0.4, { "NDCG@10": 0.3 }));
 * ```
 *
 * @module
 */
import { RUN_DEFAULTS } from "../train/settings.ts";
import type { TrainReport } from "../train/trainer.ts";
import type { TrialOutcome } from "./result_store.ts";
import { ResultStore } from "./store.ts";
import type { TrialSpec } from "./trial_spec.ts";

/** A CLCRec trial on the synthetic set at search point `alpha = 10·seed`, with `over` applied. */
export function trialSpec(key: string, seed: number, over: Partial<TrialSpec> = {}): TrialSpec {
  return {
    key,
    dataset: "synthetic",
    datasetSpec: { kind: "synthetic" } as TrialSpec["datasetSpec"],
    model: "clcrec",
    label: "CLCRec",
    variant: "full",
    family: "contrastive",
    point: { alpha: [seed * 10] },
    pointLabel: `alpha=${seed * 10}`,
    config: { dim: 8, tau: 0.5 },
    settings: { ...RUN_DEFAULTS, epochs: 2 },
    seed,
    ...over,
  };
}

/**
 * A training report of two validation points (steps 10 and 20, the best at 20 with `valid`'s
 * NDCG@10), the test metrics `test`, and the points' diagnostics (none where undefined).
 */
export function curveReport(
  valid: number,
  test: Record<string, number>,
  diagnostics: [Record<string, number> | undefined, Record<string, number> | undefined] = [
    undefined,
    { "gates.sdUsers": 0.125 },
  ],
): TrainReport {
  const point = (step: number, ndcg: number, bpr: number, d?: Record<string, number>) => ({
    step,
    epoch: step / 10,
    metrics: { "NDCG@10": ndcg },
    losses: { bpr },
    ...(d ? { diagnostics: d } : {}),
  });
  return {
    bestStep: 20,
    valid: { "NDCG@10": valid, "HR@10": valid / 2 },
    test,
    curve: [point(10, valid / 2, 0.7, diagnostics[0]), point(20, valid, 0.5, diagnostics[1])],
    steps: 20,
    trainSeconds: 1.5,
    evalSeconds: 0.25,
    interactionsPerSecond: 1000,
  };
}

/** A finished trial's outcome: `report` with the same provenance in every test. */
export function trialOutcome(report: TrainReport): TrialOutcome {
  return {
    protocol: "item2user",
    datasetFingerprint: "ds-fp",
    split: { description: "item split", fingerprint: "split-fp" },
    toolkitVersion: "0.0.0",
    codeVersion: "abc1234",
    backend: "cpu",
    parameters: 1234,
    setupSeconds: 0.5,
    report,
  };
}

/**
 * Writes a result store at `path` holding one experiment, `name`, with one finished trial (the
 * {@linkcode trialSpec} of key `aaaa000000000001`, seed 1): what a command needs to report.
 */
export async function storeWithFinishedTrial(path: string, name = "done"): Promise<void> {
  const s = await ResultStore.open(path);
  try {
    const spec = trialSpec("aaaa000000000001", 1);
    await s.register(name, `${name}.yaml`, "", {}, [spec]);
    await s.claim(name);
    await s.complete(spec.key, trialOutcome(curveReport(0.4, { "NDCG@10": 0.3 })));
  } finally {
    await s.close();
  }
}
