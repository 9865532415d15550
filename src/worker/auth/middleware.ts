/** Bearer authentication for API routes: access or CLI tokens; the user row is re-read on every request. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../lib/http.ts";
import { forbidden, unauthorized } from "../lib/errors.ts";
import { verifyToken } from "./tokens.ts";
import { findUserById } from "./users.ts";

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized("Not authenticated");
  const claims = await verifyToken(c.env, match[1], ["access", "cli"]);
  const user = await findUserById(c.var.db, claims.sub);
  if (!user) throw unauthorized("User not found");
  c.set("user", user);
  c.set("log", c.var.log.child({ user_id: user.id }));
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.user?.role !== "admin") throw forbidden("Admin access required");
  await next();
});
