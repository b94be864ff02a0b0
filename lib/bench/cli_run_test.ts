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
  // Measured in a process of its own: this one's other test files (`--parallel`) start and reap
  // children of their own, which its /proc/self/stat would count too.
  const spin = 'import p from "node:process"; while (p.cpuUsage().user < 600_000) {}';
  const measure = `
    import { timeCommand } from ${JSON.stringify(new URL("./cli_run.ts", import.meta.url).href)};
    const deno = Deno.execPath();
    // 0.6 s of a grandchild's own CPU time (however loaded the machine), waited for by the child.
    const waits = "await new Deno.Command(Deno.execPath(), { args: ['eval', " +
      ${JSON.stringify(JSON.stringify(spin))} + "] }).output()";
    const busy = await timeCommand([deno, "eval", waits]);
    const idle = await timeCommand([deno, "eval", "await new Promise((r) => setTimeout(r, 600))"]);
    console.log(JSON.stringify({ busy, idle }));`;
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", measure] }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const { busy, idle } = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(busy.code, 0);
  assert.ok(busy.cpuSeconds >= 0.5, `busy cpu ${busy.cpuSeconds}`);
  assert.ok(busy.cpuSeconds <= busy.seconds * navigator.hardwareConcurrency + 0.05);
  assert.ok(idle.cpuSeconds < 0.5, `idle cpu ${idle.cpuSeconds}`);
});
