/**
 * CLI tokens: the rows behind the 30-day `cli` JWTs. A token is shown once when created; only its id (the JWT's
 * `jti`), a name and its dates are stored. Revoking sets `revoked_at`; the auth middleware then refuses the token.
 */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { cliTokens } from "../db/schema.ts";
import { notFound, unauthorized } from "../lib/errors.ts";
import { isoNow } from "../lib/ids.ts";
import type { TokenClaims } from "./tokens.ts";

export type CliTokenRow = typeof cliTokens.$inferSelect;

/** last_used_at is written at most this often per token, so a busy CI job does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function cliTokenView(row: CliTokenRow) {
  return {
    id: row.id,
    name: row.name,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
  };
}

export async function recordCliToken(db: Db, claims: TokenClaims, name: string): Promise<CliTokenRow> {
  const [row] = await db
    .insert(cliTokens)
    .values({ id: claims.jti, userId: claims.sub, name, expiresAt: new Date(claims.exp * 1000).toISOString() })
    .returning();
  return row!;
}

export function listCliTokens(db: Db, userId: string): Promise<CliTokenRow[]> {
  return db.select().from(cliTokens).where(eq(cliTokens.userId, userId)).orderBy(desc(cliTokens.createdAt)).limit(200);
}

/** Revokes the owner's token (revoking twice is harmless); another user's or an unknown id is a 404. */
export async function revokeCliToken(db: Db, userId: string, id: string): Promise<CliTokenRow> {
  const [row] = await db
    .update(cliTokens)
    .set({ revokedAt: isoNow() })
    .where(and(eq(cliTokens.id, id), eq(cliTokens.userId, userId), isNull(cliTokens.revokedAt)))
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(cliTokens)
    .where(and(eq(cliTokens.id, id), eq(cliTokens.userId, userId)));
  if (!existing) throw notFound("CLI token");
  return existing;
}

/** Refuses a CLI token that was revoked or never recorded (e.g. issued before tokens were revocable). */
export async function checkCliToken(db: Db, claims: TokenClaims, now = Date.now()): Promise<void> {
  const [row] = await db
    .select({ revokedAt: cliTokens.revokedAt })
    .from(cliTokens)
    .where(and(eq(cliTokens.id, claims.jti), eq(cliTokens.userId, claims.sub)));
  if (!row) throw unauthorized("Unknown CLI token: create a new one in Settings → CLI tokens");
  if (row.revokedAt) throw unauthorized("This CLI token was revoked: create a new one in Settings → CLI tokens");
  const stale = new Date(now - LAST_USED_RESOLUTION_MS).toISOString();
  await db
    .update(cliTokens)
    .set({ lastUsedAt: isoNow(now) })
    .where(and(eq(cliTokens.id, claims.jti), or(isNull(cliTokens.lastUsedAt), lt(cliTokens.lastUsedAt, stale))));
}
