/** The typed drizzle client over D1; routes get it from the request context as `c.var.db`. */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export function makeDb(d1: D1Database) {
  return drizzle(d1, { schema, casing: "snake_case" });
}

export type Db = ReturnType<typeof makeDb>;
export { schema };

export type ConstraintKind = "unique" | "not_null" | "check" | "foreign_key";

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  UNIQUE: "unique",
  "PRIMARY KEY": "unique",
  "NOT NULL": "not_null",
  CHECK: "check",
  "FOREIGN KEY": "foreign_key",
};

/**
 * The SQLite constraint a D1 error reports ("NOT NULL constraint failed: user_settings.value"), or null.
 * drizzle wraps D1 errors in "Failed query: … params: …", whose text includes the bound values, so only the
 * errors without a `query` (D1's own, further down the cause chain) are read: a user's text never matches.
 */
export function constraintViolation(err: unknown): { kind: ConstraintKind; target: string } | null {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (typeof e === "object" && "query" in e) continue;
    const m = /(UNIQUE|PRIMARY KEY|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?::\s*([\w., ]+))?/.exec(e instanceof Error ? e.message : String(e));
    if (m) return { kind: CONSTRAINT_KINDS[m[1]!]!, target: (m[2] ?? "").trim() };
  }
  return null;
}

/** A UNIQUE violation, optionally on `target` ("users.email"). */
export function isUniqueViolation(err: unknown, target?: string): boolean {
  const v = constraintViolation(err);
  return v?.kind === "unique" && (!target || v.target.includes(target));
}

/**
 * Runs `insert`; when a row it references was deleted mid-run (a FOREIGN KEY failure), runs `withoutRefs`, which
 * nulls the optional references as ON DELETE SET NULL would have (rows keep their name snapshots). If that fails
 * too, the run itself is gone (deleted once cancelled): false, nothing to store. Without this the queue message
 * failed, was retried and dead-lettered, and the job failed.
 */
export async function insertDespiteDeletions(insert: () => Promise<boolean>, withoutRefs: () => Promise<boolean>): Promise<boolean> {
  try {
    return await insert();
  } catch (err) {
    if (constraintViolation(err)?.kind !== "foreign_key") throw err;
  }
  try {
    return await withoutRefs();
  } catch (err) {
    if (constraintViolation(err)?.kind === "foreign_key") return false;
    throw err;
  }
}
