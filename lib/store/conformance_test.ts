/**
 * The result store's conformance suite: every test runs against SQLite and PostgreSQL (see
 * `_backends.ts`; PostgreSQL needs `M2VAE_PG_URL`), so both backends keep one behaviour:
 * registering, claiming in plan order, leases (renewal, another worker's, expiry, a dead
 * process), finished and failed trials, tuning rows, concurrent workers, the heartbeat's thread,
 * opening an existing store as a user who may only read it, and copying between stores of either
 * kind.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { RUN_DEFAULTS } from "../config/train_defaults.ts";
import { Heartbeat } from "../run/heartbeat.ts";
import { backends, storeTest } from "./_backends.ts";
import { ResultStore, type TrialOutcome } from "./store.ts";
import { curveReport, trialOutcome, trialSpec } from "./_test_utils.ts";
import type { TrialSpec } from "./trial_spec.ts";
import type { TuneEntry } from "./tuning.ts";
import { SCHEMA_VERSION } from "./schema.ts";

const spec = (key: string, seed: number, dataset = "synthetic"): TrialSpec =>
  trialSpec(key, seed, { dataset, settings: { ...RUN_DEFAULTS, epochs: seed + 1 } });

// Plan order deliberately differs from key order.
const TRIALS = [
  spec("cccc000000000003", 1),
  spec("aaaa000000000001", 2),
  spec("bbbb000000000002", 3),
];

const outcome = (valid: number): TrialOutcome =>
  trialOutcome(curveReport(valid, { "NDCG@10": valid - 0.125 }));

const counts = (pending: number, running: number, done: number, failed: number) => ({
  pending,
  running,
  done,
  failed,
});

storeTest("register, claim in plan order, counts, experiments and plan", async (t) => {
  await assert.rejects(() => ResultStore.open(t.path, { mustExist: true }), /no result store/);
  const store = await ResultStore.open(t.path);
  try {
    assert.deepEqual(
      await store.register("exp", "exp.yaml", "d", { seeds: [1] }, TRIALS),
      counts(3, 0, 0, 0),
    );
    assert.deepEqual(await store.claim("exp"), TRIALS[0]);
    assert.deepEqual(await store.counts("exp"), counts(2, 1, 0, 0));
    assert.equal((await store.claim("exp"))?.key, TRIALS[1].key);
    assert.equal((await store.claim("exp"))?.key, TRIALS[2].key);
    assert.equal(await store.claim("exp"), undefined);
    assert.equal(await store.claim("nope"), undefined);
    const [e] = await store.experiments();
    assert.deepEqual([e.name, e.file, e.description], ["exp", "exp.yaml", "d"]);
    assert.deepEqual(await store.experimentPlan("exp"), { seeds: [1] });
    assert.equal(await store.experimentPlan("nope"), undefined);
    const infos = await store.trials("exp");
    assert.deepEqual(infos.map((i) => i.spec), TRIALS);
    assert.deepEqual(infos.map((i) => [i.status, i.role, i.lease?.worker]), [
      ["running", "result", store.worker],
      ["running", "result", store.worker],
      ["running", "result", store.worker],
    ]);
  } finally {
    await store.close();
  }
});

storeTest(
  "a rerun's data paths and unkeyed settings reach the trials yet to run, not those done",
  async (t) => {
    const store = await ResultStore.open(t.path);
    // The same keys, planned again from another data root with a smaller scoring block.
    const at = (root: string, userChunk: number) =>
      TRIALS.map((x) => ({
        ...x,
        datasetSpec: { kind: "synthetic", path: `${root}/set` } as TrialSpec["datasetSpec"],
        settings: { ...x.settings, userChunk },
      }));
    try {
      await store.register("exp", "exp.yaml", "", {}, at("/old", 4096));
      const first = (await store.claim("exp"))!;
      await store.complete(first.key, outcome(0.5));
      const running = (await store.claim("exp"))!;
      await store.register("exp", "exp.yaml", "", {}, at("/new", 512));
      const pending = (await store.claim("exp"))!;
      assert.equal(pending.key, TRIALS[2].key);
      assert.deepEqual(pending.datasetSpec, { kind: "synthetic", path: "/new/set" });
      assert.equal(pending.settings.userChunk, 512);
      // What ran (or runs) keeps the spec it ran with.
      const specs = new Map((await store.trials("exp")).map((i) => [i.spec.key, i.spec]));
      for (const k of [first.key, running.key]) {
        assert.deepEqual(specs.get(k)?.datasetSpec, { kind: "synthetic", path: "/old/set" });
        assert.equal(specs.get(k)?.settings.userChunk, 4096);
      }
    } finally {
      await store.close();
    }
  },
);

storeTest("a trial shared by two experiments shows each one's row label", async (t) => {
  const store = await ResultStore.open(t.path);
  try {
    await store.register("first", "a.yaml", "", {}, TRIALS);
    // The same configs under another row name (e.g. a custom `label:` in another experiment).
    const renamed = TRIALS.map((x) => ({ ...x, label: "CLCRec (mine)" }));
    await store.register("second", "b.yaml", "", {}, renamed);
    assert.deepEqual((await store.trials("first")).map((i) => i.spec.label), [
      "CLCRec",
      "CLCRec",
      "CLCRec",
    ]);
    assert.deepEqual((await store.trials("second")).map((i) => i.spec), renamed);
    assert.equal((await store.claim("second"))?.label, "CLCRec (mine)");
  } finally {
    await store.close();
  }
});

storeTest("complete and fail: curves, metrics, provenance; done stays done", async (t) => {
  const store = await ResultStore.open(t.path);
  try {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!, b = (await store.claim("exp"))!;
    await store.complete(a.key, outcome(0.5));
    await store.fail(b.key, "diverged");
    await store.fail(a.key, "late failure of a lost lease"); // a is done: stays done
    const infos = await store.trials("exp");
    assert.deepEqual(infos.map((i) => [i.status, i.error]), [
      ["done", null],
      ["failed", "diverged"],
      ["pending", null],
    ]);
    const done = infos[0];
    assert.deepEqual(
      [done.bestStep, done.steps, done.parameters, done.trainSeconds, done.codeVersion],
      [20, 20, 1234, 1.5, "abc1234"],
    );
    assert.equal(done.lease, undefined);
    assert.deepEqual(
      await store.metrics([b.key, a.key], "valid"),
      new Map([[a.key, { "NDCG@10": 0.5, "HR@10": 0.25 }]]),
    );
    assert.deepEqual(
      await store.metrics([a.key], "test"),
      new Map([[a.key, { "NDCG@10": 0.375 }]]),
    );
    assert.deepEqual(
      await store.curve(a.key),
      outcome(0.5).report.curve.map((p) => ({ ...p, diagnostics: p.diagnostics ?? {} })),
    );
    // Registering again keeps done trials and retries failed ones; fresh resets everything.
    assert.deepEqual(await store.register("exp", "exp.yaml", "", {}, TRIALS), counts(2, 0, 1, 0));
    assert.deepEqual(
      await store.register("exp", "exp.yaml", "", {}, TRIALS, true),
      counts(3, 0, 0, 0),
    );
    assert.equal((await store.metrics([a.key], "valid")).size, 0);
    assert.deepEqual(await store.curve(a.key), []);
  } finally {
    await store.close();
  }
});

storeTest("leases: renewal, another worker's, expiry re-queues, a dead process", async (t) => {
  const store = await ResultStore.open(t.path, { leaseSeconds: 120, worker: "w1" });
  const other = await ResultStore.open(t.path, { mustExist: true, worker: "node7:12" });
  try {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!, b = (await store.claim("exp"))!;
    const [lease] = await t.raw(
      "SELECT heartbeat_at, lease_expires, host, pid, worker FROM trials WHERE key = ?",
      a.key,
    );
    // The lease runs leaseSeconds from the claim (the server's clock for PostgreSQL).
    const length = (Date.parse(lease.lease_expires) - Date.parse(lease.heartbeat_at)) / 1000;
    assert.ok(Math.abs(length - 120) < 1, JSON.stringify(lease));
    assert.ok(Math.abs(Date.parse(lease.heartbeat_at) - Date.now()) < 60_000, lease.heartbeat_at);
    assert.deepEqual([lease.host, Number(lease.pid), lease.worker], [
      Deno.hostname(),
      Deno.pid,
      "w1",
    ]);
    assert.equal(await store.renew(a.key), true);
    assert.equal(await other.renew(a.key), false);
    // Both move to another node; a's lease has expired: the next claim takes it over.
    await t.raw("UPDATE trials SET host = 'node7', worker = 'node7:12'");
    await t.raw(
      "UPDATE trials SET lease_expires = '2000-01-01T00:00:00.000Z' WHERE key = ?",
      a.key,
    );
    assert.equal((await store.claim("exp"))?.key, a.key);
    assert.equal(await other.renew(a.key), false, "a is w1's now");
    assert.equal(await other.renew(b.key), true, "b's lease is live");
    assert.equal(await store.requeueStale("exp"), 0);
    // A trial of this host whose process is gone is re-queued at once, lease or not.
    const gone = new Deno.Command("true").spawn();
    const { pid } = gone;
    await gone.status;
    await t.raw("UPDATE trials SET host = ?, pid = ? WHERE key = ?", Deno.hostname(), pid, b.key);
    assert.equal(await store.requeueStale("exp"), 1);
    assert.deepEqual(await store.counts("exp"), counts(2, 1, 0, 0));
    // register keeps a live lease, and re-queues an expired one (of another host).
    assert.deepEqual(await store.register("exp", "exp.yaml", "", {}, TRIALS), counts(2, 1, 0, 0));
    await t.raw(
      "UPDATE trials SET host = 'node7', lease_expires = '2000-01-01T00:00:00.000Z' WHERE key = ?",
      a.key,
    );
    assert.deepEqual(await store.register("exp", "exp.yaml", "", {}, TRIALS), counts(3, 0, 0, 0));
  } finally {
    await other.close();
    await store.close();
  }
});

/** One configuration's two rungs (and, given its key, its final run on a second seed). */
function twoRungs(final?: string) {
  const rungs = [spec("r000000000000000", 0), spec("r100000000000000", 0)];
  const entries: TuneEntry[] = [
    { dataset: "synthetic", label: "CLCRec", config: 0, rung: 0, seed: 0, trial: rungs[0].key },
    { dataset: "synthetic", label: "CLCRec", config: 0, rung: 1, seed: 0, trial: rungs[1].key },
    ...(final
      ? [{ dataset: "synthetic", label: "CLCRec", config: 0, rung: -1, seed: 1, trial: final }]
      : []),
  ].map((e) => ({ ...e, metric: "NDCG@10" }));
  return { rungs, entries };
}

