/**
 * Login limiter: 5 failed logins per IP in a 300 s window lock that IP out for 900 s (429 + Retry-After).
 *
 * The attempt is claimed *before* the password is checked, by one atomic upsert, so N concurrent attempts can
 * check at most 5 passwords: the 6th claim finds the window full and is refused without touching bcrypt. A
 * successful login gives its claim back; a failed one keeps it and locks the IP once the window is full.
 * The state lives in D1, so it holds across isolates and restarts.
 */
import type { Db } from "../db/client.ts";
import { ApiError } from "../lib/errors.ts";
import { isoNow } from "../lib/ids.ts";

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_S = 300;
export const LOGIN_LOCKOUT_S = 900;

function lockedOut(lockedUntil: string, now: number): ApiError {
  const seconds = Math.max(1, Math.ceil((Date.parse(lockedUntil) - now) / 1000));
  return new ApiError(429, "rate_limited", `Too many login attempts. Try again in ${seconds} seconds.`, undefined, {
    "Retry-After": String(seconds),
  });
}

/**
 * Counts one attempt for this IP, or throws 429 when the IP is locked or its window is already full (then the
 * lock starts now). Column references inside DO UPDATE SET read the old row, so every CASE sees the same state.
 */
export async function claimLoginAttempt(db: Db, ip: string, now = Date.now()): Promise<void> {
  const nowIso = isoNow(now);
  const row = await db.$client
    .prepare(
      `INSERT INTO login_attempts (ip, failures, window_started_at, locked_until) VALUES (?1, 1, ?2, NULL)
       ON CONFLICT(ip) DO UPDATE SET
         failures = CASE WHEN locked_until > ?2 THEN failures
                         WHEN window_started_at < ?3 THEN 1
                         WHEN failures >= ?4 THEN failures
                         ELSE failures + 1 END,
         window_started_at = CASE WHEN locked_until > ?2 THEN window_started_at
                                  WHEN window_started_at < ?3 THEN ?2
                                  ELSE window_started_at END,
         locked_until = CASE WHEN locked_until > ?2 THEN locked_until
                             WHEN window_started_at >= ?3 AND failures >= ?4 THEN ?5
                             ELSE NULL END
       RETURNING locked_until`,
    )
    .bind(ip, nowIso, isoNow(now - LOGIN_WINDOW_S * 1000), LOGIN_MAX_FAILURES, isoNow(now + LOGIN_LOCKOUT_S * 1000))
    .first<{ locked_until: string | null }>();
  if (row?.locked_until && row.locked_until > nowIso) throw lockedOut(row.locked_until, now);
}

/** The claimed attempt failed: it stays counted, and the IP is locked once the window is full. Returns the count. */
export async function recordLoginFailure(db: Db, ip: string, now = Date.now()): Promise<number> {
  const row = await db.$client
    .prepare(
      `UPDATE login_attempts SET locked_until = CASE WHEN failures >= ?2 AND (locked_until IS NULL OR locked_until <= ?3)
                                                      THEN ?4 ELSE locked_until END
       WHERE ip = ?1 RETURNING failures`,
    )
    .bind(ip, LOGIN_MAX_FAILURES, isoNow(now), isoNow(now + LOGIN_LOCKOUT_S * 1000))
    .first<{ failures: number }>();
  return row?.failures ?? 1;
}

/** The claimed attempt succeeded: it was not a failure, so it no longer counts against the window. */
export async function releaseLoginAttempt(db: Db, ip: string, now = Date.now()): Promise<void> {
  await db.$client
    .prepare("UPDATE login_attempts SET failures = MAX(failures - 1, 0) WHERE ip = ?1 AND (locked_until IS NULL OR locked_until <= ?2)")
    .bind(ip, isoNow(now))
    .run();
}
