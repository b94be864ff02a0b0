import assert from "node:assert/strict";
import { DEFAULT_LEASE_SECONDS, isoAfter, leaseSeconds, staleReason, workerId } from "./lease.ts";

Deno.test("leaseSeconds: M2VAE_LEASE_SECONDS, else the default; nonsense is one line", () => {
  assert.equal(leaseSeconds({}), DEFAULT_LEASE_SECONDS);
  assert.equal(leaseSeconds({ M2VAE_LEASE_SECONDS: "90" }), 90);
  assert.equal(leaseSeconds({ M2VAE_LEASE_SECONDS: "0.5" }), 0.5);
  for (const bad of ["0", "-3", "soon", "Infinity"]) {
    assert.throws(
      () => leaseSeconds({ M2VAE_LEASE_SECONDS: bad }),
      new RegExp(
        `^RangeError: M2VAE_LEASE_SECONDS: expected a positive number of seconds, got "${bad}"$`,
      ),
    );
  }
});

Deno.test("workerId: host and pid, the Slurm array task when there is one", () => {
  const base = `${Deno.hostname()}:${Deno.pid}`;
  assert.equal(workerId({}), base);
  assert.equal(
    workerId({ SLURM_ARRAY_JOB_ID: "77", SLURM_ARRAY_TASK_ID: "3" }),
    `${base} slurm 77_3`,
  );
  assert.equal(workerId({ SLURM_JOB_ID: "78" }), `${base} slurm 78`);
  assert.equal(workerId({ M2VAE_WORKER_ID: "mine" }), "mine");
});

Deno.test("staleReason: the process on this host, the lease elsewhere", async () => {
  const host = Deno.hostname(), now = new Date().toISOString();
  const past = "2000-01-01T00:00:00.000Z", future = isoAfter(new Date(), 60);
  const proc = new Deno.Command("true").spawn();
  await proc.status;
  // This host: a live process keeps its trial while its lease runs; a dead one frees it at once.
  assert.equal(staleReason({ host, pid: Deno.pid, lease_expires: future }, host, now), undefined);
  // A live process id past its lease is not proof of the worker: the id may have been reused
  // (a restarted container, the rerun itself), and the worker's heartbeat would have renewed.
  assert.equal(
    staleReason({ host, pid: Deno.pid, lease_expires: past }, host, now),
    "lease expired",
  );
  assert.equal(
    staleReason({ host, pid: proc.pid, lease_expires: future }, host, now),
    "process gone",
  );
  // Another host: only the lease counts; no lease (an older store) is never stale.
  assert.equal(
    staleReason({ host: "n7", pid: proc.pid, lease_expires: future }, host, now),
    undefined,
  );
  assert.equal(
    staleReason({ host: "n7", pid: Deno.pid, lease_expires: past }, host, now),
    "lease expired",
  );
  assert.equal(staleReason({ host: "n7", pid: 1, lease_expires: null }, host, now), undefined);
});
