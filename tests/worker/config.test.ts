import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PROVIDER_CATALOGUE } from "../../src/shared/catalogue.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

describe("new-user defaults", () => {
  it("seeds the whole provider catalogue with base URLs, the local simulator, templates and defaults", async () => {
    const u = await signUp();
    const cfg = await call("/api/config", { token: u.token });
    expect(cfg.status).toBe(200);
    const keys = cfg.json.providers.map((p: any) => p.provider_key);
    for (const p of PROVIDER_CATALOGUE) expect(keys).toContain(p.provider_key);
    expect(keys).toHaveLength(PROVIDER_CATALOGUE.length + 1);
    const byKey = Object.fromEntries(cfg.json.providers.map((p: any) => [p.provider_key, p]));
    expect(byKey.openai.api_base).toBe("https://api.openai.com/v1");
    expect(byKey.anthropic.api_kind).toBe("anthropic");
    expect(byKey.groq.api_base).toBe("https://api.groq.com/openai/v1");
    expect(byKey.ollama.is_local).toBe(true);
    const sim = byKey.local_simulator;
    expect(sim.display_name).toBe("Local simulator");
    expect(sim.source).toBe("simulator");
    expect(sim.api_base).toBe(`${env.SIMULATOR_BASE_URL}/v1`);
    expect(sim.models.length).toBeGreaterThanOrEqual(3);
    expect(cfg.json.defaults).toMatchObject({ max_tokens: 512, temperature: 0.7, context_tiers: [0] });

    const prompts = await call("/api/config/prompts", { token: u.token });
    expect(Object.keys(prompts.json)).toEqual(expect.arrayContaining(["recursion", "code_generation", "creative", "qa"]));
  });
});

describe("providers and models", () => {
  it("creates, reads, updates and deletes a provider and its models with custom pricing", async () => {
    const u = await signUp();
    const created = await call("/api/v2/providers", {
      token: u.token,
      body: { provider_key: "my_vllm", display_name: "My vLLM", api_base: "http://10.1.2.3:8000/v1/", is_local: true },
    });
    expect(created.status, created.text).toBe(201);
    const provider = created.json.provider;
    expect(provider).toMatchObject({ provider_key: "my_vllm", api_base: "http://10.1.2.3:8000/v1", source: "custom", model_count: 0 });

    const model = await call(`/api/v2/providers/${provider.id}/models`, {
      token: u.token,
      body: { model_id: "qwen/qwen3-8b", context_window: 32768, input_cost_per_mtok: 0.15, output_cost_per_mtok: 0.6, skip_params: ["top_k"] },
    });
    expect(model.status, model.text).toBe(201);
    expect(model.json.model).toMatchObject({
      model_id: "qwen/qwen3-8b",
      display_name: "qwen3-8b",
      input_cost_per_mtok: 0.15,
      output_cost_per_mtok: 0.6,
      skip_params: ["top_k"],
      provider_key: "my_vllm",
    });
    const modelId = model.json.model.id;

    const updated = await call(`/api/v2/models/${modelId}`, {
      method: "PUT",
      token: u.token,
      body: { display_name: "Qwen3 8B", max_output_tokens: 4096, system_prompt: "Be brief.", output_cost_per_mtok: null },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.model).toMatchObject({
      display_name: "Qwen3 8B",
      max_output_tokens: 4096,
      system_prompt: "Be brief.",
      output_cost_per_mtok: null,
      input_cost_per_mtok: 0.15,
    });

    expect((await call(`/api/v2/providers/${provider.id}`, { token: u.token })).json.provider.model_count).toBe(1);
    const renamed = await call(`/api/v2/providers/${provider.id}`, { method: "PUT", token: u.token, body: { display_name: "vLLM box" } });
    expect(renamed.json.provider.display_name).toBe("vLLM box");

    expectEnvelope(await call(`/api/v2/providers/${provider.id}/models`, { token: u.token, body: { model_id: "qwen/qwen3-8b" } }), 409, "conflict");
    expectEnvelope(await call("/api/v2/providers", { token: u.token, body: { provider_key: "my_vllm", display_name: "again" } }), 409);

    expect((await call(`/api/v2/providers/${provider.id}`, { method: "DELETE", token: u.token })).status).toBe(200);
    expectEnvelope(await call(`/api/v2/models/${modelId}`, { token: u.token }), 404); // cascaded
  });

  it("applies the provider's model-id prefix", async () => {
    const u = await signUp();
    const p = await call("/api/v2/providers", { token: u.token, body: { provider_key: "zai", display_name: "Z.AI", model_id_prefix: "zai" } });
    const m = await call(`/api/v2/providers/${p.json.provider.id}/models`, { token: u.token, body: { model_id: "glm-4.6" } });
    expect(m.json.model.model_id).toBe("zai/glm-4.6");
  });

  it("validates fields", async () => {
    const u = await signUp();
    const bad = await call("/api/v2/providers", { token: u.token, body: { provider_key: "has spaces", display_name: "", api_base: "ftp://x" } });
    expectEnvelope(bad, 400, "validation_failed");
    const paths = bad.json.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["provider_key", "display_name", "api_base"]));
    const models = await call("/api/v2/models", { token: u.token });
    const any = models.json.models[0];
    const neg = await call(`/api/v2/models/${any.id}`, { method: "PUT", token: u.token, body: { input_cost_per_mtok: -1 } });
    expectEnvelope(neg, 400, "validation_failed");
    const unknownField = await call(`/api/v2/models/${any.id}`, { method: "PUT", token: u.token, body: { price: 3 } });
    expectEnvelope(unknownField, 400, "validation_failed");
  });

  it("lists the catalogue and re-adds a deleted catalogue provider with its models", async () => {
    const u = await signUp();
    const providers = (await call("/api/v2/providers", { token: u.token })).json.providers;
    const openai = providers.find((p: any) => p.provider_key === "openai");
    await call(`/api/v2/providers/${openai.id}`, { method: "DELETE", token: u.token });
    const cat = await call("/api/provider-catalogue", { token: u.token });
    expect(cat.json.providers.find((p: any) => p.provider_key === "openai").configured).toBe(false);
    const readd = await call("/api/provider-catalogue/openai", { method: "POST", token: u.token });
    expect(readd.status, readd.text).toBe(201);
    expect(readd.json.provider.model_count).toBeGreaterThan(0);
    expectEnvelope(await call("/api/provider-catalogue/openai", { method: "POST", token: u.token }), 409);
    expectEnvelope(await call("/api/provider-catalogue/nonexistent", { method: "POST", token: u.token }), 404);
  });
});