storeTest("tuning rows: entries, release with priority, continuation, states", async (t) => {
  const store = await ResultStore.open(t.path);
  try {
    const { rungs, entries } = twoRungs(TRIALS[0].key);
    await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]], false, {
      entries,
      specs: rungs,
    });
    assert.deepEqual(await store.tuneEntries("exp"), [entries[2], entries[0], entries[1]]);
    assert.deepEqual(
      await store.trialEpochs([rungs[1].key, "absent", TRIALS[0].key]),
      new Map([
        [rungs[1].key, 1],
        [TRIALS[0].key, 2],
      ]),
    );
    assert.equal(
      await store.release("exp", [{ key: rungs[0].key, role: "tune", priority: 5 }]),
      1,
    );
    assert.equal(
      await store.release("exp", [{ key: rungs[0].key, role: "tune", priority: 5 }]),
      0,
    );
    assert.equal((await store.claim("exp"))?.key, rungs[0].key, "priority first");
    await store.complete(rungs[0].key, outcome(0.25));
    // rungs[1], the next rung, is not done yet: "exp" may still continue rungs[0]'s state.
    assert.deepEqual(await store.continuation(rungs[0].key), {
      resumeFrom: undefined,
      previous: [],
      save: true,
      keep: false,
      waiting: ["exp"],
    });
    assert.deepEqual(await store.continuation(rungs[1].key), {
      resumeFrom: rungs[0].key,
      previous: [rungs[0].key],
      save: false,
      keep: true,
      waiting: [],
    });
    assert.deepEqual(await store.continuation(TRIALS[0].key), {
      resumeFrom: undefined,
      previous: [],
      save: false,
      keep: true,
      waiting: [],
    });
    assert.deepEqual(await store.continuation("absent"), {
      save: false,
      keep: true,
      waiting: [],
      previous: [],
    });
    assert.deepEqual(
      await store.tuneStates([rungs[0].key, rungs[1].key, "absent"]),
      new Map([
        [rungs[0].key, { status: "done", valid: { "NDCG@10": 0.25, "HR@10": 0.125 } }],
        [rungs[1].key, { status: "pending", valid: {} }],
      ]),
    );
    const roles = (await store.trials("exp")).map((i) => [i.spec.key, i.role]);
    assert.deepEqual(roles, [[TRIALS[0].key, "result"], [rungs[0].key, "tune"]]);
    // Registering again keeps the rungs' results; fresh recomputes every rung, linked or not.
    await store.release("exp", [{ key: rungs[1].key, role: "tune", priority: 5 }]);
    assert.equal((await store.claim("exp"))?.key, rungs[1].key);
    await store.complete(rungs[1].key, outcome(0.375));
    const rows = { entries, specs: rungs };
    await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]], false, rows);
    const states = await store.tuneStates(rungs.map((r) => r.key));
    assert.deepEqual(rungs.map((r) => states.get(r.key)?.status), ["done", "done"]);
    await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]], true, rows);
    assert.deepEqual(
      await store.tuneStates(rungs.map((r) => r.key)),
      new Map(rungs.map((r) => [r.key, { status: "pending", valid: {} }])),
    );
  } finally {
    await store.close();
  }
});

