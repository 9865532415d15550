/**
 * Operator keys (the server's `<PROVIDER>_API_KEY` secrets) reach only their catalogue provider's own URL.
 * The test project binds a canary operator key for OpenRouter (tests/worker/canaries.ts) next to JWT_SECRET and
 * VAULT_MASTER_KEY; a user who points a provider at a server they control must never receive any of them.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../src/worker/db/client.ts";
import { LlmError } from "../../src/worker/llm/errors.ts";
import { llmTargetFor, resolveTargets } from "../../src/worker/llm/targets.ts";
import { CANARY } from "./canaries.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent as waitFor } from "./sockets.ts";

// OpenRouter's catalogue entry has no models, so nothing else in the suite sends this key to the internet.
const OPERATOR = "openrouter";
const MODEL = "some-vendor/some-model";
const SIM_V1 = () => `${env.SIMULATOR_BASE_URL}/v1`;

async function providerByKey(token: string, key: string) {
  const list = await call("/api/v2/providers", { token });
  return list.json.providers.find((p: { provider_key: string }) => p.provider_key === key);
}

async function targetFor(userId: string, providerKey: string, modelId: string) {
  const db = makeDb(env.DB);
  const { found } = await resolveTargets(db, userId, [{ provider_key: providerKey, model_id: modelId }]);
  return llmTargetFor(env, db, userId, found[0]!);
}

describe("operator keys", () => {
  it("are used for a catalogue provider at its catalogue URL, under the documented name only", async () => {
    const u = await signUp();
    const provider = await providerByKey(u.token, OPERATOR);
    expect((await call(`/api/v2/providers/${provider.id}/models`, { token: u.token, body: { model_id: MODEL } })).status).toBe(201);
    const target = await targetFor(u.user.id, OPERATOR, MODEL);
    expect(target.baseUrl).toBe("https://openrouter.ai/api/v1");
    expect(target.apiKey).toBe(CANARY.OPERATOR_KEY);
    const keys = await call("/api/keys", { token: u.token });
    const row = keys.json.keys.find((k: any) => k.provider_key === OPERATOR);
    expect(row).toMatchObject({ status: "shared", has_global_key: true, key_env_name: "OPENROUTER_API_KEY" });
    // Without an operator key the provider is simply not set.
    expect(keys.json.keys.find((k: any) => k.provider_key === "openai")).toMatchObject({ status: "not_set", has_global_key: false });
  });

  it("are never sent once the user points the catalogue provider at another URL", async () => {
    const u = await signUp();
    const provider = await providerByKey(u.token, OPERATOR);
    const put = await call(`/api/v2/providers/${provider.id}`, { method: "PUT", token: u.token, body: { api_base: SIM_V1() } });
    expect(put.status, put.text).toBe(200);
    expect(put.json.provider.api_key_env).toBeNull(); // no operator key can apply any more
    const keys = await call("/api/keys", { token: u.token });
    expect(keys.json.keys.find((k: any) => k.provider_key === OPERATOR)).toMatchObject({
      status: "not_set",
      has_global_key: false,
      key_env_name: null,
    });

    // End to end: the benchmark fails with a key error before any request leaves; the simulator (which accepts
    // any key) would have made it succeed had a key been sent.
    const m = await call(`/api/v2/providers/${provider.id}/models`, { token: u.token, body: { model_id: "sim-ttft5-tps500-len5" } });
    expect(m.status, m.text).toBe(201);
    await expect(targetFor(u.user.id, OPERATOR, "sim-ttft5-tps500-len5")).rejects.toBeInstanceOf(LlmError);
    const s = await openSocket(u.token);
    await s.next("sync");
    const submit = await call("/api/benchmark", {
      token: u.token,
      body: { targets: [{ provider_key: OPERATOR, model_id: "sim-ttft5-tps500-len5" }], runs: 1, max_tokens: 5, warmup: false },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitFor(s, "job_failed", submit.json.job_id, 30_000);
    const result = s.messages.find((e) => e.type === "benchmark_result" && e.job_id === submit.json.job_id);
    expect(result.data).toMatchObject({ success: false, error_class: "auth" });
    s.ws.close();
  });

  it("cannot be named by a provider row: api_key_env may only echo the catalogue's own name", async () => {
    const u = await signUp();
    for (const name of ["JWT_SECRET", "VAULT_MASTER_KEY", "OPENROUTER_API_KEY"]) {
      const r = await call("/api/v2/providers", {
        token: u.token,
        body: { provider_key: `evil_${name.toLowerCase()}`, display_name: "Mine", api_base: SIM_V1(), api_key_env: name },
      });
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.details[0].path).toBe("api_key_env");
    }
    const anthropic = await providerByKey(u.token, "anthropic");
    const bad = await call(`/api/v2/providers/${anthropic.id}`, { method: "PUT", token: u.token, body: { api_key_env: "JWT_SECRET" } });
    expectEnvelope(bad, 400, "validation_failed");
    const echo = await call(`/api/v2/providers/${anthropic.id}`, { method: "PUT", token: u.token, body: { api_key_env: "ANTHROPIC_API_KEY" } });
    expect(echo.status, echo.text).toBe(200);
  });

  it("ignore a binding name stored on a row before this rule existed", async () => {
    const u = await signUp();
    const created = await call("/api/v2/providers", {
      token: u.token,
      body: { provider_key: "legacy", display_name: "Legacy", api_kind: "anthropic", api_base: SIM_V1() },
    });
    expect(created.status, created.text).toBe(201);
    await env.DB.prepare("UPDATE providers SET api_key_env = 'JWT_SECRET' WHERE id = ?").bind(created.json.provider.id).run();
    await call(`/api/v2/providers/${created.json.provider.id}/models`, { token: u.token, body: { model_id: "sim-ttft5-tps500-len5" } });
    await expect(targetFor(u.user.id, "legacy", "sim-ttft5-tps500-len5")).rejects.toThrow(/No API key/);
    const keys = await call("/api/keys", { token: u.token });
    expect(keys.json.keys.find((k: any) => k.provider_key === "legacy")).toMatchObject({ status: "not_set", key_env_name: null });
    const got = await call(`/api/v2/providers/${created.json.provider.id}`, { token: u.token });
    expect(got.json.provider.api_key_env).toBeNull();
  });
});
