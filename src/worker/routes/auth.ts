/** /api/auth: register, login, refresh (rotating), logout, me, CLI tokens (create, list, revoke) and WebSocket ticket. */
import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_HINT_COOKIE } from "../../shared/session-hint.ts";
import { cliTokenView, listCliTokens, recordCliToken, revokeCliToken } from "../auth/cli-tokens.ts";
import { claimLoginAttempt, recordLoginFailure, releaseLoginAttempt } from "../auth/login-limiter.ts";
import { passwordProblem } from "../auth/password-policy.ts";
import { hashPassword, timingDummyHash, verifyPassword } from "../auth/passwords.ts";
import {
  issueRefreshToken,
  purgeExpiredRefreshTokens,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  REFRESH_TTL_S,
  revokeByToken,
  rotateRefreshToken,
} from "../auth/refresh.ts";
import { accessTtlSeconds, CLI_TOKEN_DAYS, issueToken, signToken, WS_TICKET_SECONDS } from "../auth/tokens.ts";
import { findUserByEmail, findUserById, isConfiguredAdmin, normalizeEmail, PublicUserSchema, type UserRow, userView } from "../auth/users.ts";
import { seedStatements } from "../config/seed.ts";
import { isUniqueViolation } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, conflict, forbidden, unauthorized } from "../lib/errors.ts";
import { type AppEnv, errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { newId } from "../lib/ids.ts";
import { clientIp } from "../lib/request.ts";

const Credentials = z
  .object({
    email: z
      .string()
      .trim()
      .max(254)
      .pipe(z.email({ error: "Enter a valid email address" })),
    password: z.string().max(1024),
  })
  .superRefine((body, ctx) => {
    const problem = passwordProblem(body.password, { email: body.email });
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  })
  .openapi("Credentials", { description: "Passwords: 8+ characters, not a common password (NIST SP 800-63B)" });

const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(1024) }).openapi("LoginBody");

const Session = z.object({ user: PublicUserSchema, access_token: z.string(), expires_in: z.number().int() }).openapi("Session");

const MeResponse = z.object({ user: PublicUserSchema });
const CliTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    created_at: z.string(),
    expires_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi("CliToken");
const CliTokenCreate = z
  .object({ name: z.string().trim().min(1).max(100).optional().openapi({ description: 'Where it is used, e.g. "CI"; default "CLI token"' }) })
  .strict()
  .openapi("CliTokenCreate");
const CliTokenCreated = CliTokenSchema.extend({
  token: z.string().openapi({ description: "The bearer token: shown this once, never stored" }),
  expires_in_days: z.number().int(),
}).openapi("CliTokenCreated");
const WsTicket = z.object({ ticket: z.string(), expires_in: z.number().int() });

/** Issues a new refresh-token family (cookie) and an access token. */
async function startSession(c: Context<AppEnv>, user: UserRow) {
  const refresh = await issueRefreshToken(c.var.db, user.id, { userAgent: c.req.header("user-agent") });
  setSessionCookies(c, refresh);
  const access = await signToken(c.env, user.id, "access");
  return { user: userView(user), access_token: access, expires_in: accessTtlSeconds(c.env) };
}

/** The refresh token (HttpOnly, only sent to /api/auth) and the session hint (readable by pages, no secret). */
function setSessionCookies(c: Context<AppEnv>, token: string) {
  const secure = c.env.COOKIE_SECURE !== "false";
  setCookie(c, REFRESH_COOKIE, token, { httpOnly: true, sameSite: "Strict", secure, path: REFRESH_COOKIE_PATH, maxAge: REFRESH_TTL_S });
  setCookie(c, SESSION_HINT_COOKIE, "1", { sameSite: "Strict", secure, path: "/", maxAge: REFRESH_TTL_S });
}

function clearSessionCookies(c: Context<AppEnv>) {
  const secure = c.env.COOKIE_SECURE !== "false";
  deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, secure });
  deleteCookie(c, SESSION_HINT_COOKIE, { path: "/", secure });
}

export const authRoutes = newRouter();

