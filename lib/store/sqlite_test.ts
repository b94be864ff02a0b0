import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import type { TrialSpec } from "./trial_spec.ts";
import { SCHEMA_VERSION } from "./schema.ts";
import { ResultStore, SqliteStore, StoreError, type TrialOutcome } from "./store.ts";
import { curveReport, trialOutcome, trialSpec } from "./_test_utils.ts";

const spec = (key: string, seed: number, model = "clcrec"): TrialSpec =>
  trialSpec(key, seed, { model, label: model.toUpperCase() });

// Plan order deliberately differs from key order.
const TRIALS = [
  spec("cccc000000000003", 1),
  spec("aaaa000000000001", 2),
  spec("bbbb000000000002", 3),
];

const outcome = (valid: number, test: number): TrialOutcome =>
  trialOutcome(
    curveReport(valid, { "NDCG@10": test, "HR@10": test / 2 }, [{}, {
      "gates.sdUsers": 0.125,
      "gap.shared": -0.5,
    }]),
  );

async function withStore(fn: (path: string, store: ResultStore) => Promise<void> | void) {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  const path = join(dir, "sub", "results.db");
  const store = await ResultStore.open(path);
  try {
    await fn(path, store);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function setRaw(path: string, sql: string, ...params: (string | number)[]): void {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** The first row of a query on the store's file (read past the store, as a test checks it). */
function getRaw(path: string, sql: string): Record<string, unknown> {
  const db = new DatabaseSync(path);
  try {
    return db.prepare(sql).get() as Record<string, unknown>;
  } finally {
    db.close();
  }
}

/** The schema version a store file records. */
const SCHEMA_SQL = "SELECT value FROM meta WHERE key = 'schema'";

/** Takes a store back to before leases (schema version 4's trials table). */
function dropLeases(path: string): void {
  for (const c of ["worker", "lease_expires", "heartbeat_at"]) {
    setRaw(path, `ALTER TABLE trials DROP COLUMN ${c}`);
  }
}

async function statusOf(store: ResultStore, exp: string): Promise<Record<string, string>> {
  return Object.fromEntries((await store.trials(exp)).map((t) => [t.spec.key, t.status]));
}

Deno.test("register: new trials are pending; trials() keeps plan order and round-trips specs", async () => {
  await withStore(async (_path, store) => {
    const counts = await store.register("exp", "exp.yaml", "desc", { plan: 1 }, TRIALS);
    assert.deepEqual(counts, { pending: 3, running: 0, done: 0, failed: 0 });
    const infos = await store.trials("exp");
    assert.deepEqual(infos.map((t) => t.spec.key), TRIALS.map((t) => t.key));
    assert.deepEqual(infos[0].spec, TRIALS[0]);
    assert.deepEqual((await store.experiments()).map((e) => [e.name, e.file, e.description]), [
      ["exp", "exp.yaml", "desc"],
    ]);
    assert.deepEqual(await store.counts("other"), { pending: 0, running: 0, done: 0, failed: 0 });
  });
});

Deno.test("claim: plan order, marks running, undefined when none left", async () => {
  await withStore(async (_path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const first = await store.claim("exp");
    assert.equal(first?.key, TRIALS[0].key);
    assert.deepEqual(first, TRIALS[0]);
    assert.deepEqual(await store.counts("exp"), { pending: 2, running: 1, done: 0, failed: 0 });
    assert.equal((await statusOf(store, "exp"))[TRIALS[0].key], "running");
    assert.equal((await store.claim("exp"))?.key, TRIALS[1].key);
    assert.equal((await store.claim("exp"))?.key, TRIALS[2].key);
    assert.equal(await store.claim("exp"), undefined);
    assert.deepEqual(await store.counts("exp"), { pending: 0, running: 3, done: 0, failed: 0 });
  });
});

Deno.test("claim: two stores on one file never claim the same trial", async () => {
  await withStore(async (path, a) => {
    await a.register("exp", "exp.yaml", "", {}, TRIALS);
    const b = await ResultStore.open(path, { mustExist: true });
    try {
      const got = [
        await a.claim("exp"),
        await b.claim("exp"),
        await a.claim("exp"),
        await b.claim("exp"),
      ];
      assert.deepEqual(got.map((t) => t?.key), [...TRIALS.map((t) => t.key), undefined]);
      assert.deepEqual(await b.counts("exp"), { pending: 0, running: 3, done: 0, failed: 0 });
    } finally {
      await b.close();
    }
  });
});

Deno.test("complete: writes metrics by part, the curve and provenance", async () => {
  await withStore(async (_path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const t = (await store.claim("exp"))!;
    await store.complete(t.key, outcome(0.4, 0.3));
    assert.deepEqual(await store.counts("exp"), { pending: 2, running: 0, done: 1, failed: 0 });
    const keys = TRIALS.map((x) => x.key);
    const valid = await store.metrics(keys, "valid");
    assert.deepEqual([...valid.keys()], [t.key]);
    assert.deepEqual(valid.get(t.key), { "NDCG@10": 0.4, "HR@10": 0.2 });
    assert.deepEqual((await store.metrics(keys, "test")).get(t.key), {
      "NDCG@10": 0.3,
      "HR@10": 0.15,
    });
    assert.deepEqual(await store.curve(t.key), outcome(0.4, 0.3).report.curve);
    const info = (await store.trials("exp"))[0];
    assert.equal(info.status, "done");
    assert.equal(info.bestStep, 20);
    assert.equal(info.parameters, 1234);
    assert.equal(info.splitFingerprint, "split-fp");
    assert.equal(info.codeVersion, "abc1234");
    assert.equal(info.trainSeconds, 1.5);
    assert.equal(info.error, null);
  });
});

Deno.test("register again: done stays done, failed is re-queued", async () => {
  await withStore(async (_path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!, b = (await store.claim("exp"))!;
    await store.complete(a.key, outcome(0.4, 0.3));
    await store.fail(b.key, "boom");
    assert.equal((await store.trials("exp"))[1].error, "boom");
    assert.deepEqual(await store.counts("exp"), { pending: 1, running: 0, done: 1, failed: 1 });
    const counts = await store.register("exp", "exp.yaml", "", {}, TRIALS);
    assert.deepEqual(counts, { pending: 2, running: 0, done: 1, failed: 0 });
    assert.equal((await statusOf(store, "exp"))[a.key], "done");
    assert.equal((await store.trials("exp"))[1].error, null);
    assert.deepEqual((await store.metrics([a.key], "valid")).get(a.key), {
      "NDCG@10": 0.4,
      "HR@10": 0.2,
    });
  });
});

Deno.test("register fresh: done trials are re-queued and their metrics and curve cleared", async () => {
  await withStore(async (_path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!;
    await store.complete(a.key, outcome(0.4, 0.3));
    const counts = await store.register("exp", "exp.yaml", "", {}, TRIALS, true);
    assert.deepEqual(counts, { pending: 3, running: 0, done: 0, failed: 0 });
    assert.equal((await store.metrics([a.key], "valid")).size, 0);
    assert.equal((await store.metrics([a.key], "test")).size, 0);
    assert.deepEqual(await store.curve(a.key), []);
  });
});

Deno.test("register: a running trial of a dead process is re-queued, of a live one kept", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!,
      b = (await store.claim("exp"))!,
      c = (await store.claim("exp"))!;
    // a: a child that has exited and been reaped, b: pid 999999, c: this process (alive).
    const proc = new Deno.Command("true").spawn();
    await proc.status;
    setRaw(path, "UPDATE trials SET pid = ? WHERE key = ?", proc.pid, a.key);
    setRaw(path, "UPDATE trials SET pid = ? WHERE key = ?", 999999, b.key);
    // A dead trial's partial rows are cleared when it is re-queued.
    setRaw(path, "INSERT INTO metrics VALUES (?, 'valid', 'NDCG@10', 0.9)", a.key);
    const counts = await store.register("exp", "exp.yaml", "", {}, TRIALS);
    assert.deepEqual(counts, { pending: 2, running: 1, done: 0, failed: 0 });
    const s = await statusOf(store, "exp");
    assert.equal(s[a.key], "pending");
    assert.equal(s[b.key], "pending");
    assert.equal(s[c.key], "running");
    assert.equal((await store.metrics([a.key], "valid")).size, 0);
    // The re-queued trials can be claimed again, in plan order.
    assert.equal((await store.claim("exp"))?.key, a.key);
  });
});

