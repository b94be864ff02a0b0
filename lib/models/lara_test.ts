import { conformanceTests } from "./_conformance.ts";
import { assertColdColumnAlone } from "./_test_utils.ts";
import { laraSpec } from "./lara.ts";

const cfg = { ...laraSpec.defaults, warmDim: 16, warmEpochs: 5, attrDim: 8, hidden: 16 };

Deno.test("LARA scores a cold item from its content alone, whatever else is scored", () =>
  assertColdColumnAlone(laraSpec, cfg, 1e-5));

conformanceTests(laraSpec, cfg, { term: "dMatch", lr: 1e-3 });
