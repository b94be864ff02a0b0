import assert from "node:assert/strict";
import { timeCommand } from "./cli_run.ts";

Deno.test("timeCommand: the child's exit code, and a wall time", async () => {
  const r = await timeCommand([Deno.execPath(), "eval", "Deno.exit(3)"]);
  assert.equal(r.code, 3);
  assert.ok(r.seconds >= 0);
  assert.equal((await timeCommand([Deno.execPath(), "eval", "1"])).code, 0);
  await assert.rejects(timeCommand([]), /no program to run/);
});
