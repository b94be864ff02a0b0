import assert from "node:assert/strict";
import { join } from "node:path";
import { storeWithFinishedTrial } from "../lib/store/_test_utils.ts";
import { figuresCommand } from "./figures_cmd.ts";

/** Options of a quick figures run (no model figures, SVG only) from `store` into `out`. */
function figuresOptions(dir: string, store: string, out: string) {
  return {
    store,
    out,
    png: false,
    models: false,
    map: "tsne",
    mapSeed: "0",
    mapItems: "300",
    cacheDir: join(dir, "cache"),
  };
}

Deno.test("figures: an unknown --experiment after a known one is one line, no file written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "figures_cmd_test_" });
  try {
    const store = join(dir, "store.sqlite"), out = join(dir, "figures");
    await storeWithFinishedTrial(store);
    const o = figuresOptions(dir, store, out);
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

Deno.test("figures: a later experiment's target that is a file is one line, the first one's figures not written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "figures_cmd_test_" });
  try {
    const store = join(dir, "store.sqlite"), out = join(dir, "figures");
    await storeWithFinishedTrial(store, "a");
    await storeWithFinishedTrial(store, "b");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "b"), "taken");
    const o = { ...figuresOptions(dir, store, out), experiment: ["a", "b"] };
    await assert.rejects(() => figuresCommand(o), /--out .*figures\/b: .* is a file, not a folder/);
    await assert.rejects(() => Deno.stat(join(out, "a")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
