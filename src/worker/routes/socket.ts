/**
 * GET /ws?ticket=…: the WebSocket upgrade. It is authenticated here, in the Worker, before anything reaches
 * (and bills) the user's Durable Object: the Origin must be this site's (or listed in ALLOWED_ORIGINS), and the
 * ticket must be a valid `ws` token from POST /api/auth/ws-ticket. The hub then enforces single use.
 */
import { Hono } from "hono";
import { HUB_HEADERS } from "../../durable/user-hub.ts";
import { auth } from "../auth/middleware.ts";
import { verifyToken } from "../auth/tokens.ts";
import { ApiError, errorBody, forbidden, unauthorized } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http.ts";
import { hubFor } from "../lib/hub.ts";

function originAllowed(req: Request, env: Env): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return true; // non-browser clients send none; the ticket still authenticates them
  const allowed = (env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return new URL(origin).host === new URL(req.url).host || allowed.includes(origin);
  } catch {
    return false;
  }
}

/** Mounted at /ws. Public as far as bearer tokens go: the ticket, checked here, is its authentication. */
export const socketRoutes = new Hono<AppEnv>();

socketRoutes.get("/", auth("public"), async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return c.json(errorBody(new ApiError(426, "bad_request", "Expected a WebSocket upgrade"), c.var.requestId), 426);
  }
  if (!originAllowed(c.req.raw, c.env)) throw forbidden("Origin not allowed");
  const ticket = c.req.query("ticket");
  if (!ticket) throw unauthorized("Missing ticket: POST /api/auth/ws-ticket first");
  const claims = await verifyToken(c.env, ticket, ["ws"]);
  const headers = new Headers(c.req.raw.headers);
  headers.set(HUB_HEADERS.userId, claims.sub);
  headers.set(HUB_HEADERS.ticketId, claims.jti);
  headers.set(HUB_HEADERS.ticketExp, String(claims.exp * 1000));
  return hubFor(c.env, claims.sub).fetch(new Request(c.req.url, { headers }));
});
