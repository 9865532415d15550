/**
 * The private-address guard as production runs it (the `worker-guarded` project: ALLOW_PRIVATE_URLS = "false"):
 * a user-given base URL on loopback, a private range or link-local (cloud metadata) is refused before any request
 * leaves, by model discovery, backend detection, the health probe, a benchmark's LLM calls and MCP discovery; the
 * built-in simulator (the deployment's own address) keeps working. The Worker cannot be used to probe a network.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { waitForJob } from "./fixtures.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const SIM = new URL(env.SIMULATOR_BASE_URL!);
/** Private spellings of where a user could point a provider; the first is the live simulator itself. */
const PRIVATE_BASES = {
  loopback: `http://127.0.0.1:${SIM.port}/v1`,
  hexloop: `http://0x7f000001:${SIM.port}/v1`,
  ipv6loop: `http://[::1]:${SIM.port}/v1`,
  metadata: "http://169.254.169.254/latest",
  lan: "http://10.1.2.3:1234/v1",
  localhost: `http://localhost:${SIM.port}/v1`,
};
/** Tagged so that no other test asks the simulator for this id: its send log then proves nothing reached it. */
const MODEL = "sim-ttft10-tps1000-len5-tagprivateguard";

type Account = Awaited<ReturnType<typeof signUp>>;
let u: Account;

beforeAll(async () => {
  expect(env.ALLOW_PRIVATE_URLS).toBe("false");
  u = await signUp();
  for (const [key, api_base] of Object.entries(PRIVATE_BASES)) {
    const p = await call("/api/v2/providers", { token: u.token, body: { provider_key: key, display_name: key, api_base, is_local: true } });
    expect(p.status, p.text).toBe(201);
    const m = await call(`/api/v2/providers/${p.json.provider.id}/models`, { token: u.token, body: { model_id: MODEL } });
    expect(m.status, m.text).toBe(201);
  }
});

describe("with private URLs refused", () => {
  it("model discovery and backend detection answer 400 private_address naming the host, for every spelling", async () => {
    for (const key of Object.keys(PRIVATE_BASES)) {
      for (const path of ["/api/models/discover", "/api/lm-studio/detect"]) {
        const r = await call(`${path}?provider_key=${key}`, { token: u.token });
        expectEnvelope(r, 400, "private_address");
        expect(r.json.error, `${path} ${key}`).toMatch(/^Refused to call /);
        expect(r.json.details?.[0]?.path).toBe("api_base");
      }
    }
  });

  it("the health probe reports the refusal as a connection error, and the simulator as up", async () => {
    const r = await call("/api/health/providers", { token: u.token });
    expect(r.status, r.text).toBe(200);
    const by = Object.fromEntries(r.json.providers.map((p: any) => [p.provider_key, p]));
    for (const key of Object.keys(PRIVATE_BASES)) {
      expect(by[key], key).toMatchObject({ status: "error", error_class: "connection", latency_ms: null });
      expect(by[key].error).toMatch(/Refused to call/);
    }
    expect(by.local_simulator).toMatchObject({ status: "ok" });
    // The built-in simulator's own address is trusted: discovery works there.
    expect((await call("/api/models/discover?provider_key=local_simulator", { token: u.token })).status).toBe(200);
  });

  it("a benchmark's calls to a private base URL fail without reaching it", async () => {
    const run = await call("/api/benchmark", {
      token: u.token,
      body: { targets: [{ provider_key: "loopback", model_id: MODEL }], runs: 1, warmup: false, max_tokens: 4 },
    });
    expect(run.status, run.text).toBe(200);
    expect(await waitForJob(u.token, run.json.job_id)).toBe("failed");
    const hist = await call(`/api/history/${run.json.run_id}`, { token: u.token });
    expect(hist.json.results.length).toBeGreaterThan(0);
    for (const r of hist.json.results) {
      expect(r).toMatchObject({ success: false, error_class: "connection" });
      expect(r.error).toMatch(/Refused to call/);
    }
    // The simulator's send log names no request for this model: nothing left the Worker.
    const log = await fetch(`${SIM.origin}/__sim/log?limit=1000`);
    expect(log.status).toBe(200);
    expect(JSON.stringify(await log.json())).not.toContain("tagprivateguard");
  });

  it("MCP discovery refuses a private server URL", async () => {
    for (const url of [`http://127.0.0.1:${SIM.port}/mcp`, "http://169.254.169.254/mcp", "http://192.168.0.10/mcp"]) {
      const r = await call("/api/mcp/discover", { token: u.token, body: { url } });
      expectEnvelope(r, 400, "private_address");
    }
  });
});