storeTest(
  "register retries the failed trials its tuning released, not another experiment's",
  async (t) => {
    const store = await ResultStore.open(t.path);
    try {
      const { rungs, entries } = twoRungs();
      const rows = { entries, specs: rungs };
      await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]], false, rows);
      await store.release("exp", [{ key: rungs[1].key, role: "tune", priority: 5 }]);
      assert.equal((await store.claim("exp"))?.key, rungs[1].key);
      // A worker whose coordinator was killed under it: the rung failed for no fault of its own.
      await store.fail(rungs[1].key, "Broken pipe (os error 32)");
      await store.register("other", "o.yaml", "", {}, [TRIALS[1]], false, rows);
      await store.release("other", [{ key: rungs[0].key, role: "tune", priority: 5 }]);
      assert.equal((await store.claim("other"))?.key, rungs[0].key);
      await store.fail(rungs[0].key, "diverged");
      // The rerun drops the links the tuning released (it links the plan's trials only) and must
      // retry this one before the protocol replays the row's choices, or a killed rung would lose
      // the race. A failed trial another experiment released is not this one's to retry.
      await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]], false, rows);
      const states = await store.tuneStates(rungs.map((r) => r.key));
      assert.equal(states.get(rungs[1].key)?.status, "pending");
      assert.equal(states.get(rungs[0].key)?.status, "failed", "released by the other experiment");
    } finally {
      await store.close();
    }
  },
);

