/**
 * Refresh tokens: opaque 256-bit random strings, stored only as SHA-256 hashes, valid 7 days, rotated on
 * every use. Each login starts a "family"; presenting an already-rotated token again is treated as theft and
 * revokes the whole family (all sessions descended from that login), except within a short grace window,
 * which covers two tabs refreshing with the same cookie at the same moment.
 */
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { refreshTokens } from "../db/schema.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { unauthorized } from "../lib/errors.ts";
import { isoNow, newId } from "../lib/ids.ts";

export const REFRESH_TTL_S = 7 * 24 * 3600;
export const REFRESH_COOKIE = "refresh_token";
export const REFRESH_COOKIE_PATH = "/api/auth";
/** A rotated token presented again within this window is a concurrent refresh, not a replay. */
export const ROTATION_GRACE_MS = 10_000;

export async function issueRefreshToken(
  db: Db,
  userId: string,
  opts: { familyId?: string; userAgent?: string | null; now?: number } = {},
): Promise<string> {
  const now = opts.now ?? Date.now();
  const token = randomToken(32);
  await db.insert(refreshTokens).values({
    id: newId(),
    userId,
    familyId: opts.familyId ?? newId(),
    tokenHash: await sha256Hex(token),
    expiresAt: isoNow(now + REFRESH_TTL_S * 1000),
    createdAt: isoNow(now),
    userAgent: opts.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

export type RotationResult =
  | { kind: "rotated"; userId: string; token: string }
  | { kind: "concurrent"; userId: string } // grace window: new access token, keep the newer cookie
  | { kind: "reuse"; userId: string; familyId: string };

export async function rotateRefreshToken(db: Db, token: string, userAgent?: string | null, now = Date.now()): Promise<RotationResult> {
  const row = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(token)))
    .get();
  if (!row) throw unauthorized("Invalid refresh token");
  if (row.revokedAt) throw unauthorized("Refresh token revoked");
  if (Date.parse(row.expiresAt) <= now) throw unauthorized("Refresh token expired", "token_expired");

  if (!row.rotatedAt) {
    // Claim the rotation atomically: only one concurrent request can flip rotated_at from NULL.
    const claimed = await db
      .update(refreshTokens)
      .set({ rotatedAt: isoNow(now) })
      .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    if (claimed.length === 1) {
      const next = await issueRefreshToken(db, row.userId, { familyId: row.familyId, userAgent, now });
      return { kind: "rotated", userId: row.userId, token: next };
    }
    return { kind: "concurrent", userId: row.userId };
  }
  if (now - Date.parse(row.rotatedAt) <= ROTATION_GRACE_MS) return { kind: "concurrent", userId: row.userId };

  await revokeFamily(db, row.familyId, now);
  return { kind: "reuse", userId: row.userId, familyId: row.familyId };
}

export async function revokeFamily(db: Db, familyId: string, now = Date.now()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: isoNow(now) })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Logout: revoke the presented token's family. Unknown tokens are ignored (logout always succeeds). */
export async function revokeByToken(db: Db, token: string): Promise<string | undefined> {
  const row = await db
    .select({ familyId: refreshTokens.familyId, userId: refreshTokens.userId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(token)))
    .get();
  if (row) await revokeFamily(db, row.familyId);
  return row?.userId;
}

export async function purgeExpiredRefreshTokens(db: Db, userId: string, now = Date.now()): Promise<void> {
  await db.delete(refreshTokens).where(and(eq(refreshTokens.userId, userId), lt(refreshTokens.expiresAt, isoNow(now))));
}