Deno.test("transaction: rolls back everything when its function throws", async () => {
  await withStore(async (_path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const db = (store as unknown as { db: DatabaseSync }).db;
    assert.throws(
      () =>
        (store as SqliteStore).transaction(() => {
          db.prepare("UPDATE trials SET status = 'failed'").run();
          db.prepare("INSERT INTO metrics VALUES (?, 'valid', 'NDCG@10', 0.5)").run(TRIALS[0].key);
          throw new Error("inside");
        }),
      /inside/,
    );
    assert.deepEqual(await store.counts("exp"), { pending: 3, running: 0, done: 0, failed: 0 });
    assert.equal((await store.metrics([TRIALS[0].key], "valid")).size, 0);
    // The store is usable afterwards, and a transaction returns its function's value.
    assert.equal((store as SqliteStore).transaction(() => 42), 42);
    assert.equal((await store.claim("exp"))?.key, TRIALS[0].key);
  });
});

Deno.test("open: a text file is not a store, and is left byte-identical", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    const path = join(dir, "notes.db");
    const text = "these are my notes, not a database\n".repeat(40);
    await Deno.writeTextFile(path, text);
    const before = await Deno.readFile(path);
    await assert.rejects(() => ResultStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreError, String(e));
      assert.match(e.message, /not a result store or corrupt/);
      assert.ok(e.message.startsWith(path));
      return true;
    });
    assert.deepEqual(await Deno.readFile(path), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: another program's SQLite database is refused before a byte is written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    const path = join(dir, "app.sqlite");
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("CREATE TABLE meta (k TEXT, v TEXT)");
    db.close();
    const before = await Deno.readFile(path);
    await assert.rejects(() => ResultStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreError, String(e));
      assert.match(e.message, /not a result store \(an SQLite database with other tables: /);
      return true;
    });
    assert.deepEqual(await Deno.readFile(path), before);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["app.sqlite"]);
    // An empty SQLite database is fine: it becomes a store.
    const empty = join(dir, "empty.sqlite");
    new DatabaseSync(empty).close();
    await (await ResultStore.open(empty)).close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open mustExist: a missing path throws StoreError and creates nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    const path = join(dir, "nested", "missing.db");
    await assert.rejects(() => ResultStore.open(path, { mustExist: true }), (e: unknown) => {
      assert.ok(e instanceof StoreError, String(e));
      assert.match(e.message, /no result store here/);
      return true;
    });
    await assert.rejects(() => Deno.stat(join(dir, "nested")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: reopening keeps the data; a foreign schema version is refused", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const again = await ResultStore.open(path, { mustExist: true });
    try {
      assert.equal((await again.trials("exp")).length, 3);
    } finally {
      await again.close();
    }
    setRaw(path, "UPDATE meta SET value = '99' WHERE key = 'schema'");
    await assert.rejects(() => ResultStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreError);
      assert.match(e.message, /schema version 99/);
      return true;
    });
  });
});

