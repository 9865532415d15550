/**
 * The plumbing every scenario shares: a fresh local stack (simulator + `wrangler dev`) on a throw-away D1/DO
 * state directory under bench/tmp with fresh secrets (optionally seeded before start), a JSON API client, sign-up,
 * and for scenarios that drive one user (`BenchApp`): simulator-backed providers and models, benchmark/job helpers
 * and a browser-style WebSocket client (Node's global WebSocket) on a ws ticket.
 * Ports: portBase = the app, portBase + 1 = the stack's simulator, portBase + 2… = extra simulators.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { buildWeb, ROOT, type RunningStack, startStack } from "../../scripts/stack.ts";
import { nowMs } from "../../src/simulator/send-log.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";
import { PORTS_PER_SCENARIO } from "./scenario.ts";

const BENCH_TMP = path.join(ROOT, "bench", "tmp");
const TERMINAL = ["done", "failed", "cancelled", "interrupted"];

export interface Job {
  id: string;
  status: string;
  error?: string | null;
  started_at: string | null;
  completed_at: string | null;
  [k: string]: unknown;
}

/** Thrown for a broken scenario (lost/duplicated result, job that did not finish): the run exits non-zero. */
export class BrokenScenario extends Error {}

export function broken(message: string): never {
  throw new BrokenScenario(message);
}

/** Runs wrangler quietly (its output only shows up in the error when it fails). */
export function wrangler(args: string[], what: string): string {
  const r = spawnSync("wrangler", args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_D1_WARNING: "true", CI: "true" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return `${r.stdout}\n${r.stderr}`;
}

let template: string | null = null;

/** A migrated D1 state directory, made once per process and copied for each scenario (saves a wrangler spawn). */
function migratedState(): string {
  if (template) return template;
  mkdirSync(BENCH_TMP, { recursive: true });
  const dir = path.join(BENCH_TMP, `template-${process.pid}`);
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], "D1 migrations");
  template = dir;
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let webBuilt = false;

/** wrangler dev serves the built web assets: build them once per bench process, so a stale dist is never measured. */
export function ensureWebBuilt(): void {
  if (webBuilt) return;
  buildWeb();
  webBuilt = true;
}

export class BenchApp {
  readonly stack: RunningStack;
  readonly token: string;
  readonly portBase: number;
  readonly #bench: BenchStack;
  readonly #extra: RunningSimulator[] = [];
  readonly #sockets: LiveSocket[] = [];

  constructor(bench: BenchStack, token: string, portBase: number) {
    this.stack = bench.stack;
    this.token = token;
    this.portBase = portBase;
    this.#bench = bench;
  }

  get simulator(): RunningSimulator {
    return this.stack.simulator;
  }

  async api<T = any>(p: string, body?: unknown, method?: string): Promise<T> {
    return api<T>(this.stack.url, p, { token: this.token, body, method });
  }

  /** Another simulator on the next free port of this scenario's block (closed by stop()). */
  async extraSimulator(): Promise<RunningSimulator> {
    const port = this.portBase + 2 + this.#extra.length;
    if (port >= this.portBase + PORTS_PER_SCENARIO) throw new Error("out of ports in this scenario's block");
    const sim = await startSimulator({ port, host: "127.0.0.1", quiet: true });
    this.#extra.push(sim);
    return sim;
  }

  /** A custom OpenAI-compatible provider pointing at a simulator, with the given models; returns its key. */
  async addProvider(key: string, sim: RunningSimulator, models: string[]): Promise<string> {
    const { provider } = await this.api("/api/v2/providers", { provider_key: key, display_name: key, api_base: `${sim.url}/v1`, is_local: true });
    for (const model_id of models) await this.api(`/api/v2/providers/${provider.id}/models`, { model_id });
    return key;
  }

  async benchmark(body: Record<string, unknown>): Promise<{ job_id: string; run_id: string }> {
    return this.api("/api/benchmark", body);
  }

