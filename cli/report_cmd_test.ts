import assert from "node:assert/strict";
import { join } from "node:path";
import { storeWithFinishedTrial } from "../lib/store/_test_utils.ts";
import { reportCommand } from "./report_cmd.ts";

/** A store in a new folder with one finished experiment, "done". */
async function storeWithOneExperiment(): Promise<{ dir: string; store: string }> {
  const dir = await Deno.makeTempDir({ prefix: "report_cmd_test_" });
  const store = join(dir, "store.sqlite");
  await storeWithFinishedTrial(store);
  return { dir, store };
}

/** What `fn` printed on stdout. */
async function stdoutOf(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [], log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("report: an unknown --experiment after a known one is one line, nothing printed or written", async () => {
  const { dir, store } = await storeWithOneExperiment();
  try {
    const base = { store, experiment: ["done", "nosuch"], cacheDir: join(dir, "cache") };
    const out = join(dir, "html");
    for (
      const o of [{ format: "html", out }, { format: "md" }, { format: "md", export: "jsonl" }]
    ) {
      let error: unknown;
      const printed = await stdoutOf(() =>
        reportCommand({ ...base, ...o }).catch((e) => (error = e))
      );
      assert.ok(error instanceof RangeError, `${JSON.stringify(o)}: ${error}`);
      assert.match(error.message, /^No experiment "nosuch" in .* \(stored: "done"\)$/);
      assert.deepEqual(printed, [], JSON.stringify(o));
    }
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    // The known one alone is reported.
    const rows = await stdoutOf(() =>
      reportCommand({ ...base, experiment: ["done"], format: "md", export: "jsonl" })
    );
    assert.equal(rows.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