Deno.test("register: a plan replaces the experiment's trials on its datasets only", async () => {
  await withStore(async (_path, store) => {
    const other = { ...spec("dddd000000000004", 1), dataset: "lastfm" };
    await store.register("exp", "exp.yaml", "", {}, [...TRIALS, other]);
    // Rerun on synthetic alone, with one trial dropped: lastfm stays, the dropped one goes.
    await store.register("exp", "exp.yaml", "", {}, TRIALS.slice(0, 2));
    const keys = (await store.trials("exp")).map((t) => t.spec.key).sort();
    assert.deepEqual(keys, [TRIALS[0].key, TRIALS[1].key, other.key].sort());
  });
});

Deno.test("a trial shared by two experiments keeps each experiment's own search point", async () => {
  await withStore(async (_path, store) => {
    await store.register("a", "a.yaml", "", {}, TRIALS);
    const shared = { ...TRIALS[0], point: { beta: [0.5] }, pointLabel: "beta=0.5" };
    await store.register("b", "b.yaml", "", {}, [shared]);
    assert.deepEqual((await store.trials("b")).map((t) => [t.spec.key, t.spec.pointLabel]), [
      [TRIALS[0].key, "beta=0.5"],
    ]);
    assert.deepEqual((await store.trials("b"))[0].spec.point, { beta: [0.5] });
    assert.equal((await store.trials("a"))[0].spec.pointLabel, "alpha=10");
    assert.deepEqual((await store.trials("a"))[0].spec.point, { alpha: [10] });
  });
});

