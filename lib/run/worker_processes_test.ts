import assert from "node:assert/strict";
import { UsageError } from "./errors.ts";
import { jobsOption, toolkitCommand } from "./worker_processes.ts";

Deno.test("jobsOption: a positive integer, capped at the cores", () => {
  assert.equal(jobsOption(undefined, 4), 1);
  assert.equal(jobsOption(" 3 ", 4), 3);
  assert.equal(jobsOption(2, 4), 2);
  assert.throws(
    () => jobsOption("1.5", 4),
    /--jobs: expected a positive integer \(worker processes, 1 to 4 here\), got "1\.5"/,
  );
  assert.throws(() => jobsOption(0, 4), UsageError);
});

Deno.test("toolkitCommand: this Deno on the toolkit's cli/main.ts with its deno.json", () => {
  const argv = toolkitCommand();
  const root = new URL("../../", import.meta.url).pathname;
  assert.deepEqual(argv, [
    Deno.execPath(),
    "run",
    "-A",
    "--config",
    `${root}deno.json`,
    `${root}cli/main.ts`,
  ]);
  for (const path of argv.slice(4)) assert.ok(Deno.statSync(path).isFile, path);
});
