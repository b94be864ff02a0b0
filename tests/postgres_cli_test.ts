/**
 * The command line on a PostgreSQL store (needs `M2VAE_PG_URL`, see `lib/store/_backends.ts`;
 * skipped without it unless `M2VAE_PG_TEST=required`): a tiny experiment run with two worker
 * processes into `--store postgres://…` (each with its heartbeat's own connection), `status` on
 * it, the same run from `M2VAE_STORE` finding everything done, and `store copy` into an SQLite
 * file and back, the second copy adding nothing, the copy's report equal to the original's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { backends } from "../lib/store/_backends.ts";
import { ResultStore } from "../lib/store/mod.ts";

const root = new URL("..", import.meta.url).pathname;

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const EXPERIMENT = `
name: pg_tiny
datasets:
  synthetic: { users: 120, items: 100, seed: 3 }
models:
  random: {}
  popularity: {}
seeds: 2
settings: { epochs: 1, batchSize: 256 }
`;

const pg = backends().find((b) => b.name === "postgres")!;

Deno.test({
  name: `run --jobs 2, status and store copy on a PostgreSQL store${
    pg.skip ? ` (skipped: ${pg.skip})` : ""
  }`,
  ignore: pg.skip !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await pg.make();
    const dir = await Deno.makeTempDir({ prefix: "pg_cli_test_" });
    try {
      const file = join(dir, "exp.yaml");
      await Deno.writeTextFile(file, EXPERIMENT);
      const env = { M2VAE_ARTIFACTS: join(dir, "artifacts") };
      const run = await cli(
        ["run", file, "--store", db.path, "--out", join(dir, "out"), "--jobs", "2", "--quiet"],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const status = await cli(["status", "--store", db.path, "--experiment", "pg_tiny"], env);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /trials: 0 pending, 0 running, 4 done, 0 failed/);
      // Every trial ran once: one claim each (started_at set once, by one worker).
      const rows = await db.raw("SELECT key, worker, status FROM trials ORDER BY key");
      assert.equal(rows.length, 4);
      assert.ok(rows.every((r) => r.status === "done"), JSON.stringify(rows));
      // M2VAE_STORE selects the store without --store: nothing is left to run.
      const again = await cli(["run", file, "--out", join(dir, "out2"), "--quiet"], {
        ...env,
        M2VAE_STORE: db.path,
      });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout + again.stderr, /4\/4 trials done/);
      // Copy into a laptop file and back: idempotent by trial key.
      const laptop = join(dir, "laptop", "store.sqlite");
      const down = await cli(["store", "copy", db.path, laptop], env);
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stdout, /: 4 trial\(s\) added, 0 replaced/);
      const up = await cli(["store", "copy", laptop, db.path], env);
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, /: 0 trial\(s\) added, 0 replaced .* 0 link\(s\), 0 tuning/);
      const a = await ResultStore.open(db.path, { mustExist: true });
      const b = await ResultStore.open(laptop, { mustExist: true });
      try {
        const keys = (await a.trials("pg_tiny")).map((t) => t.spec.key);
        assert.deepEqual(await b.metrics(keys, "test"), await a.metrics(keys, "test"));
        assert.deepEqual(
          (await b.trials("pg_tiny")).map((t) => [t.spec, t.status]),
          (await a.trials("pg_tiny")).map((t) => [t.spec, t.status]),
        );
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await db.drop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
