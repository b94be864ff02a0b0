import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { RUN_DEFAULTS } from "../config/train_defaults.ts";
import { ResultStore } from "../store/mod.ts";
import type { TrialSpec } from "../store/trial_spec.ts";
import { Heartbeat } from "./heartbeat.ts";

const TRIAL: TrialSpec = {
  key: "beat000000000001",
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
  seed: 0,
};

function leaseOf(path: string): { heartbeat_at: string; lease_expires: string } {
  const db = new DatabaseSync(path);
  try {
    return { ...db.prepare("SELECT heartbeat_at, lease_expires FROM trials").get() } as {
      heartbeat_at: string;
      lease_expires: string;
    };
  } finally {
    db.close();
  }
}

Deno.test("heartbeat: renews the lease while the main thread is busy, reports a lost lease", async () => {
  const dir = await Deno.makeTempDir({ prefix: "heartbeat_test_" });
  const path = join(dir, "store.sqlite");
  const store = await ResultStore.open(path, { leaseSeconds: 1 });
  const beat = await Heartbeat.start(store, 0.1);
  try {
    await store.register("exp", "exp.yaml", "", {}, [TRIAL]);
    const t = (await store.claim("exp"))!;
    const claimed = leaseOf(path);
    beat.hold(t.key);
    // A training epoch: the main thread computes for 1.5 s without yielding, past the lease.
    const end = Date.now() + 1500;
    let spins = 0;
    while (Date.now() < end) spins++;
    assert.ok(spins > 0);
    const held = leaseOf(path);
    assert.ok(held.heartbeat_at > claimed.heartbeat_at, JSON.stringify([claimed, held]));
    assert.ok(Date.parse(held.lease_expires) > Date.now(), held.lease_expires);
    assert.equal(await store.requeueStale("exp"), 0);
    // The trial is taken over (another worker's lease): the next beat says so.
    const db = new DatabaseSync(path);
    db.prepare("UPDATE trials SET worker = 'someone else'").run();
    db.close();
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual([...beat.lost], [t.key]);
    beat.hold(null);
  } finally {
    await beat.stop();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