authRoutes.openapi(
  route({
    method: "post",
    path: "/register",
    operationId: "register",
    auth: "public",
    tags: ["auth"],
    summary: "Create an account (the first account becomes admin)",
    request: jsonBody(Credentials),
    responses: { 201: jsonResponse(Session, "Signed up and signed in"), 400: errors[400], 409: errors[409] },
  }),
  async (c) => {
    const { email: rawEmail, password } = c.req.valid("json");
    const email = normalizeEmail(rawEmail);
    const db = c.var.db;
    if (await findUserByEmail(db, email)) throw conflict("An account with this email already exists");
    const id = newId();
    const passwordHash = await hashPassword(password);
    // The role is decided inside the INSERT so two simultaneous first sign-ups cannot both become admin.
    const forceAdmin = isConfiguredAdmin(c.env, email) ? 1 : 0;
    const insertUser = db.insert(users).values({
      id,
      email,
      passwordHash,
      role: sql`(CASE WHEN ${forceAdmin} OR NOT EXISTS (SELECT 1 FROM users) THEN 'admin' ELSE 'user' END)`,
    });
    try {
      await db.batch([insertUser, ...seedStatements(db, c.env, id)]);
    } catch (err) {
      if (isUniqueViolation(err, "users.email")) {
        throw conflict("An account with this email already exists");
      }
      throw err;
    }
    const user = (await findUserById(db, id))!;
    await audit(c, { action: "user_register", userId: id, email, detail: { role: user.role } });
    return c.json(await startSession(c, user), 201);
  },
);

authRoutes.openapi(
  route({
    method: "post",
    path: "/login",
    operationId: "login",
    auth: "public",
    tags: ["auth"],
    summary: "Sign in; 5 failures per IP in 300 s lock the IP out for 900 s",
    request: jsonBody(LoginBody),
    responses: { 200: jsonResponse(Session, "Signed in"), 401: errors[401], 429: errors[429] },
  }),
  async (c) => {
    const ip = clientIp(c.req.raw);
    const db = c.var.db;
    await claimLoginAttempt(db, ip); // counted before bcrypt runs, so concurrent guesses cannot overrun the limit
    const { email, password } = c.req.valid("json");
    const user = await findUserByEmail(db, email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await timingDummyHash()));
    if (!user || !ok) {
      const failures = await recordLoginFailure(db, ip);
      await audit(c, {
        action: "user_login_failed",
        userId: user?.id ?? null,
        email: normalizeEmail(email).slice(0, 254),
        detail: { reason: user ? "bad_password" : "unknown_email", failures },
      });
      throw unauthorized("Invalid email or password");
    }
    await releaseLoginAttempt(db, ip);
    let current = user;
    if (user.role !== "admin" && isConfiguredAdmin(c.env, user.email)) {
      await db.update(users).set({ role: "admin", updatedAt: new Date().toISOString() }).where(eq(users.id, user.id));
      current = { ...user, role: "admin" };
      await audit(c, { action: "admin_promoted", userId: user.id, email: user.email, detail: { via: "ADMIN_EMAIL" } });
    }
    await purgeExpiredRefreshTokens(db, user.id);
    await audit(c, { action: "user_login", userId: user.id, email: user.email, detail: { method: "password" } });
    return c.json(await startSession(c, current), 200);
  },
);

authRoutes.openapi(
  route({
    method: "post",
    path: "/refresh",
    operationId: "refreshSession",
    auth: "public",
    tags: ["auth"],
    summary: "Exchange the refresh cookie for a new access token; the cookie is rotated",
    responses: { 200: jsonResponse(Session, "New access token"), 401: errors[401] },
  }),
  async (c) => {
    try {
      const token = getCookie(c, REFRESH_COOKIE);
      if (!token) throw unauthorized("No refresh token");
      const db = c.var.db;
      const result = await rotateRefreshToken(db, token, c.req.header("user-agent"));
      if (result.kind === "reuse") {
        await audit(c, { action: "refresh_token_reuse", userId: result.userId, detail: { family_id: result.familyId } });
        throw unauthorized("Refresh token reuse detected; every session from that sign-in was revoked");
      }
      const user = await findUserById(db, result.userId);
      if (!user) throw unauthorized("User not found");
      if (result.kind === "rotated") setSessionCookies(c, result.token);
      await audit(c, { action: "token_refresh", userId: user.id, email: user.email, detail: { kind: result.kind } });
      const access = await signToken(c.env, user.id, "access");
      return c.json({ user: userView(user), access_token: access, expires_in: accessTtlSeconds(c.env) }, 200);
    } catch (err) {
      // A refused refresh ends the session in this browser: both cookies go, so pages stop offering to refresh.
      if (err instanceof ApiError && err.status === 401) clearSessionCookies(c);
      throw err;
    }
  },
);

