/**
 * Share rows: create (a link token shown once, stored as its SHA-256 hash), the owner's list, revoke (delete), and
 * the two ways in: by link token (anyone) and by id for the owner or a named recipient. Expired shares are found
 * by none of the ways in, exactly like unknown ones.
 */
import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { shareRecipients, shares, users } from "../db/schema.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import type { ShareResourceType } from "./registry.ts";

export type ShareRow = typeof shares.$inferSelect;

/** 32 random bytes from crypto.getRandomValues (256 bits), base64url: 43 characters. */
export const TOKEN_BYTES = 32;

export const hashToken = (token: string) => sha256Hex(`share:${token}`);

/** Not expired at `nowIso` (no expiry, or one still ahead). */
const live = (nowIso: string) => or(isNull(shares.expiresAt), gt(shares.expiresAt, nowIso));

export async function createShare(
  db: Db,
  ownerId: string,
  s: { type: ShareResourceType; resourceId: string; expiresAt: string | null; recipientIds: string[] },
): Promise<{ row: ShareRow; token: string | null }> {
  const id = newId();
  const token = s.recipientIds.length ? null : randomToken(TOKEN_BYTES);
  const values = {
    id,
    userId: ownerId,
    resourceType: s.type,
    resourceId: s.resourceId,
    tokenHash: token ? await hashToken(token) : null,
    expiresAt: s.expiresAt,
  };
  const insertShare = db.insert(shares).values(values).returning();
  if (!s.recipientIds.length) {
    const [row] = await insertShare;
    return { row: row!, token };
  }
  const [[row]] = await db.batch([insertShare, db.insert(shareRecipients).values(s.recipientIds.map((userId) => ({ shareId: id, userId })))]);
  return { row: row!, token };
}

/** The owner's shares, newest first, each with its recipients' emails. */
export async function ownerShares(db: Db, ownerId: string, limit = 500) {
  const rows = await db.select().from(shares).where(eq(shares.userId, ownerId)).orderBy(desc(shares.createdAt)).limit(limit);
  const recipients = rows.length
    ? await db
        .select({ shareId: shareRecipients.shareId, email: users.email })
        .from(shareRecipients)
        .innerJoin(users, eq(users.id, shareRecipients.userId))
        .where(
          inList(
            shareRecipients.shareId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const emailsOf = new Map<string, string[]>();
  for (const r of recipients) emailsOf.set(r.shareId, [...(emailsOf.get(r.shareId) ?? []), r.email]);
  return rows.map((row) => ({ row, recipients: (emailsOf.get(row.id) ?? []).sort() }));
}

/** Deletes the owner's share; false when there is none of theirs with that id. */
export async function deleteShare(db: Db, ownerId: string, id: string): Promise<ShareRow | null> {
  const [row] = await db
    .delete(shares)
    .where(and(eq(shares.id, id), eq(shares.userId, ownerId)))
    .returning();
  return row ?? null;
}

/** A live link share by its token (any malformed or unknown token simply matches nothing). */
export async function shareByToken(db: Db, token: string, nowIso: string): Promise<ShareRow | null> {
  const row = await db
    .select()
    .from(shares)
    .where(and(eq(shares.tokenHash, await hashToken(token)), live(nowIso)))
    .get();
  return row ?? null;
}

/** A live share that `viewerId` may open signed in: their own, or one naming them. */
export async function shareForViewer(db: Db, viewerId: string, id: string, nowIso: string): Promise<ShareRow | null> {
  const row = await db
    .select()
    .from(shares)
    .where(
      and(
        eq(shares.id, id),
        live(nowIso),
        or(
          eq(shares.userId, viewerId),
          sql`EXISTS (SELECT 1 FROM ${shareRecipients} WHERE ${shareRecipients.shareId} = ${shares.id} AND ${shareRecipients.userId} = ${viewerId})`,
        ),
      ),
    )
    .get();
  return row ?? null;
}

/** Live shares naming `viewerId`, newest first, with who shared them. */
export async function receivedShares(db: Db, viewerId: string, nowIso: string, limit = 500) {
  return db
    .select({ row: shares, sharedBy: users.email })
    .from(shareRecipients)
    .innerJoin(shares, eq(shares.id, shareRecipients.shareId))
    .innerJoin(users, eq(users.id, shares.userId))
    .where(and(eq(shareRecipients.userId, viewerId), live(nowIso)))
    .orderBy(desc(shares.createdAt))
    .limit(limit);
}

/** Counts one opening (shown to the owner in their list). */
export async function recordOpen(db: Db, id: string, nowIso: string): Promise<void> {
  await db
    .update(shares)
    .set({ openCount: sql`${shares.openCount} + 1`, lastOpenedAt: nowIso })
    .where(eq(shares.id, id));
}
