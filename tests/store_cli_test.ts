/**
 * `store copy` and `status` through the command line: a copy merges a store into another and a
 * second copy adds nothing; status shows the trials by state with the running one's host and
 * lease; a missing FROM is one line and creates no TO.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RUN_DEFAULTS } from "../lib/config/train_defaults.ts";
import { ResultStore } from "../lib/store/mod.ts";
import type { TrialSpec } from "../lib/store/trial_spec.ts";
import { cli as run } from "./_cli.ts";

const cli = (args: string[]) => run(...args);

const spec = (i: number): TrialSpec => ({
  key: `c${i}`.padEnd(16, "0"),
  dataset: "synthetic",
  datasetSpec: { kind: "synthetic" } as TrialSpec["datasetSpec"],
  model: "random",
  label: "Random",
  variant: "full",
  family: "sanity",
  point: {},
  pointLabel: "",
  config: {},
  settings: { ...RUN_DEFAULTS, epochs: 1 },
  seed: i,
});

Deno.test("store copy FROM TO, twice; status of the copy", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_cli_test_" });
  try {
    const from = join(dir, "laptop.sqlite"), to = join(dir, "lab", "store.sqlite");
    const s = await ResultStore.open(from, { worker: "laptop:1" });
    await s.register("exp", "exp.yaml", "", {}, [1, 2, 3].map(spec));
    await s.claim("exp");
    await s.fail((await s.claim("exp"))!.key, "out of memory");
    await s.close();
    const missing = await cli(["store", "copy", join(dir, "none.sqlite"), to]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr.trim(), /none\.sqlite: no result store here/);
    await assert.rejects(() => Deno.stat(to), Deno.errors.NotFound);
    const first = await cli(["store", "copy", from, to]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /: 3 trial\(s\) added, 0 replaced .* 1 experiment\(s\) added/);
    const second = await cli(["store", "copy", from, to]);
    assert.match(
      second.stdout,
      /: 0 trial\(s\) added, 0 replaced .* 0 experiment\(s\) .*, 0 link\(s\), 0 tuning/,
    );
    // In the laptop's store the first trial runs; in the lab's copy it waits.
    const here = await cli(["status", "--store", from]);
    assert.equal(here.code, 0, here.stderr);
    assert.match(here.stdout, /trials: 1 pending, 1 running, 0 done, 1 failed/);
    assert.match(
      here.stdout,
      /running:\n {4}c1\S* synthetic Random seed 1 on \S+ \(worker laptop:1\), for \d+s; lease renewed \d+s ago, expires in 4m\d\ds/,
    );
    assert.match(here.stdout, /failed:\n {4}c2\S* synthetic Random seed 2: out of memory/);
    const there = await cli(["status", "--store", to, "--experiment", "exp", "--format", "json"]);
    const [st] = JSON.parse(there.stdout);
    assert.deepEqual(st.results, { pending: 2, running: 0, done: 0, failed: 1 });
    const bad = await cli(["status", "--store", to, "--experiment", "nope"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr.trim(), /^error: No experiment "nope"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("store prune STORE: a leftover training state goes, dry run first; usage mistakes are one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_prune_test_" });
  try {
    const path = join(dir, "store.sqlite");
    const s = await ResultStore.open(path);
    await s.register("exp", "exp.yaml", "", {}, [spec(1)]);
    const left = s.statePath(spec(1).key);
    await s.close();
    await Deno.mkdir(join(left, ".."), { recursive: true });
    await Deno.writeFile(left, new Uint8Array(3 << 20));
    const dry = await cli(["store", "prune", path, "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /^dry run, nothing removed: would prune \S+store\.sqlite: 1 training state\(s\) no rung will continue, 3\.0 MiB, over its 1 trial\(s\) in \S+artifacts; checkpoints kept/,
    );
    await Deno.stat(left);
    const done = await cli(["store", "prune", path, "--end-states"]);
    assert.match(done.stdout, /^pruned .*: 1 training state\(s\) .*, 0 end state\(s\) of runs/);
    await assert.rejects(() => Deno.stat(left), Deno.errors.NotFound);
    // No finished trial: nothing to rank again.
    const queries = await cli(["store", "queries", path]);
    assert.equal(queries.code, 0, queries.stderr);
    assert.match(
      queries.stdout,
      /^ranked again 0 trial\(s\) of \S+store\.sqlite .*; 0 had them, 0 have no checkpoint/,
    );
    const cases: [string[], RegExp][] = [
      [["store", "prune", path, "other.sqlite"], /^error: store prune: one store only/],
      [["store", "copy", path], /^error: store copy: name the store to copy into \(TO\)$/],
      [["store", "copy", path, join(dir, "b.sqlite"), "--end-states"], /only with store prune/],
      [["store", "prune", join(dir, "none.sqlite")], /none\.sqlite: no result store here/],
      [["store", "queries", path, "other.sqlite"], /^error: store queries: one store only/],
      [["store", "queries", path, "--end-states"], /^error: --end-states: only with store prune$/],
      [["store", "queries", join(dir, "none.sqlite")], /none\.sqlite: no result store here/],
    ];
    for (const [args, line] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 1, args.join(" "));
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr.trim(), line);
    }
    await assert.rejects(() => Deno.stat(join(dir, "b.sqlite")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