storeTest(
  "continuation: a lower rung of one experiment that another reads as a result keeps both",
  async (t) => {
    const store = await ResultStore.open(t.path);
    try {
      const [low, top] = [spec("l000000000000000", 0), spec("t000000000000000", 0)];
      const entry = {
        dataset: "synthetic",
        label: "CLCRec",
        config: 0,
        seed: 0,
        metric: "NDCG@10",
      };
      // In "a" the key is rung 0 of 2; "b" (one rung at the same cap) has it as its top rung.
      await store.register("a", "a.yaml", "", {}, [], false, {
        entries: [{ ...entry, rung: 0, trial: low.key }, { ...entry, rung: 1, trial: top.key }],
        specs: [low, top],
      });
      assert.deepEqual(await store.continuation(low.key), {
        resumeFrom: undefined,
        previous: [],
        save: true,
        keep: false,
        waiting: ["a"],
      });
      await store.register("b", "b.yaml", "", {}, [], false, {
        entries: [{ ...entry, rung: 0, trial: low.key }],
        specs: [low],
      });
      assert.deepEqual(await store.continuation(low.key), {
        resumeFrom: undefined,
        previous: [],
        save: true,
        keep: true,
        waiting: ["a"],
      });
      assert.deepEqual(await store.continuation(top.key), {
        resumeFrom: low.key,
        previous: [low.key],
        save: false,
        keep: true,
        waiting: [],
      });
      // So does a lower rung that another experiment runs as a plain (untuned) trial.
      const other = spec("o000000000000000", 0);
      await store.register("c", "c.yaml", "", {}, [], false, {
        entries: [{ ...entry, rung: 0, trial: other.key }, { ...entry, rung: 1, trial: top.key }],
        specs: [other, top],
      });
      assert.equal((await store.continuation(other.key)).keep, false);
      // `top` now has a rung below it in each sweep: both are candidates to continue, "a"'s first.
      assert.deepEqual((await store.continuation(top.key)).previous, [low.key, other.key]);
      await store.register("d", "d.yaml", "", {}, [other]);
      assert.deepEqual(await store.continuation(other.key), {
        resumeFrom: undefined,
        previous: [],
        save: true,
        keep: true,
        waiting: ["c"],
      });
      // Once "a" has run the next rung (also "c"'s next rung for `other`), nobody waits.
      await store.release("a", [{ key: top.key, role: "tune", priority: 1 }]);
      assert.equal((await store.claim("a"))?.key, top.key);
      await store.complete(top.key, outcome(0.5));
      assert.deepEqual((await store.continuation(low.key)).waiting, []);
      assert.deepEqual((await store.continuation(other.key)).waiting, []);
      // A row that has decided its next rung waits only on the configurations it promoted.
      const [x0, x1, y0, y1] = ["x0", "x1", "y0", "y1"].map((k) => spec(k.padEnd(16, "0"), 0));
      await store.register("e", "e.yaml", "", {}, [], false, {
        entries: [
          { ...entry, rung: 0, config: 0, trial: x0.key },
          { ...entry, rung: 0, config: 1, trial: x1.key },
          { ...entry, rung: 1, config: 0, trial: y0.key },
          { ...entry, rung: 1, config: 1, trial: y1.key },
        ],
        specs: [x0, x1, y0, y1],
      });
      // Undecided (nothing of rung 1 released): both wait.
      assert.deepEqual((await store.continuation(x1.key)).waiting, ["e"]);
      await store.release("e", [{ key: y0.key, role: "tune", priority: 1 }]);
      assert.deepEqual((await store.continuation(x0.key)).waiting, ["e"], "promoted, not done");
      assert.deepEqual((await store.continuation(x1.key)).waiting, [], "eliminated");
    } finally {
      await store.close();
    }
  },
);

