/** Test helpers: real HTTP requests into the Worker (SELF), with a tiny cookie jar for the refresh cookie. */
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { recordResponse } from "./traffic.ts";

export const BASE = "https://bench.test";

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** Overrides the JSON content type of a body; null sends none. */
  contentType?: string | null;
}

export async function call(path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && opts.contentType !== null) headers["content-type"] ??= opts.contentType ?? "application/json";
  const method = opts.method ?? (body ? "POST" : "GET");
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  recordResponse(`${method} ${path.split("?")[0]}`, res, text); // the canary scan sees every response
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { res, status: res.status, json, text };
}

/** The refresh cookie's value from a Set-Cookie header, as a Cookie request header. */
export function refreshCookieOf(res: Response): string | undefined {
  const all = res.headers.getSetCookie?.() ?? [res.headers.get("set-cookie") ?? ""];
  const line = all.find((l) => l.startsWith("refresh_token="));
  const value = line?.split(";")[0];
  return value && value !== "refresh_token=" ? value : undefined;
}

let counter = 0;
export function uniqueEmail(prefix = "user") {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export async function signUp(email = uniqueEmail(), password = "correct horse battery") {
  const r = await call("/api/auth/register", { body: { email, password } });
  expect(r.status, r.text).toBe(201);
  return {
    email,
    password,
    token: r.json.access_token as string,
    user: r.json.user as { id: string; email: string; role: string; onboarding_completed: boolean },
    cookie: refreshCookieOf(r.res)!,
  };
}

export function expectEnvelope(r: { status: number; json: any }, status: number, code?: string) {
  expect(r.status).toBe(status);
  expect(typeof r.json?.error).toBe("string");
  expect(typeof r.json?.code).toBe("string");
  expect(typeof r.json?.request_id).toBe("string");
  if (code) expect(r.json.code).toBe(code);
}
