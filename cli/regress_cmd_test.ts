import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../lib/run/mod.ts";
import { checkExpectedTarget, regressCommand } from "./regress_cmd.ts";

Deno.test("regress --update: an --expected it cannot write is one line naming it, before anything runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "regress_cmd_test_" });
  try {
    const file = join(dir, "a.json");
    await Deno.writeTextFile(file, "{}");
    const bad: [string, RegExp][] = [
      [join(dir, "none", "e.json"), /its folder .*none does not exist$/],
      [join(file, "e.json"), /a\.json is a file, not a folder$/],
      [dir, /: a folder, not a file/],
    ];
    for (const [path, why] of bad) {
      await assert.rejects(() => checkExpectedTarget(path), (e: Error) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.ok(e.message.startsWith(`--expected ${path}: `), e.message);
        assert.match(e.message, why);
        return true;
      });
      // Checked before the experiment is even read: a missing one is not what is reported.
      await assert.rejects(
        () =>
          regressCommand({ experiment: join(dir, "missing.yaml"), expected: path, update: true }),
        (e: Error) => e.message.startsWith(`--expected ${path}: `),
      );
    }
    // A new file in an existing folder, or an existing file, is fine; nothing is left behind.
    await checkExpectedTarget(join(dir, "new.json"));
    await checkExpectedTarget(file);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
