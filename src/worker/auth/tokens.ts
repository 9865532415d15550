/**
 * Signed tokens (HS256, `JWT_SECRET`):
 * - `access`: the API bearer token, short-lived (ACCESS_TOKEN_TTL_MINUTES, default 15).
 * - `cli`: a 30-day bearer token for scripts and the CLI; revocable: its `jti` must have a live row in cli_tokens
 *   (cli-tokens.ts), checked on every request.
 * - `ws`: a 30-second WebSocket ticket; single use is enforced by the user's hub, which records its `jti`.
 * Refresh tokens are not JWTs: they are opaque random strings stored hashed (see refresh.ts).
 */
import jwt from "@tsndr/cloudflare-worker-jwt";
import { misconfigured, unauthorized } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";

export type TokenType = "access" | "cli" | "ws";

export interface TokenClaims {
  sub: string;
  typ: TokenType;
  jti: string;
  exp: number;
  iat: number;
}

export const CLI_TOKEN_DAYS = 30;
export const WS_TICKET_SECONDS = 30;

function secretOf(env: Env): string {
  const secret = env.JWT_SECRET;
  if (!secret || secret.length < 32) throw misconfigured("a JWT_SECRET of at least 32 characters");
  return secret;
}

export function accessTtlSeconds(env: Env): number {
  const minutes = Number(env.ACCESS_TOKEN_TTL_MINUTES ?? 15);
  return Math.round((Number.isFinite(minutes) && minutes > 0 ? minutes : 15) * 60);
}

export function ttlFor(env: Env, typ: TokenType): number {
  if (typ === "cli") return CLI_TOKEN_DAYS * 86400;
  if (typ === "ws") return WS_TICKET_SECONDS;
  return accessTtlSeconds(env);
}

export async function signToken(env: Env, userId: string, typ: TokenType, now = Date.now()): Promise<string> {
  return (await issueToken(env, userId, typ, now)).token;
}

/** A signed token with its claims (a CLI token's `jti` keys its row in cli_tokens). */
export async function issueToken(env: Env, userId: string, typ: TokenType, now = Date.now()): Promise<{ token: string; claims: TokenClaims }> {
  const iat = Math.floor(now / 1000);
  const claims: TokenClaims = { sub: userId, typ, jti: newId(), iat, exp: iat + ttlFor(env, typ) };
  return { token: await jwt.sign(claims, secretOf(env), "HS256"), claims };
}

/** Verifies signature, expiry and type; throws a 401 ApiError that says which check failed. */
export async function verifyToken(env: Env, token: string, allowed: readonly TokenType[]): Promise<TokenClaims> {
  let data: Awaited<ReturnType<typeof jwt.verify<TokenClaims>>>;
  try {
    data = await jwt.verify<TokenClaims>(token, secretOf(env), { algorithm: "HS256", throwError: true });
  } catch (err) {
    if (err instanceof Error && err.message === "EXPIRED") throw unauthorized("Token expired", "token_expired");
    if (err instanceof Error && err.name === "ApiError") throw err;
    throw unauthorized("Invalid token");
  }
  const claims = data?.payload;
  if (!claims || typeof claims.sub !== "string" || typeof claims.jti !== "string") throw unauthorized("Invalid token payload");
  if (!allowed.includes(claims.typ)) throw unauthorized("Invalid token type");
  return claims as TokenClaims;
}
