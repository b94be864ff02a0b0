/**
 * The SQL helpers of the PostgreSQL store's modules (`postgres.ts`, `postgres_tuning.ts`,
 * `postgres_copy.ts`): the query function they take, the server's time as an ISO string, and
 * lists passed as one JSON parameter.
 *
 * @example Usage
 * ```ts
 * import { inList, numbered } from "./postgres_sql.ts";
 *
 * numbered("SELECT * FROM tuning WHERE experiment = ? AND trial = ?"); // … = $1 AND trial = $2
 * `DELETE FROM metrics WHERE trial IN ${inList(1)}`; // with [JSON.stringify(keys)]
 * ```
 *
 * @module
 */
import type { Row } from "./rows.ts";

/** A query with `$n` parameters, on the pool or inside a transaction. */
export type Query = (text: string, params?: unknown[]) => Promise<Row[] & { count: number }>;

/** An ISO time (as JavaScript writes them) of a timestamptz expression, in UTC. */
export const iso = (t: string): string =>
  `to_char((${t}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The server's time now, as an ISO string. */
export const NOW: string = iso("now()");

/** JSON of a list, for `jsonb_array_elements_text($n::text::jsonb)` and `jsonb_to_recordset`. */
export const json = (v: unknown): string => JSON.stringify(v);

/** SQLite's `?` parameters as PostgreSQL's `$1`, `$2`, … (for SQL text both stores run). */
export function numbered(sqlite: string): string {
  let n = 0;
  return sqlite.replace(/\?/g, () => `$${++n}`);
}

/** `col IN` a JSON list parameter. */
export const inList = (n: number): string =>
  `(SELECT jsonb_array_elements_text($${n}::text::jsonb))`;
