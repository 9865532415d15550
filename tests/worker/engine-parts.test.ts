import { describe, expect, it } from "vitest";
import { tierFits } from "../../src/worker/benchmark/job.ts";
import { classifyError } from "../../src/worker/llm/errors.ts";
import { call, signUp } from "./helpers.ts";

describe("context tiers", () => {
  it("runs a tier only when it fits the context window minus max_tokens minus 100", () => {
    const t = { contextWindow: 8192 } as Parameters<typeof tierFits>[1];
    expect(tierFits(0, t, 512)).toBe(true);
    expect(tierFits(7580, t, 512)).toBe(true);
    expect(tierFits(7581, t, 512)).toBe(false);
  });
});

describe("error classification", () => {
  it("classifies by status and cause, and scrubs secrets from messages", () => {
    const withStatus = (status: number, message: string) => Object.assign(new Error(message), { status });
    expect(classifyError(withStatus(429, "slow down"), [], null).cls).toBe("rate_limited");
    expect(classifyError(withStatus(401, "bad key sk-proj-abcdefghijklmnop"), [], null).message).not.toContain("abcdefghijklmnop");
    expect(classifyError(withStatus(503, "busy"), [], null).cls).toBe("server");
    expect(classifyError(withStatus(400, "bad"), [], null).cls).toBe("bad_request");
    expect(classifyError(new SyntaxError("Unexpected token < in JSON"), [], null).cls).toBe("malformed_stream");
    expect(classifyError(new Error("aborted"), [], "cancelled").cls).toBe("cancelled");
    expect(classifyError(new Error("aborted"), [], "timeout").cls).toBe("timeout");
    expect(classifyError(new TypeError("fetch failed"), [], null).cls).toBe("connection");
    expect(classifyError(new Error("key mysecretvalue123 leaked"), ["mysecretvalue123"], null).message).not.toContain("mysecretvalue123");
  });
});

describe("provider health", () => {
  it("probes configured providers: the simulator answers, keyless cloud providers are skipped without a call", async () => {
    const u = await signUp();
    const r = await call("/api/health/providers", { token: u.token });
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.json.providers.map((p: any) => [p.provider_key, p]));
    expect(by.local_simulator.status).toBe("ok");
    expect(by.local_simulator.latency_ms).toBeGreaterThanOrEqual(70);
    expect(by.openai).toMatchObject({ status: "skipped", error_class: "auth" });
    expect(by.openrouter).toMatchObject({ status: "skipped", error: "No models configured" });
  });
});
