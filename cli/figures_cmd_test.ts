import assert from "node:assert/strict";
import { join } from "node:path";
import { curveReport, trialOutcome, trialSpec } from "../lib/store/_test_utils.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { figuresCommand } from "./figures_cmd.ts";

Deno.test("figures: an unknown --experiment after a known one is one line, no file written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "figures_cmd_test_" });
  try {
    const store = join(dir, "store.sqlite"), out = join(dir, "figures");
    const s = await ResultStore.open(store);
    try {
      const spec = trialSpec("aaaa000000000001", 1);
      await s.register("done", "done.yaml", "", {}, [spec]);
      await s.claim("done");
      await s.complete(spec.key, trialOutcome(curveReport(0.4, { "NDCG@10": 0.3 })));
    } finally {
      await s.close();
    }
    const o = {
      store,
      out,
      png: false,
      models: false,
      map: "tsne",
      mapSeed: "0",
      mapItems: "300",
      cacheDir: join(dir, "cache"),
    };
    await assert.rejects(
      () => figuresCommand({ ...o, experiment: ["done", "nosuch"] }),
      /^RangeError: No experiment "nosuch" in .* \(stored: "done"\)$/,
    );
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    // The known one alone has its figures.
    assert.equal(await figuresCommand({ ...o, experiment: ["done"] }), 0);
    assert.ok((await Deno.stat(join(out, "captions.md"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