  /** Polls the job until it is terminal; a job that does not finish in time is a broken scenario. */
  async waitJob(jobId: string, timeoutMs: number): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.api<Job>(`/api/jobs/${jobId}`);
      if (TERMINAL.includes(job.status)) return job;
      if (Date.now() > deadline) broken(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** Waits for the job and insists it finished cleanly. */
  async waitDone(jobId: string, timeoutMs: number): Promise<Job> {
    const job = await this.waitJob(jobId, timeoutMs);
    if (job.status !== "done") broken(`job ${jobId} ended ${job.status}: ${job.error ?? ""}`);
    return job;
  }

  async openSocket(): Promise<LiveSocket> {
    const { ticket } = await this.api<{ ticket: string }>("/api/auth/ws-ticket", {});
    const s = await LiveSocket.open(`${this.stack.url.replace(/^http/, "ws")}/ws?ticket=${encodeURIComponent(ticket)}`);
    this.#sockets.push(s);
    return s;
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.close();
    await Promise.all(this.#extra.map((s) => s.close()));
    await this.#bench.stop();
  }
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
  label: string;
  /** Runs after migrations and before wrangler dev starts, e.g. to seed D1 directly. */
  beforeStart?: (stateDir: string) => void | Promise<void>;
}

/** Starts the stack on this scenario's ports with fresh, migrated state and fresh secrets. */
export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  ensureWebBuilt();
  const stateDir = path.join(BENCH_TMP, `${opts.label}-${process.pid}-${Date.now()}`);
  const cleanup = () => rmSync(stateDir, { recursive: true, force: true });
  cpSync(migratedState(), stateDir, { recursive: true });
  let stack: RunningStack;
  try {
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
        LOG_LEVEL: "warn", // request logs would cost the load and scale scenarios CPU
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

/** A fresh stack with one signed-up user. */
export async function startBenchApp(opts: { portBase: number; label: string }): Promise<BenchApp> {
  const bench = await startBenchStack(opts);
  try {
    const user = await signUp(bench.url, `bench-${opts.label}-${randomBytes(4).toString("hex")}@example.com`);
    return new BenchApp(bench, user.token, opts.portBase);
  } catch (err) {
    await bench.stop();
    throw err;
  }
}

/** Runs `fn` with a fresh app and always stops it. */
export async function withApp<T>(opts: { portBase: number; label: string; log(line: string): void }, fn: (app: BenchApp) => Promise<T>): Promise<T> {
  const started = performance.now();
  const app = await startBenchApp(opts);
  opts.log(`app up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    return await fn(app);
  } finally {
    await app.stop();
  }
}

export class ApiCallError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, what: string) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`);
    this.status = status;
    this.body = body;
  }
}

/** One JSON call; throws ApiCallError on a non-2xx answer. */
export async function api<T = any>(baseUrl: string, p: string, init: { token?: string | null; body?: unknown; method?: string } = {}): Promise<T> {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const res = await fetch(`${baseUrl}${p}`, {
    method,
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiCallError(res.status, json, `${method} ${p}`);
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

export interface LiveMessage {
  /** Epoch ms (sub-ms, same clock as the simulator's send log) when the frame was delivered. */
  at: number;
  msg: any;
}

/** A browser-style WebSocket client that stamps every frame on arrival. */
export class LiveSocket {
  readonly messages: LiveMessage[] = [];
  readonly #ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener("message", (e) => {
      const at = nowMs(); // stamp first, parse after
      this.messages.push({ at, msg: JSON.parse(String(e.data)) });
    });
  }

  static open(url: string): Promise<LiveSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new LiveSocket(ws);
      ws.addEventListener("open", () => resolve(socket), { once: true });
      ws.addEventListener("error", () => reject(new Error(`WebSocket ${url.split("?")[0]} failed to open`)), { once: true });
    });
  }

  /** Waits until `match` finds a message (already received or still to come). */
  async waitFor(match: (msg: any) => boolean, timeoutMs: number, what: string): Promise<LiveMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.find((m) => match(m.msg));
      if (hit) return hit;
      if (Date.now() > deadline) broken(`no ${what} on the WebSocket within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  close(): void {
    this.#ws.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