authRoutes.openapi(
  route({
    method: "post",
    path: "/logout",
    operationId: "logout",
    auth: "public",
    tags: ["auth"],
    summary: "Revoke the refresh token family and clear the cookie",
    responses: { 200: jsonResponse(OkSchema, "Signed out"), 400: errors[400] }, // 400: a body over the size limit
  }),
  async (c) => {
    const token = getCookie(c, REFRESH_COOKIE);
    const userId = token ? await revokeByToken(c.var.db, token) : undefined;
    clearSessionCookies(c);
    if (userId) await audit(c, { action: "user_logout", userId });
    return c.json({ status: "ok" as const }, 200);
  },
);

authRoutes.openapi(
  route({
    method: "get",
    path: "/me",
    operationId: "getCurrentUser",
    auth: "user",
    tags: ["auth"],
    summary: "The signed-in user",
    responses: { 200: jsonResponse(MeResponse, "The signed-in user"), 401: errors[401] },
  }),
  (c) => c.json({ user: userView(c.var.user) }, 200),
);

/** CLI tokens are managed from a browser session: a CLI token cannot mint, list or revoke tokens (a leaked one could outlive its revocation). */
function requireBrowserSession(c: Context<AppEnv>) {
  if (c.var.tokenType !== "access") throw forbidden("CLI tokens are managed from the web app (Settings → CLI tokens), not with a CLI token");
}

authRoutes.openapi(
  route({
    method: "post",
    path: "/cli-token",
    operationId: "createCliToken",
    auth: "user",
    tags: ["auth"],
    summary: "A revocable 30-day bearer token for scripts and the CLI (shown once)",
    request: { body: { content: { "application/json": { schema: CliTokenCreate } }, required: false, description: "Optional name" } },
    responses: { 200: jsonResponse(CliTokenCreated, "CLI token"), 400: errors[400], 401: errors[401], 403: errors[403] },
  }),
  async (c) => {
    requireBrowserSession(c);
    // The body is optional (older clients send none): without a JSON content type it is not read.
    const body = (c.req.valid("json") ?? {}) as z.infer<typeof CliTokenCreate>;
    const { token, claims } = await issueToken(c.env, c.var.user.id, "cli");
    const row = await recordCliToken(c.var.db, claims, body.name ?? "CLI token");
    await audit(c, { action: "cli_token_issued", userId: c.var.user.id, email: c.var.user.email, resourceType: "cli_token", resourceId: row.id });
    return c.json({ ...cliTokenView(row), token, expires_in_days: CLI_TOKEN_DAYS }, 200);
  },
);

authRoutes.openapi(
  route({
    method: "get",
    path: "/cli-tokens",
    operationId: "listCliTokens",
    auth: "user",
    tags: ["auth"],
    summary: "Your CLI tokens, newest first (never the tokens themselves)",
    responses: { 200: jsonResponse(z.object({ tokens: z.array(CliTokenSchema) }), "CLI tokens"), 401: errors[401], 403: errors[403] },
  }),
  async (c) => {
    requireBrowserSession(c);
    const rows = await listCliTokens(c.var.db, c.var.user.id);
    return c.json({ tokens: rows.map(cliTokenView) }, 200);
  },
);

authRoutes.openapi(
  route({
    method: "delete",
    path: "/cli-tokens/{id}",
    operationId: "revokeCliToken",
    auth: "user",
    tags: ["auth"],
    summary: "Revoke a CLI token: requests with it are refused from now on",
    request: { params: IdParam },
    responses: { 200: jsonResponse(CliTokenSchema, "Revoked"), 401: errors[401], 403: errors[403], 404: errors[404] },
  }),
  async (c) => {
    requireBrowserSession(c);
    const row = await revokeCliToken(c.var.db, c.var.user.id, c.req.valid("param").id);
    await audit(c, { action: "cli_token_revoked", userId: c.var.user.id, resourceType: "cli_token", resourceId: row.id });
    return c.json(cliTokenView(row), 200);
  },
);

authRoutes.openapi(
  route({
    method: "post",
    path: "/ws-ticket",
    operationId: "createWsTicket",
    auth: "user",
    tags: ["auth"],
    summary: "A single-use, 30-second ticket for GET /ws?ticket=…",
    responses: { 200: jsonResponse(WsTicket, "WebSocket ticket"), 401: errors[401] },
  }),
  async (c) => {
    const ticket = await signToken(c.env, c.var.user.id, "ws");
    return c.json({ ticket, expires_in: WS_TICKET_SECONDS }, 200);
  },
);
