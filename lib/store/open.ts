/**
 * Opening a result-store file: create it (and its folder) unless it must exist, set the SQLite
 * pragmas (WAL journal, busy timeout), create the tables, migrate an older schema version, and
 * turn every way a file is not a usable store into one {@linkcode StoreError} line.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import type { Row } from "./rows.ts";
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from "./schema.ts";

/** A store problem (missing, corrupt, locked, foreign file), one line naming the file. */
export class StoreError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = "StoreError";
  }
}

/** Brings the store from version `from` to `SCHEMA_VERSION` in one transaction. */
function migrate(db: DatabaseSync, from: number): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema'").run(String(SCHEMA_VERSION));
    db.exec("COMMIT");
  } catch (e) {
    rollback(db);
    throw e;
  }
}

/**
 * Rolls back the open transaction, if SQLite has not already done so itself: a full disk or an
 * I/O error ends the transaction, and a ROLLBACK then fails with "no transaction is active",
 * which would hide the error that matters (the caller rethrows that one).
 */
export function rollback(db: DatabaseSync): void {
  if (db.isTransaction) db.exec("ROLLBACK");
}

/** The tables the toolkit creates. */
const OWN_TABLES = new Set(
  [...SCHEMA.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((m) => m[1]),
);

/**
 * Checks, by reading it, that `path` may be used as a result store: absent, empty, or an SQLite
 * file whose `meta` table names a schema version or whose tables are all the toolkit's (none
 * included). Anything else — another
 * program's database, a text file, a folder — is a StoreError, before a byte is written to it.
 * Returns whether the file exists.
 *
 * The file is read through SQLite only, never through a file handle of its own: closing any
 * handle on a file drops every POSIX lock this process holds on it, so where the process already
 * has the store open (a coordinator that opens it again), its connections would lose their
 * shared lock, and the next other program to close the database would take itself for the last
 * connection and delete the write-ahead log that this process still writes to.
 */
export function checkStoreFile(path: string): boolean {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw new StoreError(path, `cannot read: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!info.isFile) throw new StoreError(path, "not a file (a result store is one SQLite file)");
  if (info.size === 0) return true;
  let tables: string[];
  let versioned = false;
  let db: DatabaseSync | undefined;
  try {
    // Not readOnly: a read-only connection to a WAL database leaves its -wal and -shm files
    // behind, where the last read-write connection removes them. Only SELECTs run here.
    db = new DatabaseSync(path);
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Row[])
      .map((r) => String(r.name));
    if (tables.includes("meta")) {
      try {
        versioned = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() !== undefined;
      } catch {
        versioned = false; // another program's `meta` table
      }
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/locked|busy/i.test(msg)) throw new StoreError(path, "locked by another process");
    if (/not a database/i.test(msg)) {
      throw new StoreError(
        path,
        "not a result store or corrupt (not an SQLite file); refusing to write to it",
      );
    }
    throw new StoreError(path, `not a result store or corrupt (SQLite: ${msg.split("\n")[0]})`);
  } finally {
    db?.close();
  }
  if (!versioned && tables.some((t) => !OWN_TABLES.has(t))) {
    const some = tables.slice(0, 3).join(", ") + (tables.length > 3 ? ", …" : "");
    throw new StoreError(
      path,
      `not a result store (an SQLite database with other tables: ${some}); refusing to write to it`,
    );
  }
  return true;
}

/** The open, checked and current database of the store at `path`. */
export function openStoreFile(path: string, mustExist: boolean): DatabaseSync {
  const exists = checkStoreFile(path);
  if (!exists && mustExist) {
    throw new StoreError(path, "no result store here (run an experiment first)");
  }
  if (!exists) Deno.mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 15000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec(SCHEMA);
    const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as Row | undefined;
    if (!v) db.prepare("INSERT INTO meta VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    else if (Number(v.value) < SCHEMA_VERSION && Number(v.value) in MIGRATIONS) {
      migrate(db, Number(v.value));
    } else if (Number(v.value) !== SCHEMA_VERSION) {
      throw new StoreError(path, `schema version ${v.value}; this toolkit reads ${SCHEMA_VERSION}`);
    }
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof StoreError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/not a database|malformed|file is encrypted/i.test(msg)) {
      throw new StoreError(path, "not a result store or corrupt (SQLite: file is not a database)");
    }
    if (/locked|busy/i.test(msg)) throw new StoreError(path, "locked by another process");
    throw new StoreError(path, `cannot open: ${msg.split("\n")[0]}`);
  }
}
