/**
 * Plumbing for the api-load, scale and weight scenarios: a throw-away local stack (fresh D1/DO state dir,
 * fresh random secrets), a small JSON API client, and sign-up. Every scenario stops its stack in `finally`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { ROOT, startStack, type RunningStack } from "../../scripts/stack.ts";

/** Runs wrangler quietly (its output only shows up in the error when it fails). */
export function wrangler(args: string[], what: string): string {
  const r = spawnSync("wrangler", args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_D1_WARNING: "true" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return `${r.stdout}\n${r.stderr}`;
}

export interface BenchStack {
  url: string;
  stack: RunningStack;
  /** The D1/DO state directory (wrangler `--persist-to`). */
  stateDir: string;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** App on portBase, simulator on portBase + 1. */
  portBase: number;
  /** Runs after migrations and before wrangler dev starts, e.g. to seed D1 directly. */
  beforeStart?: (stateDir: string) => void | Promise<void>;
  vars?: Record<string, string>;
}

export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "llm-bench-scenario-"));
  const cleanup = () => rmSync(stateDir, { recursive: true, force: true });
  let stack: RunningStack;
  try {
    wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], "D1 migrations");
    await opts.beforeStart?.(stateDir);
    stack = await startStack({
      port: opts.portBase,
      simulatorPort: opts.portBase + 1,
      persistTo: stateDir,
      quiet: true,
      vars: {
        JWT_SECRET: randomBytes(32).toString("hex"),
        VAULT_MASTER_KEY: randomBytes(32).toString("base64"),
        COOKIE_SECURE: "false",
        LOG_LEVEL: "warn",
        ...opts.vars,
      },
    });
  } catch (err) {
    cleanup();
    throw err;
  }
  return {
    url: stack.url,
    stack,
    stateDir,
    async stop() {
      await stack.stop();
      cleanup();
    },
  };
}

export class ApiCallError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, what: string) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

/** One JSON call; throws ApiCallError on a non-2xx answer. */
export async function api<T = any>(baseUrl: string, p: string, init: { token?: string; body?: unknown; method?: string } = {}): Promise<T> {
  const res = await fetch(`${baseUrl}${p}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiCallError(res.status, json, `${init.method ?? (init.body === undefined ? "GET" : "POST")} ${p}`);
  return json as T;
}

export interface SignedUpUser {
  id: string;
  email: string;
  token: string;
  /** The raw refresh-token cookie value (HttpOnly, Path=/api/auth). */
  refreshCookie: string;
}

/** Signs a new user up through the real API (bcrypt and all) and marks onboarding done. */
export async function signUp(baseUrl: string, email: string, password = "benchmark password"): Promise<SignedUpUser> {
  const res = await fetch(`${baseUrl}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const json = (await res.json()) as any;
  if (res.status !== 201) throw new ApiCallError(res.status, json, "POST /api/auth/register");
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("refresh_token="));
  if (!cookie) throw new Error("register: no refresh_token cookie");
  const refreshCookie = cookie.slice("refresh_token=".length).split(";")[0]!;
  await api(baseUrl, "/api/onboarding/complete", { token: json.access_token, body: {} });
  return { id: json.user.id, email, token: json.access_token, refreshCookie };
}

/** Polls GET /api/jobs/{id} until the job is terminal or the deadline passes (then returns the last view). */
export async function waitForJob(baseUrl: string, token: string, jobId: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api(baseUrl, `/api/jobs/${jobId}`, { token });
    if (["done", "failed", "cancelled", "interrupted"].includes(job.status) || Date.now() > deadline) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
