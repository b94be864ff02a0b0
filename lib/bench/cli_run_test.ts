import assert from "node:assert/strict";
import { timeCommand } from "./cli_run.ts";

Deno.test("timeCommand: the child's exit code, and a wall time", async () => {
  const r = await timeCommand([Deno.execPath(), "eval", "Deno.exit(3)"]);
  assert.equal(r.code, 3);
  assert.ok(r.seconds >= 0);
  assert.equal((await timeCommand([Deno.execPath(), "eval", "1"])).code, 0);
  await assert.rejects(timeCommand([]), /no program to run/);
});

Deno.test("timeCommand: the CPU time of a busy child and of the child it waits for", async () => {
  if (Deno.build.os !== "linux") return; // no /proc/self/stat to read it from
  // 0.6 s of the grandchild's own CPU time (however loaded the machine), waited for by the child.
  const spin = 'import p from "node:process"; while (p.cpuUsage().user < 600_000) {}';
  const child = `await new Deno.Command(Deno.execPath(), { args: ["eval", ${
    JSON.stringify(spin)
  }] }).output()`;
  const r = await timeCommand([Deno.execPath(), "eval", child]);
  assert.equal(r.code, 0);
  assert.ok(r.cpuSeconds !== undefined && r.cpuSeconds >= 0.5, `cpu ${r.cpuSeconds}`);
  assert.ok(r.cpuSeconds! <= r.seconds * navigator.hardwareConcurrency + 0.05);
  const idle = await timeCommand([
    Deno.execPath(),
    "eval",
    "await new Promise((r) => setTimeout(r, 600))",
  ]);
  assert.ok(idle.cpuSeconds! < 0.5, `idle cpu ${idle.cpuSeconds}`);
});