storeTest(
  "release: a link carries the releasing experiment's point, not the trial's first",
  async (t) => {
    const store = await ResultStore.open(t.path);
    try {
      // Another experiment registers the trial first, under no search point.
      await store.register("plain", "plain.yaml", "", {}, [TRIALS[0]]);
      const entries: TuneEntry[] = [{
        dataset: "synthetic",
        label: "CLCRec",
        config: 0,
        rung: -1,
        seed: 1,
        trial: TRIALS[0].key,
        metric: "NDCG@10",
        point: JSON.stringify({ "settings.lr": [0.01] }),
        pointLabel: "settings.lr=0.01",
      }];
      await store.register("tuned", "tuned.yaml", "", {}, [], false, { entries, specs: [] });
      assert.equal(
        await store.release("tuned", [{ key: TRIALS[0].key, role: "result", priority: 1 }]),
        1,
      );
      const [tuned] = await store.trials("tuned"), [plain] = await store.trials("plain");
      assert.equal(tuned.spec.pointLabel, "settings.lr=0.01");
      assert.deepEqual(tuned.spec.point, { "settings.lr": [0.01] });
      assert.equal(plain.spec.pointLabel, TRIALS[0].pointLabel);
    } finally {
      await store.close();
    }
  },
);

storeTest("open: a version-5 store is migrated (links' labels, tuning rows' points)", async (t) => {
  const store = await ResultStore.open(t.path);
  await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]]);
  await store.close();
  await t.raw("ALTER TABLE tuning DROP COLUMN point");
  await t.raw("ALTER TABLE tuning DROP COLUMN point_label");
  await t.raw("ALTER TABLE experiment_trials DROP COLUMN label");
  await t.raw(
    "INSERT INTO tuning VALUES ('exp', 'synthetic', 'M', 0, -1, 1, ?, 'NDCG@10')",
    TRIALS[0].key,
  );
  await t.raw("UPDATE meta SET value = '5' WHERE key = 'schema'");
  const again = await ResultStore.open(t.path, { mustExist: true });
  try {
    assert.deepEqual((await again.trials("exp")).map((i) => i.spec.label), [TRIALS[0].label]);
    assert.deepEqual(await again.tuneEntries("exp"), [
      {
        dataset: "synthetic",
        label: "M",
        config: 0,
        rung: -1,
        seed: 1,
        trial: TRIALS[0].key,
        metric: "NDCG@10",
      },
    ]);
  } finally {
    await again.close();
  }
  const [v] = await t.raw("SELECT value FROM meta WHERE key = 'schema'");
  assert.equal(String(v.value), String(SCHEMA_VERSION));
  const rows = await t.raw("SELECT point, point_label FROM tuning");
  assert.deepEqual(rows.map((r) => ({ ...r })), [{ point: null, point_label: null }]);
});