Deno.test("open: a version-1 store is migrated, its links taking the trials' points", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    dropLeases(path);
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN point");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN point_label");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN role");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN priority");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN label"); // added in version 6
    setRaw(path, "UPDATE meta SET value = '1' WHERE key = 'schema'");
    const again = await ResultStore.open(path, { mustExist: true });
    try {
      assert.deepEqual(
        (await again.trials("exp")).map((t) => t.spec.pointLabel),
        TRIALS.map((t) => t.pointLabel),
      );
    } finally {
      await again.close();
    }
    assert.equal(getRaw(path, SCHEMA_SQL).value, String(SCHEMA_VERSION));
    const nulls = getRaw(path, "SELECT COUNT(*) AS n FROM experiment_trials WHERE point IS NULL");
    assert.equal(Number(nulls.n), 0);
  });
});

Deno.test("open: a version-6 store's tuning rows gain the search point, kept rows unchanged", async () => {
  await withStore(async (path) => {
    setRaw(path, "ALTER TABLE tuning DROP COLUMN point");
    setRaw(path, "ALTER TABLE tuning DROP COLUMN point_label");
    setRaw(path, "INSERT INTO tuning VALUES ('exp', 'ds', 'M', 0, -1, 1, 'k1', 'NDCG@10')");
    setRaw(path, "UPDATE meta SET value = '6' WHERE key = 'schema'");
    const again = await ResultStore.open(path, { mustExist: true });
    try {
      assert.deepEqual(await again.tuneEntries("exp"), [
        { dataset: "ds", label: "M", config: 0, rung: -1, seed: 1, trial: "k1", metric: "NDCG@10" },
      ]);
    } finally {
      await again.close();
    }
    assert.equal(getRaw(path, SCHEMA_SQL).value, String(SCHEMA_VERSION));
    const cols = getRaw(
      path,
      "SELECT COUNT(*) AS n FROM pragma_table_info('tuning') WHERE name LIKE 'point%'",
    );
    assert.equal(Number(cols.n), 2);
  });
});

Deno.test("open: a version-2 store gains the diagnostics table and keeps its curves", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const t = (await store.claim("exp"))!;
    await store.complete(t.key, outcome(0.4, 0.3));
    dropLeases(path);
    setRaw(path, "DROP TABLE diagnostics");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN role");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN priority");
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN label"); // added in version 6
    setRaw(path, "UPDATE meta SET value = '2' WHERE key = 'schema'");
    const again = await ResultStore.open(path, { mustExist: true });
    try {
      const curve = await again.curve(t.key);
      assert.equal(curve.length, 2);
      assert.deepEqual(curve.map((p) => p.diagnostics), [{}, {}]);
      assert.deepEqual(curve[1].losses, { bpr: 0.5 });
    } finally {
      await again.close();
    }
  });
});

