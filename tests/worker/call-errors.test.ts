/**
 * The LLM-call failure classifier (src/shared/call-errors.ts via llm/errors.ts) over real failures: the official
 * SDKs in workerd against the simulator's fault modes and a closed port. Each failure gets its stable class, the
 * host it called (never a key or URL), a message without "Error:" noise, and a hint naming what to check; the same
 * details reach the live events and the history APIs of a benchmark and a tool eval.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ERROR_CLASS_LABELS, failureHint, hostOf } from "../../src/shared/call-errors.ts";
import { LlmError } from "../../src/worker/llm/errors.ts";
import { type LlmTarget, streamChat } from "../../src/worker/llm/stream.ts";
import { callWithTools } from "../../src/worker/llm/tool-call.ts";
import { call, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent } from "./sockets.ts";

const KINDS = ["openai", "anthropic"] as const;
type Kind = (typeof KINDS)[number];
const KEY = "sk-test-canary-key-0123456789";
const SIM_HOST = new URL(env.SIMULATOR_BASE_URL!).host;
/** Port 1 on loopback: nothing listens there, so the connection is refused. */
const CLOSED = "http://127.0.0.1:1";

const target = (kind: Kind, model: string, base = env.SIMULATOR_BASE_URL!): LlmTarget => ({
  apiKind: kind,
  providerKey: "faulty",
  baseUrl: kind === "openai" ? `${base}/v1` : base,
  apiKey: KEY,
  modelId: model,
});

async function failureOf(promise: Promise<unknown>): Promise<LlmError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  const e = err as LlmError;
  expect(e.message).not.toContain(KEY);
  expect(e.message).not.toMatch(/^Error:/);
  return e;
}

const streamed = (kind: Kind, model: string, opts: { base?: string; timeoutMs?: number; signal?: AbortSignal } = {}) =>
  failureOf(
    streamChat(
      target(kind, model, opts.base),
      { system: null, prompt: "Say something.", params: { max_tokens: 64 } },
      { timeoutMs: opts.timeoutMs ?? 10_000, signal: opts.signal },
    ),
  );

const withTools = (kind: Kind, model: string, opts: { base?: string; timeoutMs?: number } = {}) =>
  failureOf(
    callWithTools(target(kind, model, opts.base), {
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      toolChoice: "auto",
      params: { max_tokens: 64 },
      timeoutMs: opts.timeoutMs ?? 10_000,
    }),
  );

describe.each(KINDS)("failures of real calls over %s", (kind) => {
  it.each([
    ["sim-fault401", "auth", 401, /Incorrect API key/],
    ["sim-fault429", "rate_limited", 429, /Rate limit/],
    ["sim-fault500", "server", 500, /server had an error/],
    ["sim-fault400", "bad_request", 400, /bad request/],
    ["gpt-nonexistent", "not_found", 404, /does not exist/],
  ] as const)("%s → %s, streamed and with tools, with the provider's own words", async (model, cls, status, words) => {
    for (const e of [await streamed(kind, model), await withTools(kind, model)]) {
      expect(e.cls).toBe(cls);
      expect(e.status).toBe(status);
      expect(e.host).toBe(SIM_HOST);
      // "HTTP 401: Incorrect API key…", not Anthropic's raw JSON body nor the SDK's "401 {…}".
      expect(e.message).toMatch(new RegExp(`^HTTP ${status}: `));
      expect(e.message).toMatch(words);
      expect(e.message).not.toContain('{"type"');
    }
  });

  it("a 429 carries the provider's retry-after and is retryable", async () => {
    const e = await streamed(kind, "sim-fault429");
    expect(e.retryAfterSeconds).toBe(2);
    expect(e.retryable).toBe(true);
  });

  it("a refused connection (closed port) is `connection`, naming the host", async () => {
    for (const e of [await streamed(kind, "sim", { base: CLOSED }), await withTools(kind, "sim", { base: CLOSED })]) {
      expect(e.cls).toBe("connection");
      expect(e.host).toBe("127.0.0.1:1");
      expect(e.message).toMatch(/connection/i);
    }
  });

  it("a stream cut after it started is `disconnected`; a reply cut before it started is `connection`", async () => {
    expect((await streamed(kind, "sim-ttft20-tps200-len50-disconnect5")).cls).toBe("disconnected");
    expect((await withTools(kind, "sim-ttft20-tps200-len50-disconnect5")).cls).toBe("connection");
  });

  it("an event that is not JSON (streamed) or a body that is not JSON (with tools) is `malformed_stream`", async () => {
    expect((await streamed(kind, "sim-ttft20-tps200-len50-malformed3")).cls).toBe("malformed_stream");
    expect((await withTools(kind, "sim-ttft20-tps200-len50-malformed3")).cls).toBe("malformed_stream");
  });

  it("a provider that never answers is `timeout`; a call the user cancels is `cancelled`", async () => {
    const hung = await streamed(kind, "sim-hang", { timeoutMs: 300 });
    expect(hung.cls).toBe("timeout");
    expect(hung.host).toBe(SIM_HOST);
    expect((await withTools(kind, "sim-hang", { timeoutMs: 300 })).cls).toBe("timeout");
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    expect((await streamed(kind, "sim-hang", { signal: cancel.signal })).cls).toBe("cancelled");
  });
});