storeTest(
  "a worker that lost its lease neither fails the trial it lost nor overwrites the result of the one that took it over",
  async (t) => {
    const a = await ResultStore.open(t.path, { worker: "a" });
    const b = await ResultStore.open(t.path, { mustExist: true, worker: "b" });
    try {
      await a.register("exp", "exp.yaml", "", {}, TRIALS);
      const x = (await a.claim("exp"))!;
      // a's lease lapses (a process on another host that stopped renewing); b takes x over.
      await t.raw(
        "UPDATE trials SET host = 'node7', lease_expires = '2000-01-01T00:00:00.000Z' WHERE key = ?",
        x.key,
      );
      assert.equal((await b.claim("exp"))?.key, x.key);
      const row = async () => {
        const [r] = await t.raw("SELECT status, worker FROM trials WHERE key = ?", x.key);
        return [r.status, r.worker];
      };
      // a, still running, fails: b's run stays b's.
      await a.fail(x.key, "out of memory");
      assert.deepEqual(await row(), ["running", "b"]);
      // b finishes first; a's later result is dropped, b's numbers stand.
      assert.equal(await b.complete(x.key, outcome(0.5)), true);
      assert.equal(await a.complete(x.key, outcome(0.9)), false);
      assert.deepEqual(await row(), ["done", "b"]);
      assert.equal((await a.metrics([x.key], "valid")).get(x.key)?.["NDCG@10"], 0.5);
      // The worker that holds a trial fails it, and one nobody holds can be failed too.
      const y = (await a.claim("exp"))!;
      await a.fail(y.key, "diverged");
      const [ry] = await t.raw("SELECT status FROM trials WHERE key = ?", y.key);
      assert.equal(ry.status, "failed");
    } finally {
      await a.close();
      await b.close();
    }
  },
);

storeTest("two stores claiming at once never take the same trial", async (t) => {
  const many = Array.from({ length: 20 }, (_, i) => spec(`k${String(i).padStart(15, "0")}`, i));
  const a = await ResultStore.open(t.path, { worker: "a" });
  const b = await ResultStore.open(t.path, { mustExist: true, worker: "b" });
  try {
    await a.register("exp", "exp.yaml", "", {}, many);
    const take = async (s: ResultStore) => {
      const got: string[] = [];
      for (let x; (x = await s.claim("exp"));) got.push(x.key);
      return got;
    };
    const [ga, gb] = await Promise.all([take(a), take(b)]);
    assert.equal(ga.length + gb.length, many.length);
    assert.deepEqual([...ga, ...gb].sort(), many.map((s) => s.key).sort());
  } finally {
    await a.close();
    await b.close();
  }
});

storeTest("two worker processes on one store never run a trial twice", async (t) => {
  const many = Array.from({ length: 24 }, (_, i) => spec(`w${String(i).padStart(15, "0")}`, i));
  const store = await ResultStore.open(t.path);
  try {
    await store.register("exp", "exp.yaml", "", {}, many);
    const script = fileURLToPath(new URL("./_claim_worker.ts", import.meta.url));
    const workers = [0, 1].map(() =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script, t.path, "exp"],
        stdout: "piped",
        stderr: "piped",
      }).output()
    );
    const outs = await Promise.all(workers);
    const ran = outs.map((o) => {
      assert.ok(o.success, new TextDecoder().decode(o.stderr));
      return new TextDecoder().decode(o.stdout).split("\n").filter(Boolean);
    });
    const all = ran.flat();
    assert.equal(new Set(all).size, all.length, `a trial ran twice: ${JSON.stringify(ran)}`);
    assert.deepEqual(all.sort(), many.map((s) => s.key).sort());
    assert.deepEqual(await store.counts("exp"), counts(0, 0, many.length, 0));
  } finally {
    await store.close();
  }
});

