/**
 * Who may call a route. Every route declares one auth level where it is declared (`route({ auth, … })` in
 * lib/http.ts, or `auth(level)` as the first handler of a plain Hono route); the level's middleware then runs for
 * that route only. Bearer authentication accepts access or CLI tokens (a CLI token only while its cli_tokens row is
 * live) and re-reads the user row on every request.
 */

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../lib/app-env.ts";
import { forbidden, unauthorized } from "../lib/errors.ts";
import { checkCliToken } from "./cli-tokens.ts";
import { verifyToken } from "./tokens.ts";
import { findUserById, type UserRow } from "./users.ts";

/** public: anyone; user: a valid bearer token; admin: a valid bearer token of an admin. */
export type AuthLevel = "public" | "user" | "admin";
export const AUTH_LEVELS = ["public", "user", "admin"] as const satisfies readonly AuthLevel[];

async function authenticate(c: Context<AppEnv>): Promise<UserRow> {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized("Not authenticated");
  const claims = await verifyToken(c.env, match[1], ["access", "cli"]);
  const user = await findUserById(c.var.db, claims.sub);
  if (!user) throw unauthorized("User not found");
  if (claims.typ === "cli") await checkCliToken(c.var.db, claims);
  c.set("user", user);
  c.set("tokenType", claims.typ);
  c.set("log", c.var.log.child({ user_id: user.id }));
  return user;
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c);
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const user = await authenticate(c);
  if (user.role !== "admin") throw forbidden("Admin access required");
  await next();
});

/** Does nothing: it is how a public route says so, visibly, in the route table. */
export const allowPublic = createMiddleware<AppEnv>(async (_c, next) => {
  await next();
});

const BY_LEVEL = { public: allowPublic, user: requireUser, admin: requireAdmin } as const;

/** The middleware that enforces `level`: attach it to one route, never to a path pattern. */
export function auth(level: AuthLevel) {
  return BY_LEVEL[level];
}

/** The auth level a handler declares, if it is one of the auth middlewares. */
export function authLevelOf(handler: unknown): AuthLevel | undefined {
  return AUTH_LEVELS.find((level) => BY_LEVEL[level] === handler);
}

/**
 * Deny by default, once per request at the app: a matched route that declared no auth level is treated as "user".
 * (Unmatched requests pass on to the 404.)
 */
export const denyUndeclared = createMiddleware<AppEnv>(async (c, next) => {
  const routes = matchedRoutes(c).filter((r) => r.method !== "ALL");
  if (routes.length === 0 || routes.some((r) => authLevelOf(r.handler))) return next();
  return requireUser(c, next);
});
