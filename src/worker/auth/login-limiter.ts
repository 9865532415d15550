/**
 * Login limiter: 5 failed logins per IP in a 300 s window lock that IP out for 900 s (429 + Retry-After).
 * The state lives in D1 and is updated by one atomic upsert, so it holds across isolates and restarts.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { loginAttempts } from "../db/schema.ts";
import { ApiError } from "../lib/errors.ts";
import { isoNow } from "../lib/ids.ts";

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_S = 300;
export const LOGIN_LOCKOUT_S = 900;

export async function assertNotLockedOut(db: Db, ip: string, now = Date.now()): Promise<void> {
  const row = await db.select().from(loginAttempts).where(eq(loginAttempts.ip, ip)).get();
  if (!row?.lockedUntil) return;
  const remainingMs = Date.parse(row.lockedUntil) - now;
  if (remainingMs > 0) {
    const seconds = Math.ceil(remainingMs / 1000);
    throw new ApiError(429, "rate_limited", `Too many login attempts. Try again in ${seconds} seconds.`, undefined, {
      "Retry-After": String(seconds),
    });
  }
}

/** Records one failure; returns the failure count in the current window. */
export async function recordLoginFailure(db: Db, ip: string, now = Date.now()): Promise<number> {
  const nowIso = isoNow(now);
  const windowStart = isoNow(now - LOGIN_WINDOW_S * 1000);
  const lockUntil = isoNow(now + LOGIN_LOCKOUT_S * 1000);
  // Column references inside DO UPDATE SET read the old row, so every CASE sees the pre-update state.
  const row = await db.$client
    .prepare(
      `INSERT INTO login_attempts (ip, failures, window_started_at, locked_until) VALUES (?1, 1, ?2, NULL)
       ON CONFLICT(ip) DO UPDATE SET
         failures = CASE WHEN window_started_at < ?3 THEN 1 ELSE failures + 1 END,
         window_started_at = CASE WHEN window_started_at < ?3 THEN ?2 ELSE window_started_at END,
         locked_until = CASE WHEN (CASE WHEN window_started_at < ?3 THEN 1 ELSE failures + 1 END) >= ?4
                             THEN ?5 ELSE locked_until END
       RETURNING failures`,
    )
    .bind(ip, nowIso, windowStart, LOGIN_MAX_FAILURES, lockUntil)
    .first<{ failures: number }>();
  return row?.failures ?? 1;
}
