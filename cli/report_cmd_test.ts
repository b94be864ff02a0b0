import assert from "node:assert/strict";
import { join } from "node:path";
import { storeWithFinishedTrial, trialSpec } from "../lib/store/_test_utils.ts";
import { ResultStore } from "../lib/store/mod.ts";
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

Deno.test("report without --experiment: an experiment with no finished trial is left out with a note, the others reported", async () => {
  const { dir, store } = await storeWithOneExperiment();
  const errors: string[] = [], error = console.error;
  try {
    // A second experiment whose only trial has not run.
    const s = await ResultStore.open(store);
    try {
      await s.register("open", "open.yaml", "", {}, [trialSpec("bbbb000000000002", 1)]);
    } finally {
      await s.close();
    }
    console.error = (...a: unknown[]) => void errors.push(a.join(" "));
    const printed = await stdoutOf(() =>
      reportCommand({ store, format: "md", cacheDir: join(dir, "cache") })
    );
    assert.ok(printed.some((l) => l.includes("Experiment done")), printed.join("\n"));
    assert.ok(errors.includes("note: open: no finished trial yet, left out"), errors.join("\n"));
    // Named, it is refused as before anything is printed.
    console.error = error;
    await assert.rejects(
      () => reportCommand({ store, format: "md", experiment: ["done", "open"], cacheDir: dir }),
      /^RangeError: Experiment "open" has no finished trial yet$/,
    );
  } finally {
    console.error = error;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report --out: only for html pages, not for tables or exports that print on stdout", async () => {
  for (const o of [{ format: "md" }, { format: "latex" }, { format: "md", export: "jsonl" }]) {
    await assert.rejects(
      () => reportCommand({ store: "none.sqlite", out: "somewhere", cacheDir: ".cache", ...o }),
      /^RangeError: --out: only with --format html/,
      JSON.stringify(o),
    );
  }
});

Deno.test("report --export: a layout or a table format beside it is refused, not ignored", async () => {
  const base = { store: "none.sqlite", cacheDir: ".cache", export: "csv" };
  await assert.rejects(
    () => reportCommand({ ...base, format: "latex" }),
    /^RangeError: --format: not with --export/,
  );
  await assert.rejects(
    () => reportCommand({ ...base, format: "md", layout: ["table4"] }),
    /^RangeError: --layout: not with --export/,
  );
});

Deno.test("report --format html: a later experiment's page that is a folder is one line, no page written", async () => {
  const { dir, store } = await storeWithOneExperiment();
  try {
    await storeWithFinishedTrial(store, "later");
    const out = join(dir, "html");
    await Deno.mkdir(join(out, "later.html"), { recursive: true });
    await assert.rejects(
      () =>
        reportCommand({
          store,
          experiment: ["done", "later"],
          format: "html",
          out,
          cacheDir: join(dir, "cache"),
        }),
      /--out .*later\.html: a folder is there, not a file/,
    );
    await assert.rejects(() => Deno.stat(join(out, "done.html")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