describe("defaults, templates, settings, onboarding", () => {
  it("updates benchmark defaults with validation", async () => {
    const u = await signUp();
    const r = await call("/api/config/defaults", { method: "PUT", token: u.token, body: { max_tokens: 1024, context_tiers: [0, 1000] } });
    expect(r.json.defaults).toMatchObject({ max_tokens: 1024, context_tiers: [0, 1000], temperature: 0.7 });
    expect((await call("/api/config", { token: u.token })).json.defaults.max_tokens).toBe(1024);
    expectEnvelope(await call("/api/config/defaults", { method: "PUT", token: u.token, body: { temperature: 3 } }), 400);
  });

  it("creates, replaces and deletes prompt templates", async () => {
    const u = await signUp();
    await call("/api/config/prompts", { token: u.token, body: { key: "haiku", label: "Haiku", prompt: "Write a haiku." } });
    await call("/api/config/prompts", { token: u.token, body: { key: "haiku", prompt: "Write two haiku." } });
    const list = await call("/api/config/prompts", { token: u.token });
    expect(list.json.haiku).toEqual({ label: "haiku", category: "general", prompt: "Write two haiku." });
    expect((await call("/api/config/prompts/haiku", { method: "DELETE", token: u.token })).status).toBe(200);
    expectEnvelope(await call("/api/config/prompts/haiku", { method: "DELETE", token: u.token }), 404);
    expectEnvelope(await call("/api/config/prompts", { token: u.token, body: { key: "1bad", prompt: "x" } }), 400);
  });

  it("merges feature settings over defaults and rejects invalid ones", async () => {
    const u = await signUp();
    const before = await call("/api/settings/phase10", { token: u.token });
    expect(before.json.judge).toMatchObject({ enabled: false, mode: "post_eval", max_tokens: 4096 });
    expect(before.json.param_support).toBeNull();
    const put = await call("/api/settings/phase10", {
      method: "PUT",
      token: u.token,
      body: { judge: { enabled: true, model_id: "gpt-4o" }, prompt_tuner: { generations: 5 } },
    });
    expect(put.json).toEqual({ ok: true });
    const after = await call("/api/settings/phase10", { token: u.token });
    expect(after.json.judge).toMatchObject({ enabled: true, model_id: "gpt-4o", max_tokens: 4096 });
    expect(after.json.prompt_tuner.generations).toBe(5);
    const tooMany = { param_tuner: { presets: Array.from({ length: 21 }, (_, i) => ({ name: `p${i}`, search_space: {} })) } };
    expectEnvelope(await call("/api/settings/phase10", { method: "PUT", token: u.token, body: tooMany }), 400);
  });

  it("resets param_support with null instead of failing on the NOT NULL column (was a 500)", async () => {
    const u = await signUp();
    const put = (body: unknown) => call("/api/settings/phase10", { method: "PUT", token: u.token, body });
    const read = async () => (await call("/api/settings/phase10", { token: u.token })).json.param_support;
    // Never saved: null is the default, so storing it changes nothing.
    expect((await put({ param_support: null })).json).toEqual({ ok: true });
    expect(await read()).toBeNull();
    const saved = { provider_defaults: { openai: { top_p: 0.5 } }, model_overrides: {} };
    expect((await put({ param_support: saved })).status).toBe(200);
    expect(await read()).toEqual(saved);
    // Saved, then null (alone or beside other sections): back to the default, other sections still saved.
    expect((await put({ param_support: null, judge: { enabled: true } })).json).toEqual({ ok: true });
    expect(await read()).toBeNull();
    expect((await call("/api/settings/phase10", { token: u.token })).json.judge.enabled).toBe(true);
    // Null inside it, or in a section that has no null, is a 400 envelope.
    expectEnvelope(await put({ param_support: { provider_defaults: null, model_overrides: {} } }), 400, "validation_failed");
    expectEnvelope(await put({ judge: null }), 400, "validation_failed");
  });

  it("tracks onboarding", async () => {
    const u = await signUp();
    expect((await call("/api/onboarding/status", { token: u.token })).json).toEqual({ completed: false });
    await call("/api/onboarding/complete", { method: "POST", token: u.token });
    expect((await call("/api/onboarding/status", { token: u.token })).json).toEqual({ completed: true });
    expect((await call("/api/auth/me", { token: u.token })).json.user.onboarding_completed).toBe(true);
  });
});