Deno.test("claim: takes a lease (host, pid, worker, expiry) that renew extends", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const before = Date.now();
    const t = (await store.claim("exp"))!;
    const lease = (await store.trials("exp"))[0].lease!;
    assert.equal(lease.host, Deno.hostname());
    assert.equal(lease.pid, Deno.pid);
    assert.equal(lease.worker, store.worker);
    const expires = Date.parse(lease.expires!);
    assert.ok(expires >= before + store.leaseSeconds * 1000 - 5, lease.expires!);
    setRaw(
      path,
      "UPDATE trials SET lease_expires = '2000-01-01T00:00:00.000Z' WHERE key = ?",
      t.key,
    );
    assert.equal(await store.renew(t.key), true);
    assert.ok(Date.parse((await store.trials("exp"))[0].lease!.expires!) >= expires);
    // Another worker's trial is not renewed by this one; a finished trial has no lease.
    assert.equal(await store.renew(TRIALS[1].key), false);
    await store.complete(t.key, outcome(0.4, 0.3));
    assert.equal((await store.trials("exp"))[0].lease, undefined);
    assert.equal(await store.renew(t.key), false);
  });
});

Deno.test("a trial on another host is re-queued when its lease expires, not before", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!, b = (await store.claim("exp"))!;
    // Both run on another node (process ids mean nothing there); a's lease has expired.
    setRaw(path, "UPDATE trials SET host = 'node7', worker = 'node7:12 slurm 5_1'");
    setRaw(
      path,
      "UPDATE trials SET lease_expires = '2000-01-01T00:00:00.000Z' WHERE key = ?",
      a.key,
    );
    // The next claim re-queues a and takes it (plan order), leaving b to its worker.
    assert.equal((await store.claim("exp"))?.key, a.key);
    assert.equal((await store.trials("exp"))[0].lease?.worker, store.worker);
    assert.equal((await statusOf(store, "exp"))[b.key], "running");
    assert.equal(await store.requeueStale("exp"), 0);
    // Its former worker's heartbeat now fails: the trial is someone else's.
    const other = await ResultStore.open(path, { mustExist: true, worker: "node7:12 slurm 5_1" });
    try {
      assert.equal(await other.renew(a.key), false);
      assert.equal(await other.renew(b.key), true);
    } finally {
      await other.close();
    }
    // register re-queues an expired lease too.
    setRaw(
      path,
      "UPDATE trials SET lease_expires = '2000-01-01T00:00:00.000Z' WHERE key = ?",
      b.key,
    );
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    assert.equal((await statusOf(store, "exp"))[b.key], "pending");
  });
});

Deno.test("fail: a trial another worker finished stays done", async () => {
  await withStore(async (_path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const t = (await store.claim("exp"))!;
    await store.complete(t.key, outcome(0.4, 0.3));
    await store.fail(t.key, "late failure of a worker that had lost its lease");
    assert.equal((await statusOf(store, "exp"))[t.key], "done");
  });
});

Deno.test("open: a version-4 store gains leases; its running trials are judged by process", async () => {
  await withStore(async (path, store) => {
    await store.register("exp", "exp.yaml", "", {}, TRIALS);
    const a = (await store.claim("exp"))!, b = (await store.claim("exp"))!;
    dropLeases(path);
    setRaw(path, "ALTER TABLE experiment_trials DROP COLUMN label"); // added in version 6
    setRaw(path, "UPDATE meta SET value = '4' WHERE key = 'schema'");
    const proc = new Deno.Command("true").spawn();
    await proc.status;
    setRaw(path, "UPDATE trials SET pid = ? WHERE key = ?", proc.pid, a.key);
    setRaw(path, "UPDATE trials SET host = 'node7' WHERE key = ?", b.key);
    const again = await ResultStore.open(path, { mustExist: true });
    try {
      const s = await statusOf(again, "exp");
      assert.deepEqual([s[a.key], s[b.key]], ["running", "running"]);
      assert.deepEqual((await again.trials("exp"))[0].lease?.expires, null);
      // a's process is gone: re-queued; b (another host, no lease) is left to its worker.
      assert.equal(await again.requeueStale("exp"), 1);
      assert.equal((await again.claim("exp"))?.key, a.key);
      assert.ok((await again.trials("exp"))[0].lease?.expires);
    } finally {
      await again.close();
    }
    assert.equal(getRaw(path, SCHEMA_SQL).value, String(SCHEMA_VERSION));
  });
});

