import assert from "node:assert/strict";
import { readYamlFile } from "../config/yaml_file.ts";
import { initTf } from "../tf/mod.ts";
import { ccfcrecSpec } from "./ccfcrec.ts";
import { conformanceTests } from "./_conformance.ts";
import { assertSameLossesThroughMatmul } from "./_test_utils.ts";

await initTf();
const cfg = { ...ccfcrecSpec.defaults, dim: 16, cp: 3, cn: 8 };

Deno.test("configs/models/ccfcrec.yaml holds exactly the defaults", async () => {
  const url = new URL("../../configs/models/ccfcrec.yaml", import.meta.url);
  const { tune: _tune, ...file } = await readYamlFile(url.pathname) as Record<string, unknown>;
  assert.deepEqual(file, { ...ccfcrecSpec.defaults });
});

conformanceTests(ccfcrecSpec, cfg, { itemTable: "item" });

Deno.test("CCFCRec: a few steps' losses are the same through the matMul scores and the row dots", () =>
  assertSameLossesThroughMatmul(ccfcrecSpec, cfg, ["loss", "co", "self"]));
