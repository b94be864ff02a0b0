import assert from "node:assert/strict";
import { formatDuration, progressBar, stepEta, writeStderr } from "./progress.ts";

Deno.test("formatDuration rounds before it splits: never 1m60s or 59m60s", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(12.4), "12s");
  assert.equal(formatDuration(59.6), "1m00s");
  assert.equal(formatDuration(119.6), "2m00s");
  assert.equal(formatDuration(245), "4m05s");
  assert.equal(formatDuration(3599.4), "59m59s");
  assert.equal(formatDuration(3599.6), "1h00m");
  assert.equal(formatDuration(3600 + 59.5 * 60), "2h00m");
  assert.equal(formatDuration(3720), "1h02m");
  assert.equal(formatDuration(NaN), "?");
  assert.equal(formatDuration(Infinity), "?");
  assert.equal(formatDuration(-1), "?");
});

Deno.test("stepEta: unknown during the warm-up, then the step rate since it ended", () => {
  assert.ok(Number.isNaN(stepEta(2, 100, undefined, 5000)));
  const warm = { done: 3, at: 60_000 }; // a slow first minute (setup, compilation)
  assert.ok(Number.isNaN(stepEta(3, 100, warm, 60_000)));
  // 10 steps in 10 s after the warm-up: 1 s per step, 87 steps left.
  assert.equal(stepEta(13, 100, warm, 70_000), 87);
  assert.equal(stepEta(100, 100, warm, 90_000), 0);
});

Deno.test("progressBar: the first ETA does not count a slow warm-up", () => {
  let t = 0;
  const out: string[] = [];
  const bar = progressBar({
    label: "m",
    total: 50,
    tty: true,
    write: (s) => out.push(s),
    now: () => t,
  });
  t = 60_000; // the first step took a minute
  bar.update(1);
  assert.match(out.at(-1)!, /1\/50 1m00s eta \?/);
  for (let s = 2; s <= 3; s++) bar.update(s);
  for (let s = 4; s <= 10; s++) {
    t += 1000;
    bar.update(s);
  }
  // 7 steps in 7 s since the warm-up: 40 steps left at 1 s each.
  assert.match(out.at(-1)!, /10\/50 1m07s eta 40s/);
});

Deno.test("progressBar in a log: a line at most every few seconds, and the last step", () => {
  let t = 0;
  const out: string[] = [];
  const bar = progressBar({
    label: "m",
    total: 200,
    tty: false,
    logSeconds: 5,
    write: (s) => out.push(s),
    now: () => t,
  });
  for (let s = 1; s <= 200; s++) {
    t += 100; // 0.1 s per step: 20 s in all
    bar.update(s, `loss ${s}`);
    if (s === 120) bar.note("  step 120: valid NDCG@10 0.1");
  }
  const lines = out.join("").trimEnd().split("\n");
  const steps = lines.filter((l) => l.startsWith("m [")).map((l) =>
    Number(/ (\d+)\/200/.exec(l)![1])
  );
  assert.deepEqual(steps, [1, 51, 101, 151, 200]);
  assert.ok(lines.includes("  step 120: valid NDCG@10 0.1"));
  // logEvery stays a minimum number of steps between lines.
  out.length = 0;
  t = 0;
  const sparse = progressBar({
    label: "m",
    total: 10,
    tty: false,
    logSeconds: 0,
    logEvery: 4,
    write: (s) => out.push(s),
    now: () => t,
  });
  for (let s = 1; s <= 10; s++) sparse.update(s);
  assert.deepEqual(out.map((l) => Number(/ (\d+)\/10/.exec(l)![1])), [4, 8, 10]);
});

Deno.test("writeStderr: a stderr nobody reads drops the text instead of failing the trial", async () => {
  // A child writes progress to a stderr pipe its parent has closed (a killed coordinator).
  const module = new URL("./progress.ts", import.meta.url).href;
  const code = `
    const { writeStderr } = await import(${JSON.stringify(module)});
    let dropped = 0;
    for (let i = 0; i < 400 && dropped < 3; i++) {
      if (!writeStderr("x".repeat(4096) + "\\n")) dropped++;
      await new Promise((r) => setTimeout(r, 2));
    }
    await Deno.stdout.write(new TextEncoder().encode("dropped " + dropped));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "piped",
    // A read end left open would block the child once the pipe is full: fail, do not hang.
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  await child.stderr.cancel();
  const out = await child.output();
  assert.equal(new TextDecoder().decode(out.stdout), "dropped 3");
  assert.equal(out.code, 0);
});

Deno.test("writeStderr: writes every byte of a partial write; other errors still throw", () => {
  const got: number[] = [];
  const slow = {
    writeSync: (b: Uint8Array) => {
      got.push(b[0]);
      return 1;
    },
  };
  assert.equal(writeStderr("abc", slow), true);
  assert.deepEqual(got, [97, 98, 99]);
  const full = {
    writeSync: (): number => {
      throw new Error("disk full");
    },
  };
  assert.throws(() => writeStderr("a", full), /disk full/);
});