describe("hosts and hints", () => {
  it("a host never carries credentials, path or query", () => {
    expect(hostOf("https://user:sk-secret-123456@api.example.com:8443/v1?key=AIzaSecret")).toBe("api.example.com:8443");
    expect(hostOf("not a url")).toBeNull();
    expect(hostOf(null)).toBeNull();
  });

  it("every class has a label and a hint; hints name the provider or host where that is what to check", () => {
    for (const cls of Object.keys(ERROR_CLASS_LABELS)) expect(failureHint(cls, { provider: "Acme", host: "llm.acme.test" })).toBeTruthy();
    expect(failureHint("auth", { provider: "Acme", host: "llm.acme.test" })).toMatch(/API key for Acme.*Settings → Keys/);
    expect(failureHint("connection", { provider: "Acme", host: "llm.acme.test" })).toMatch(/server up at llm\.acme\.test/);
    expect(failureHint("rate_limited", { provider: "Acme", host: null })).toMatch(/rate-limiting/);
  });
});

async function waitForJob(token: string, jobId: string) {
  for (let i = 0; i < 300; i++) {
    const job = (await call(`/api/jobs/${jobId}`, { token })).json;
    if (!["pending", "queued", "running"].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("job did not finish");
}

async function addProvider(token: string, key: string, base: string, models: string[]) {
  const p = await call("/api/v2/providers", {
    token,
    body: { provider_key: key, display_name: `Provider ${key}`, api_base: `${base}/v1`, is_local: true },
  });
  expect(p.status, p.text).toBe(201);
  for (const model_id of models)
    expect((await call(`/api/v2/providers/${p.json.provider.id}/models`, { token, body: { model_id } })).status).toBe(201);
}

describe("failure details reach the live events and history", () => {
  it("a benchmark against a dead server and a bad key: class, provider, host and hint per failed run", async () => {
    const u = await signUp();
    await addProvider(u.token, "dead", CLOSED, ["sim-any"]);
    await addProvider(u.token, "badkey", env.SIMULATOR_BASE_URL!, ["sim-fault401-tagerrdetails"]);
    const ws = await openSocket(u.token);
    const submit = await call("/api/benchmark", {
      token: u.token,
      body: {
        targets: [
          { provider_key: "dead", model_id: "sim-any" },
          { provider_key: "badkey", model_id: "sim-fault401-tagerrdetails" },
        ],
        max_tokens: 16,
        warmup: false,
      },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitForJob(u.token, submit.json.job_id);
    await waitForJobEvent(ws, "job_failed", submit.json.job_id); // every run failed
    const live = ws.messages.find((m) => m.type === "benchmark_result" && m.data.provider_key === "dead");
    expect(live.data).toMatchObject({ success: false, error_class: "connection", error_host: "127.0.0.1:1", provider: "Provider dead" });
    expect(live.data.error_hint).toContain("Is the server up at 127.0.0.1:1?");
    ws.ws.close();

    const run = (await call(`/api/history/${submit.json.run_id}`, { token: u.token })).json;
    const byProvider = Object.fromEntries(run.results.map((r: any) => [r.provider_key, r]));
    expect(byProvider.dead).toMatchObject({ error_class: "connection", error_host: "127.0.0.1:1" });
    expect(byProvider.badkey).toMatchObject({ error_class: "auth", error_host: SIM_HOST });
    expect(byProvider.badkey.error).toMatch(/^HTTP 401: Incorrect API key/);
    expect(byProvider.badkey.error_hint).toContain("API key for Provider badkey");
  });

  it("a tool eval against a rate-limited model: every failed case says so, live and in history", async () => {
    const u = await signUp();
    await addProvider(u.token, "limited", env.SIMULATOR_BASE_URL!, ["sim-fault429-tagevalerrdetails"]);
    const suite = await call("/api/tool-suites", {
      token: u.token,
      body: { name: "Errors", tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }] },
    });
    await call(`/api/tool-suites/${suite.json.suite_id}/cases`, { token: u.token, body: { prompt: "Weather?", expected_tool: "get_weather" } });
    const ws = await openSocket(u.token);
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suite.json.suite_id, targets: [{ provider_key: "limited", model_id: "sim-fault429-tagevalerrdetails" }] },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitForJob(u.token, submit.json.job_id);
    const live = await waitForJobEvent(ws, "tool_eval_result", submit.json.job_id);
    expect(live.data).toMatchObject({ success: false, error_class: "rate_limited", error_host: SIM_HOST, provider: "Provider limited" });
    expect(live.data.error_hint).toContain("rate-limiting");
    ws.ws.close();
    const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
    expect(run.results[0]).toMatchObject({ error_class: "rate_limited", error_host: SIM_HOST, provider: "Provider limited" });
    expect(run.results[0].error).toMatch(/^HTTP 429: Rate limit/);
  });
});
