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
    db.exec("ROLLBACK");
    throw e;
  }
}

/** The open, checked and current database of the store at `path`. */
export function openStoreFile(path: string, mustExist: boolean): DatabaseSync {
  let exists = true;
  try {
    Deno.statSync(path);
  } catch {
    exists = false;
  }
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