describe("the built-in Local simulator follows the deployment's simulator", () => {
  it("keeps working for an account made while the simulator listened elsewhere, and refuses address changes by name", async () => {
    const u = await signUp();
    const cfg = await call("/api/config", { token: u.token });
    const sim = cfg.json.providers.find((p: any) => p.provider_key === "local_simulator");
    // Nothing of the address is copied into the account: the row holds none.
    const row = await env.DB.prepare("SELECT api_base FROM providers WHERE id = ?").bind(sim.id).first<any>();
    expect(row.api_base).toBeNull();
    // An account from before this change holds the old port; it must not matter.
    await env.DB.prepare("UPDATE providers SET api_base = 'http://127.0.0.1:9/v1' WHERE id = ?").bind(sim.id).run();
    const again = await call("/api/config", { token: u.token });
    expect(again.json.providers.find((p: any) => p.id === sim.id).api_base).toBe(`${env.SIMULATOR_BASE_URL}/v1`);
    const health = await call("/api/health/providers", { token: u.token });
    expect(health.status, health.text).toBe(200);
    const simHealth = health.json.providers.find((p: any) => p.provider_key === "local_simulator");
    expect(simHealth.status, JSON.stringify(simHealth)).toBe("ok");

    // Sending back what was read is not a change; a new address or protocol is refused, naming the field.
    const same = await call(`/api/v2/providers/${sim.id}`, {
      method: "PUT",
      token: u.token,
      body: { display_name: "My simulator", api_kind: "openai", api_base: `${env.SIMULATOR_BASE_URL}/v1` },
    });
    expect(same.status, same.text).toBe(200);
    expect(same.json.provider.display_name).toBe("My simulator");
    const moved = await call(`/api/v2/providers/${sim.id}`, {
      method: "PUT",
      token: u.token,
      body: { api_base: "http://10.0.0.1:1234/v1", api_kind: "anthropic" },
    });
    expectEnvelope(moved, 400, "validation_failed");
    expect(moved.json.details.map((d: any) => d.path).sort()).toEqual(["api_base", "api_kind"]);
  });
});