Deno.test("an error that ended the transaction itself (a full disk) comes through, not ROLLBACK's", async () => {
  const dir = await Deno.makeTempDir();
  const store = await ResultStore.open(join(dir, "s.sqlite"));
  try {
    // SQLite ends the transaction on SQLITE_FULL; simulate that, then fail as the write did.
    const db = (store as unknown as { db: { exec(sql: string): void } }).db;
    assert.throws(
      () =>
        (store as SqliteStore).transaction(() => {
          db.exec("ROLLBACK");
          throw new Error("database or disk is full");
        }),
      /database or disk is full/,
    );
    assert.equal((store as SqliteStore).transaction(() => 7), 7, "the store stays usable");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: a short text file is not a store either, and is left byte-identical", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    const path = join(dir, "short.db");
    await Deno.writeTextFile(path, "hi\n");
    await assert.rejects(() => ResultStore.open(path), /not a result store or corrupt/);
    assert.equal(await Deno.readTextFile(path), "hi\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Another program that reads an SQLite file and closes it as a last connection would (checkpoint
 * and delete the write-ahead log): the sqlite3 shell or Python's sqlite3, whichever is here.
 */
function otherSqliteReader(path: string): Deno.Command | null {
  const sql = "SELECT count(*) FROM trials;";
  for (
    const [cmd, args] of [
      ["sqlite3", [path, sql]],
      ["python3", [
        "-c",
        `import sqlite3; c = sqlite3.connect(${JSON.stringify(path)}); ` +
        `c.execute(${JSON.stringify(sql)}).fetchall(); c.close()`,
      ]],
    ] as const
  ) {
    try {
      if (
        new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
          .outputSync().success
      ) return new Deno.Command(cmd, { args: [...args] });
    } catch {
      // not installed: try the next
    }
  }
  return null;
}

const READER = otherSqliteReader("/dev/null");

Deno.test({
  name: "open again in one process: another program closing the store keeps its log",
  ignore: READER === null, // neither sqlite3 nor python3 here
  fn: async () => {
    // Opening the store a second time must not drop the first connection's locks: else the next
    // other program to close the database takes itself for the last connection and deletes the
    // write-ahead log this process still writes to (its later writes are then lost to others).
    const dir = await Deno.makeTempDir({ prefix: "store_test_" });
    try {
      const path = join(dir, "store.sqlite");
      const a = await ResultStore.open(path);
      await a.register("exp", "exp.yaml", "", {}, TRIALS);
      const b = await ResultStore.open(path);
      await b.close();
      const out = await otherSqliteReader(path)!.output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.ok((await Deno.stat(`${path}-wal`)).isFile, "the write-ahead log is still there");
      assert.equal((await a.claim("exp"))?.key, TRIALS[0].key);
      const seen = new DatabaseSync(path);
      try {
        const n = seen.prepare("SELECT count(*) AS n FROM trials WHERE status = 'running'").get();
        assert.equal(Number(n?.n), 1, "a write after the other program closed is seen by others");
      } finally {
        seen.close();
      }
      await a.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("copyFrom: the same file, a symbolic link or a hard link of it is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    const path = join(dir, "a.sqlite");
    const s = await ResultStore.open(path);
    await s.register("exp", "exp.yaml", "", {}, TRIALS);
    await s.close();
    const before = await Deno.readFile(path);
    Deno.symlinkSync(path, join(dir, "sym.sqlite"));
    Deno.linkSync(path, join(dir, "hard.sqlite"));
    for (const other of ["a.sqlite", "sym.sqlite", "hard.sqlite"]) {
      const target = await ResultStore.open(join(dir, other), { mustExist: true });
      try {
        await assert.rejects(target.copyFrom(path), (e: Error) => {
          assert.ok(e instanceof StoreError, String(e));
          assert.equal(
            e.message,
            `${path}: is the store being copied into (FROM and TO are one file)`,
          );
          return true;
        });
      } finally {
        await target.close();
      }
    }
    assert.deepEqual(await Deno.readFile(path), before);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["a.sqlite", "hard.sqlite", "sym.sqlite"],
      "no -wal or -shm file is left",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
