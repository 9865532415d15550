/** Reading and writing per-user settings documents (one row per section in `user_settings`). */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { userSettings } from "../db/schema.ts";
import { isoNow } from "../lib/ids.ts";

export async function readSection<T>(db: Db, userId: string, section: string, fallback: T): Promise<T> {
  const row = await db
    .select({ value: userSettings.value })
    .from(userSettings)
    .where(and(eq(userSettings.userId, userId), eq(userSettings.section, section)))
    .get();
  return row ? (row.value as T) : fallback;
}

export function writeSection(db: Db, userId: string, section: string, value: unknown) {
  const updatedAt = isoNow();
  return db
    .insert(userSettings)
    .values({ userId, section, value, updatedAt })
    .onConflictDoUpdate({ target: [userSettings.userId, userSettings.section], set: { value, updatedAt } });
}

/** Removes a section, so reads fall back to its default (the column is NOT NULL: null is never stored). */
export function clearSection(db: Db, userId: string, section: string) {
  return db.delete(userSettings).where(and(eq(userSettings.userId, userId), eq(userSettings.section, section)));
}
