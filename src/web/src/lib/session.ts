// In-memory session: access token + user, silent refresh (single-flight), login/register/logout.

import { SESSION_HINT_COOKIE } from "../../../shared/session-hint.ts";
import { ApiError, readJson, send } from "./http";
import type { AuthResponse, User } from "./types";

type SessionListener = (user: User | null) => void;

let accessToken: string | null = null;
let tokenExpiresAt = 0;
let currentUser: User | null = null;
let refreshInFlight: Promise<User | null> | null = null;
const listeners = new Set<SessionListener>();

/** Refresh this many ms before the token's stated expiry to avoid a wasted 401. */
const EXPIRY_MARGIN_MS = 20_000;

const SESSION_HINT_PATTERN = new RegExp(`(?:^|;\\s*)${SESSION_HINT_COOKIE}=`);

/** Whether the server's session hint cookie is set (src/shared/session-hint.ts): no hint, no refresh cookie either. */
export function mayHaveSession(): boolean {
  return typeof document !== "undefined" && SESSION_HINT_PATTERN.test(document.cookie);
}

/** Document event the landing page listens for; fired by SESSION_HINT_SCRIPT when the hint is set. */
export const SESSION_HINT_EVENT = "studiosession";
/** Inline script for the landing page: runs when the Qwik loader starts, before any Qwik code is fetched. */
export const SESSION_HINT_SCRIPT = `document.addEventListener("qinit",function(){if(/${SESSION_HINT_PATTERN.source}/.test(document.cookie))document.dispatchEvent(new CustomEvent("${SESSION_HINT_EVENT}"))},{once:true})`;

/**
 * Inline script at the top of every signed-in page's <head>: without the hint the visitor is signed out, so the
 * page is hidden before anything renders and replaced by the landing page (no app shell, no refresh request).
 */
export const SIGNED_OUT_GATE_SCRIPT = `if(!/${SESSION_HINT_PATTERN.source}/.test(document.cookie)){document.documentElement.hidden=true;location.replace("/")}`;

/** Forgets the hint here too (the server clears it on sign-out; this covers a sign-out that never reached it). */
function dropHint(): void {
  if (typeof document === "undefined") return;
  // biome-ignore lint/suspicious/noDocumentCookie: expiring one cookie; the Cookie Store API is not in every browser yet
  document.cookie = `${SESSION_HINT_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict`;
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getUser(): User | null {
  return currentUser;
}

export function hasFreshToken(): boolean {
  return accessToken !== null && Date.now() < tokenExpiresAt - EXPIRY_MARGIN_MS;
}

export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener(currentUser);
}

function adopt(res: AuthResponse): User {
  accessToken = res.access_token;
  tokenExpiresAt = Date.now() + Math.max(30, res.expires_in || 900) * 1000;
  currentUser = res.user;
  notify();
  return res.user;
}

function clear(): void {
  accessToken = null;
  tokenExpiresAt = 0;
  currentUser = null;
  dropHint();
  notify();
}

/** Patch the cached user after a server-confirmed change (e.g. onboarding completed). */
export function updateUser(patch: Partial<User>): void {
  if (!currentUser) return;
  currentUser = { ...currentUser, ...patch };
  notify();
}

/**
 * Exchanges the HttpOnly refresh cookie for a new access token. Concurrent callers share one request
 * (the cookie rotates on every use, so two parallel refreshes would race). Resolves null when the
 * server rejects the cookie, or at once (without asking) when the session hint says there is none; throws ApiError
 * only for network / server failures.
 */
export function refreshSession(): Promise<User | null> {
  if (!mayHaveSession()) {
    if (currentUser || accessToken) clear();
    return Promise.resolve(null);
  }
  refreshInFlight ??= (async () => {
    try {
      const res = await send("POST", "/api/auth/refresh");
      if (res.status === 401 || res.status === 403) {
        clear();
        return null;
      }
      return adopt(await readJson<AuthResponse>(res));
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

/** Returns the signed-in user, refreshing silently if needed; ends the session when that fails. */
export async function ensureSession(): Promise<User> {
  if (currentUser && hasFreshToken()) return currentUser;
  const user = await refreshSession();
  if (!user) {
    endSession();
    throw new ApiError({ status: 401, code: "unauthorized", message: "Please log in to continue." });
  }
  return user;
}

let leaving = false;

/** Clears everything held in memory and returns to the landing page. */
export function endSession(): void {
  clear();
  if (leaving || typeof location === "undefined" || location.pathname === "/") return;
  // Several requests of one page can fail at once; one navigation is enough (a second aborts the first).
  leaving = true;
  location.assign("/");
}

export async function login(email: string, password: string): Promise<User> {
  const res = await send("POST", "/api/auth/login", { email, password });
  return adopt(await readJson<AuthResponse>(res));
}

export async function register(email: string, password: string): Promise<User> {
  const res = await send("POST", "/api/auth/register", { email, password });
  return adopt(await readJson<AuthResponse>(res));
}

/** Revokes the refresh-token family server-side, then drops local state and goes to the landing page. */
export async function logout(): Promise<void> {
  try {
    await send("POST", "/api/auth/logout", undefined, accessToken);
  } catch {
    // Even if the network is down, forget the session locally.
  }
  clear();
  location.assign("/");
}
