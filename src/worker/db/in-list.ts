/**
 * `column IN (…)` for lists of any length. D1 allows at most 100 bound parameters per query, and drizzle's
 * `inArray` binds one per value, so a long list (a 400-case suite, a page of 200 runs) would fail with a 500.
 * Here the whole list travels as one JSON parameter and SQLite unpacks it with `json_each`.
 */
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export function inList(column: SQLiteColumn, values: readonly string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
