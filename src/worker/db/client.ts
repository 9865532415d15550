/** The typed drizzle client over D1; routes get it from the request context as `c.var.db`. */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export function makeDb(d1: D1Database) {
  return drizzle(d1, { schema, casing: "snake_case" });
}

export type Db = ReturnType<typeof makeDb>;
export { schema };

/** drizzle wraps D1 errors ("Failed query: …"); the constraint name is in the cause chain. */
export function isUniqueViolation(err: unknown, target?: string): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const text = String(e);
    if (text.includes("UNIQUE constraint failed") && (!target || text.includes(target))) return true;
  }
  return false;
}
