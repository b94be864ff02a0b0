/**
 * Test support: the result-store backends a test runs against. SQLite always (a file in a
 * temporary folder); PostgreSQL when `M2VAE_PG_URL` names a server where its user may create
 * databases (each store is a database of its own, dropped afterwards). Without `M2VAE_PG_URL`
 * the PostgreSQL tests are skipped with a line that says so, unless `M2VAE_PG_TEST=required`
 * (CI), where they fail. `.ci/postgres/start.sh` starts a throwaway server and prints the URL.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import postgres from "postgres";

/** A fresh, empty store location of one backend, with raw SQL access for tests. */
export interface TestStore {
  /** What `ResultStore.open` takes: a file or a `postgres://` URL. */
  path: string;
  /** Runs one statement with `?` parameters; returns its rows. */
  raw(sql: string, ...params: (string | number | null)[]): Promise<Record<string, any>[]>;
  /** Removes the store (and its folder or database). */
  drop(): Promise<void>;
}

/** One backend: its name and how to make a fresh store location. */
export interface Backend {
  name: "sqlite" | "postgres";
  /** Why its tests are skipped here, if they are. */
  skip?: string;
  make(): Promise<TestStore>;
}

/** The PostgreSQL server of the tests, or why there is none (an error when it is required). */
export function pgTestUrl(): { url?: string; skip?: string } {
  const url = Deno.env.get("M2VAE_PG_URL");
  if (url) return { url };
  const why = "M2VAE_PG_URL is not set (.ci/postgres/start.sh starts a throwaway server " +
    "and prints it)";
  if (Deno.env.get("M2VAE_PG_TEST") === "required") {
    throw new Error(`M2VAE_PG_TEST=required but ${why}`);
  }
  return { skip: why };
}

let warned = false;

/** The backends to run a store test on: SQLite, and PostgreSQL where a server is given. */
export function backends(): Backend[] {
  const pg = pgTestUrl();
  if (pg.skip && !warned) {
    warned = true;
    console.warn(`PostgreSQL store tests skipped: ${pg.skip}`);
  }
  return [
    {
      name: "sqlite",
      async make() {
        const dir = await Deno.makeTempDir({ prefix: "store_sqlite_" });
        const path = join(dir, "store.sqlite");
        return {
          path,
          raw(sql, ...params) {
            const db = new DatabaseSync(path);
            try {
              db.exec("PRAGMA busy_timeout = 5000");
              const st = db.prepare(sql);
              return Promise.resolve(
                /^\s*select/i.test(sql) ? st.all(...params) as any[] : (st.run(...params), []),
              );
            } finally {
              db.close();
            }
          },
          drop: () => Deno.remove(dir, { recursive: true }),
        };
      },
    },
    {
      name: "postgres",
      skip: pg.skip,
      async make() {
        const admin = postgres(pg.url!, { max: 1, onnotice: () => {} });
        const db = `m2vae_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
        await admin.unsafe(`CREATE DATABASE ${db}`);
        const url = new URL(pg.url!);
        url.pathname = `/${db}`;
        const path = url.toString();
        let client: postgres.Sql | undefined;
        return {
          path,
          async raw(sql, ...params) {
            client ??= postgres(path, { max: 1, onnotice: () => {} });
            let n = 0;
            const text = sql.replace(/\?/g, () => `$${++n}`);
            return [...await client.unsafe(text, params as any[])];
          },
          async drop() {
            await client?.end({ timeout: 5 });
            await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
            await admin.end({ timeout: 5 });
          },
        };
      },
    },
  ];
}

/**
 * Registers `fn` as one test per backend (`name [sqlite]`, `name [postgres]`), each on a fresh
 * store location; a skipped backend's test is ignored, its reason in the name.
 */
export function storeTest(name: string, fn: (t: TestStore, backend: string) => Promise<void>) {
  for (const b of backends()) {
    Deno.test({
      name: `${name} [${b.name}]${b.skip ? ` (skipped: ${b.skip})` : ""}`,
      ignore: b.skip !== undefined,
      // A PostgreSQL client keeps its connections' resources until it ends (done in drop).
      sanitizeResources: b.name === "sqlite",
      sanitizeOps: b.name === "sqlite",
      async fn() {
        const t = await b.make();
        try {
          await fn(t, b.name);
        } finally {
          await t.drop();
        }
      },
    });
  }
}
