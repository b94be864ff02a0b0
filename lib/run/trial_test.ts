import assert from "node:assert/strict";
import { BUILTIN_MODEL_NAMES, modelInfo } from "../models/catalog.ts";
import type { RunSettings } from "../train/settings.ts";
import { trialKey } from "./trial.ts";

/**
 * The store keys of every built-in model's defaults on one fixed trial. A result store finds
 * its trials again by these keys, so a config key added to a model must keep them (list it in
 * the model's `neutralConfig` at the value that reproduces the old behaviour); a change that
 * really changes a default changes its model's key here on purpose.
 */
const PINNED: Record<string, string> = {
  random: "6723d23f7f4f0f9d",
  popularity: "6da4eea71ae332a2",
  clcrec: "1f8cffbbeea5d318",
  ccfcrec: "0ab5348672e011c7",
  "pad-clrec": "53dd4932228a5774", // CLCRec's encoder slope, mixing and regulariser (fidelity fix)
  m2vae: "4e02e6d6b03a9b72", // the BPR on e_i (idBprWeight 1) became the default (chosen on validation)
  cvae: "53a7b136da842827",
  vmose: "5fb79d0efa04909a",
  cvar: "25a646ace05bf600",
  gorec: "cc0b7526abdb79ad",
  gar: "456dba936b67e2b1",
  dropoutnet: "038539a3d6b7f19a",
  mtpr: "b56654b2b55286aa",
  lara: "519db1f0211341c5",
  mvgae: "a16953a513d2e8a7",
  mvdgae: "7af0649bfa784deb",
  oracle: "5c3d56c91097dfbe",
};

Deno.test("trialKey: adding config keys keeps the keys of stored default trials", () => {
  const settings = { epochs: 10, batchSize: 1024, lr: 1e-3, weightDecay: 0, patience: 3 };
  for (const model of BUILTIN_MODEL_NAMES) {
    const key = trialKey({
      dataset: "synthetic",
      written: {},
      model,
      config: modelInfo(model).defaults,
      settings: settings as unknown as RunSettings,
      seed: 1,
    });
    assert.equal(
      key,
      PINNED[model],
      `${model}: its default trial's store key changed (a new config key needs a neutralConfig value)`,
    );
  }
});