storeTest("the heartbeat renews from its own thread and connection", async (t) => {
  const store = await ResultStore.open(t.path, { leaseSeconds: 1 });
  const beat = await Heartbeat.start(store, 0.1);
  try {
    await store.register("exp", "exp.yaml", "", {}, [TRIALS[0]]);
    const a = (await store.claim("exp"))!;
    const lease = async () =>
      (await t.raw("SELECT heartbeat_at FROM trials WHERE key = ?", a.key))[0].heartbeat_at;
    const claimed = await lease();
    beat.hold(a.key);
    // A training epoch: the main thread computes for 1.5 s without yielding, past the lease.
    const end = Date.now() + 1500;
    let spins = 0;
    while (Date.now() < end) spins++;
    assert.ok(spins > 0);
    assert.ok((await lease()) > claimed);
    assert.equal(await store.requeueStale("exp"), 0);
    await t.raw("UPDATE trials SET worker = 'someone else'");
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual([...beat.lost], [a.key]);
    beat.hold(null);
  } finally {
    await beat.stop();
    await store.close();
  }
});

storeTest("a store that exists opens for a user who may only read it", async (t, backend) => {
  const store = await ResultStore.open(t.path);
  await store.register("exp", "exp.yaml", "", {}, TRIALS);
  await store.close();
  let path = t.path;
  const role = `m2vae_reader_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
  if (backend === "postgres") {
    await t.raw(`CREATE ROLE ${role} LOGIN`);
    await t.raw(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await t.raw(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    const url = new URL(t.path);
    url.username = role;
    path = url.toString();
  }
  try {
    const reader = await ResultStore.open(path, { mustExist: true });
    try {
      assert.deepEqual(
        (await reader.trials("exp")).map((i) => i.spec.key),
        TRIALS.map((x) => x.key),
      );
    } finally {
      await reader.close();
    }
  } finally {
    if (backend === "postgres") {
      await t.raw(`DROP OWNED BY ${role}`);
      await t.raw(`DROP ROLE ${role}`);
    }
  }
});

// Copying between stores of either kind: each backend pair where both are available.
for (const from of backends()) {
  for (const to of backends()) {
    const skip = from.skip ?? to.skip;
    Deno.test({
      name: `store copy ${from.name} → ${to.name}: idempotent by trial key${
        skip ? ` (skipped: ${skip})` : ""
      }`,
      ignore: skip !== undefined,
      sanitizeResources: false,
      sanitizeOps: false,
      async fn() {
        const src = await from.make(), dst = await to.make();
        const artifacts = await Deno.makeTempDir({ prefix: "copy_artifacts_" });
        Deno.env.set("M2VAE_ARTIFACTS", artifacts);
        try {
          const a = await ResultStore.open(src.path), b = await ResultStore.open(dst.path);
          try {
            await a.register("exp", "exp.yaml", "", { on: "a" }, TRIALS);
            await a.complete((await a.claim("exp"))!.key, outcome(0.5));
            await a.fail((await a.claim("exp"))!.key, "boom");
            await a.claim("exp"); // running: arrives pending
            await b.register("exp", "exp.yaml", "", { on: "b" }, [TRIALS[1]]);
            const dry = await b.copyFrom(src.path, { dryRun: true });
            assert.deepEqual([dry.trials, dry.replaced], [2, 0]);
            assert.equal((await b.trials("exp")).length, 1, "a dry run writes nothing");
            const first = await b.copyFrom(src.path);
            assert.deepEqual([first.trials, first.replaced, first.links], [2, 0, 2]);
            const again = await b.copyFrom(src.path);
            assert.deepEqual([again.trials, again.replaced, again.links, again.tuning], [
              0,
              0,
              0,
              0,
            ]);
            const infos = await b.trials("exp");
            assert.deepEqual(
              infos.map((i) => [i.spec.key, i.status]).sort(),
              [
                [TRIALS[0].key, "done"],
                [TRIALS[1].key, "pending"],
                [TRIALS[2].key, "pending"],
              ].sort(),
            );
            assert.deepEqual(await b.curve(TRIALS[0].key), await a.curve(TRIALS[0].key));
            assert.deepEqual(
              await b.metrics([TRIALS[0].key], "test"),
              await a.metrics([TRIALS[0].key], "test"),
            );
          } finally {
            await a.close();
            await b.close();
          }
        } finally {
          Deno.env.delete("M2VAE_ARTIFACTS");
          await src.drop();
          await dst.drop();
          await Deno.remove(artifacts, { recursive: true });
        }
      },
    });
  }
}

Deno.test("a PostgreSQL URL that reaches no server is one StoreError line", async () => {
  await assert.rejects(
    () => ResultStore.open("postgres://nobody:secret@127.0.0.1:1/none"),
    (e: unknown) => {
      assert.ok(e instanceof Error && e.name === "StoreError", String(e));
      assert.match(e.message, /^postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: cannot open/);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    },
  );
});
