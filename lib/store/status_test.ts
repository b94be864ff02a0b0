import assert from "node:assert/strict";
import { join } from "node:path";
import { experimentStatus, renderStatus } from "./status.ts";
import { ResultStore } from "./store.ts";
import type { TrialSpec } from "./trial_spec.ts";
import { trialSpec } from "./_test_utils.ts";

const spec = (i: number): TrialSpec =>
  trialSpec(`s${i}000000000000000`.slice(0, 16), i, {
    point: { lr: [i] },
    pointLabel: `lr=${i}`,
    config: {},
  });

Deno.test("status: trials by state, running ones with host and lease age, failures, tuning apart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "status_test_" });
  const store = await ResultStore.open(join(dir, "s.sqlite"), { leaseSeconds: 120, worker: "w1" });
  try {
    const trials = [1, 2, 3, 4].map(spec);
    const entries = [1, 2].map((i) => ({
      dataset: "synthetic",
      label: "CLCRec",
      config: i,
      rung: 0,
      seed: i,
      trial: `r${i}000000000000000`.slice(0, 16),
      metric: "NDCG@10",
    }));
    await store.register("exp", "exp.yaml", "", {}, trials, false, {
      entries,
      specs: entries.map((e, i) => ({ ...spec(i + 5), key: e.trial })),
    });
    await store.release("exp", [{ key: entries[0].trial, role: "tune", priority: 1 }]);
    const first = (await store.claim("exp"))!; // the tuning rung (priority), then the trials in order
    const second = (await store.claim("exp"))!;
    await store.fail(second.key, "diverged");
    await store.claim("exp");
    const now = Date.now() + 30_000;
    const s = await experimentStatus(store, "exp", now);
    assert.deepEqual(s.results, { pending: 2, running: 1, done: 0, failed: 1 });
    assert.deepEqual(s.tune, { pending: 0, running: 1, done: 0, failed: 0 });
    assert.equal(s.unreleased, 1);
    assert.equal(first.key, entries[0].trial);
    assert.equal(s.running.length, 2);
    const r = s.running[0];
    assert.equal(r.host, Deno.hostname());
    assert.equal(r.worker, "w1");
    assert.ok(Math.abs(r.leaseAgeSeconds! - 30) < 5, String(r.leaseAgeSeconds));
    assert.ok(Math.abs(r.expiresInSeconds! - 90) < 5, String(r.expiresInSeconds));
    const text = renderStatus(s);
    assert.match(text, /^exp \(exp\.yaml, registered /);
    assert.match(text, /\n {2}trials: 2 pending, 1 running, 0 done, 1 failed\n/);
    assert.match(text, /tuning rungs: 0 pending, 1 running, 0 done, 0 failed; 1 not released/);
    assert.match(text, new RegExp(`${second.key} synthetic CLCRec \\[lr=1\\] seed 1: diverged`));
    assert.match(text, /on \S+ \(worker w1\), for 3\ds; lease renewed 3\ds ago, expires in 1m3\ds/);
    await assert.rejects(
      () => experimentStatus(store, "nope"),
      /No experiment "nope" .*stored: "exp"/,
    );
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
