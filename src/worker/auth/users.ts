/** User rows and the public user shape returned by the API. */

import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { users } from "../db/schema.ts";

export type UserRow = typeof users.$inferSelect;

export const PublicUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(["admin", "user"]),
    onboarding_completed: z.boolean(),
    created_at: z.string(),
  })
  .openapi("User");

export type PublicUser = z.infer<typeof PublicUserSchema>;

export function userView(u: UserRow): PublicUser {
  return { id: u.id, email: u.email, role: u.role, onboarding_completed: u.onboardingCompleted, created_at: u.createdAt };
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `ADMIN_EMAIL` promotes the matching account (checked at register and login, so no startup hook is needed). */
export function isConfiguredAdmin(env: Env, email: string): boolean {
  const configured = (env.ADMIN_EMAIL ?? "").trim().toLowerCase();
  return configured !== "" && configured === normalizeEmail(email);
}
