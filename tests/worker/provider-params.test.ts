import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket } from "./sockets.ts";

describe("provider parameter registry API", () => {
  it("serves the registry and validates parameters (warn, don't drop)", async () => {
    const u = await signUp();
    const reg = await call("/api/provider-params/registry", { token: u.token });
    expect(reg.status).toBe(200);
    expect(reg.json.providers.anthropic.tier1.temperature).toMatchObject({ min: 0, max: 1 });
    expect(reg.json.providers._unknown).toBeDefined();
    const v = await call("/api/provider-params/validate", {
      token: u.token,
      body: { provider_key: "anthropic", model_id: "claude-sonnet-4-5", params: { temperature: 1.7, top_p: 0.9, seed: 3 } },
    });
    expect(v.status, v.text).toBe(200);
    expect(v.json.valid).toBe(false);
    const actions = Object.fromEntries(v.json.adjustments.map((a: any) => [a.param, a.action]));
    expect(actions).toMatchObject({ temperature: "clamp", top_p: "drop", seed: "warn" });
    expect(v.json.resolved_params).toMatchObject({ temperature: 1, seed: 3 });
    expect(v.json.resolved_params.top_p).toBeUndefined();
    expectEnvelope(await call("/api/provider-params/validate", { token: u.token, body: { params: {} } }), 400);
  });

  it("reports adjustments before a run and sends the resolved parameters through the Anthropic SDK", async () => {
    const u = await signUp();
    const providers = (await call("/api/v2/providers", { token: u.token })).json.providers;
    const anthropic = providers.find((p: any) => p.provider_key === "anthropic");
    // Point the Anthropic provider at the simulator's Anthropic endpoint and give it a key.
    await call(`/api/v2/providers/${anthropic.id}`, { method: "PUT", token: u.token, body: { api_base: env.SIMULATOR_BASE_URL } });
    await call(`/api/v2/providers/${anthropic.id}/models`, { token: u.token, body: { model_id: "sim-ttft20-tps300-len12" } });
    await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "anthropic", value: "sk-ant-test-key-123456789" } });
    const s = await openSocket(u.token);
    const r = await call("/api/benchmark", {
      token: u.token,
      body: {
        targets: [{ provider_key: "anthropic", model_id: "sim-ttft20-tps300-len12" }],
        temperature: 1.5,
        max_tokens: 64,
        warmup: false,
        provider_params: { top_p: 0.8, passthrough: { metadata: { user_id: "bench" } } },
      },
    });
    expect(r.status, r.text).toBe(200);
    const adj = r.json.param_adjustments[0].adjustments;
    expect(adj.map((a: any) => `${a.param}:${a.action}`)).toEqual(
      expect.arrayContaining(["temperature:clamp", "top_p:drop", "metadata:passthrough"]),
    );
    const event = await s.next("param_adjustments");
    expect(event.job_id).toBe(r.json.job_id);
    const done = await (async () => {
      for (let i = 0; i < 200; i++) {
        const job = (await call(`/api/jobs/${r.json.job_id}`, { token: u.token })).json;
        if (job.status !== "running" && job.status !== "pending" && job.status !== "queued") return job;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error("job did not finish");
    })();
    expect(done.status).toBe("done");
    const run = (await call(`/api/history/${r.json.run_id}`, { token: u.token })).json;
    expect(run.results[0]).toMatchObject({ success: true, output_tokens: 12, token_source: "provider" });
    s.ws.close(1000);
  });
});
