/**
 * M2VAE through the checks every registered model passes (`../_conformance.ts`): training lowers
 * the loss, cold scores are finite and both protocols evaluate, scrambling the cold items'
 * held-out interactions changes nothing, no tensor leaks, and a cold item's ID row is never read.
 */
import { initTf } from "../../tf/mod.ts";
import { conformanceTests } from "../_conformance.ts";
import { SMALL } from "./_test_utils.ts";
import { m2vaeSpec } from "./model.ts";

await initTf();

conformanceTests(m2vaeSpec, SMALL, { itemTable: "item" });
