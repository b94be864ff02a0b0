import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadExperiment } from "../config/experiment.ts";
import { planTrials } from "./plan.ts";
import { loadWithProgress } from "./load_progress.ts";
import { validateExperiment } from "./validate.ts";

const CONFIGS = fileURLToPath(new URL("../../configs", import.meta.url));

Deno.test("loading a dataset says on a terminal when it starts and what the split holds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "load_progress_test_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(
      file,
      "datasets:\n  synthetic: { users: 1200, items: 300, seed: 3 }\nmodels: [random]\nseeds: [1]\n",
    );
    const plan = await loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir });
    const trials = planTrials(plan);
    const lines: string[] = [];
    const terminal = { write: (t: string) => void lines.push(t), tty: true };
    const { ds, split } = await loadWithProgress(trials[0], terminal);
    assert.equal(lines.length, 2, lines.join(""));
    assert.equal(lines[0], "synthetic: loading (synthetic)...\x1b[K");
    const parts = [split.trainItems, split.validItems, split.testItems].map((p) => p.length);
    assert.match(
      lines[1],
      new RegExp(
        `^\\rsynthetic: loaded 1,200 users × 300 items, ` +
          `${ds.interactions.users.length.toLocaleString("en-US")} interactions in \\d+\\.\\d s; ` +
          `split 70/15/15: ${parts.join("/")} items in \\d+\\.\\d s\\x1b\\[K\\n$`,
      ),
    );
    assert.ok(ds.interactions.users.length >= 1000, "the count has a thousands separator");
    // The experiment check before a run writes the same two lines per dataset.
    const checked: string[] = [];
    await validateExperiment(plan, trials, [], {
      progress: { write: (t) => void checked.push(t), tty: true },
    });
    assert.equal(checked[0], lines[0]);
    assert.match(checked[1], /^\rsynthetic: loaded 1,200 users × 300 items, .* split 70\/15\/15: /);
    // In a log a quick load says nothing, so a command failing after it still says one line.
    const log: string[] = [];
    await loadWithProgress(trials[0], { write: (t) => void log.push(t), tty: false });
    assert.deepEqual(log, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
