/**
 * Model discovery, local backend detection and provider health through the API, against the simulator over real
 * HTTP: its OpenAI and Anthropic model lists, Gemini's native list, and the simulated LM Studio, Ollama, llama.cpp
 * and vLLM servers (src/simulator/local-backends.ts).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EXAMPLE_MODELS } from "../../src/simulator/control.ts";
import { LOCAL_BACKEND_MODELS } from "../../src/simulator/local-backends.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const SIM = env.SIMULATOR_BASE_URL;
/** A port nothing listens on (the discard port). */
const CLOSED = "http://127.0.0.1:9/v1";

type Account = Awaited<ReturnType<typeof signUp>>;

async function addProvider(u: Account, key: string, body: Record<string, unknown>) {
  const r = await call("/api/v2/providers", { token: u.token, body: { provider_key: key, display_name: key, ...body } });
  expect(r.status, r.text).toBe(201);
  return r.json.provider as { id: string; provider_key: string };
}

async function storeKey(u: Account, providerKey: string, value: string) {
  const r = await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: providerKey, value } });
  expect(r.status, r.text).toBe(200);
}

const discover = (u: Account, key: string) => call(`/api/models/discover?provider_key=${key}`, { token: u.token });
const detect = (u: Account, key: string) => call(`/api/lm-studio/detect?provider_key=${key}`, { token: u.token });

describe("GET /api/models/discover", () => {
  it("lists the simulator's models with catalogue names and prices, marking those already added", async () => {
    const u = await signUp();
    const r = await discover(u, "local_simulator");
    expect(r.status, r.text).toBe(200);
    expect(r.json.api).toBe("openai");
    expect(r.json.models.map((m: any) => m.id)).toEqual([...EXAMPLE_MODELS].sort());
    const fast = r.json.models.find((m: any) => m.id === "sim-ttft80-tps150-len200");
    // In the seeded Local simulator and the catalogue: its name, context window and price come from there.
    expect(fast).toMatchObject({
      display_name: "Sim fast (80 ms, 150 tok/s)",
      context_window: 128000,
      input_cost_per_mtok: 0.1,
      output_cost_per_mtok: 0.4,
      price_source: "built_in",
      owned_by: "llm-simulator",
      in_catalogue: true,
      already_added: true,
    });
    const typical = r.json.models.find((m: any) => m.id === "sim-ttft300-tps60-len120");
    expect(typical).toMatchObject({ display_name: "sim-ttft300-tps60-len120", in_catalogue: false, already_added: false, price_source: null });
  });

  it("adds one model and several at once through the model routes; discovery then shows them added", async () => {
    const u = await signUp();
    const sim = (await discover(u, "local_simulator")).json;
    const one = await call(`/api/v2/providers/${sim.provider_id}/models`, {
      token: u.token,
      body: { model_id: "sim-ttft300-tps60-len120", display_name: "Typical" },
    });
    expect(one.status, one.text).toBe(201);
    const bulk = await call(`/api/v2/providers/${sim.provider_id}/models/bulk`, {
      token: u.token,
      body: {
        models: [
          { model_id: "sim-ttft300-tps60-len120" }, // already added above
          { model_id: "sim-ttft80-tps150-len200-chunk4", context_window: 32000 },
          { model_id: "sim-ttft1500-tps25-len300" },
        ],
      },
    });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.json.added.map((m: any) => m.model_id)).toEqual(["sim-ttft80-tps150-len200-chunk4", "sim-ttft1500-tps25-len300"]);
    expect(bulk.json.added[0].context_window).toBe(32000);
    expect(bulk.json.skipped).toEqual([{ model_id: "sim-ttft300-tps60-len120", reason: "already added" }]);
    const again = (await discover(u, "local_simulator")).json.models;
    for (const id of ["sim-ttft300-tps60-len120", "sim-ttft80-tps150-len200-chunk4", "sim-ttft1500-tps25-len300"]) {
      expect(again.find((m: any) => m.id === id).already_added, id).toBe(true);
    }
    // Every add was audited like a form add.
    const audits = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE user_id = ? AND action = 'model_create'")
      .bind(u.user.id)
      .first<any>();
    expect(audits.n).toBe(3);
    // A bulk add of another user's provider is a 404; an empty list a 400.
    const other = await signUp();
    expectEnvelope(
      await call(`/api/v2/providers/${sim.provider_id}/models/bulk`, { token: other.token, body: { models: [{ model_id: "x" }] } }),
      404,
    );
    expectEnvelope(await call(`/api/v2/providers/${sim.provider_id}/models/bulk`, { token: u.token, body: { models: [] } }), 400);
  });

  it("speaks Anthropic's model list to an Anthropic provider, with the stored key, and applies the id prefix", async () => {
    const u = await signUp();
    await addProvider(u, "anth_sim", { api_kind: "anthropic", api_base: SIM, model_id_prefix: "anth" });
    const none = await discover(u, "anth_sim");
    expectEnvelope(none, 400, "bad_request");
    expect(none.json.error).toContain("No API key configured");
    await storeKey(u, "anth_sim", "sk-sim-discovery-anthropic-1");
    const r = await discover(u, "anth_sim");
    expect(r.status, r.text).toBe(200);
    expect(r.json.api).toBe("anthropic");
    expect(r.json.models.map((m: any) => m.id)).toEqual(EXAMPLE_MODELS.map((id) => `anth/${id}`).sort());
    expect(r.text).not.toContain("sk-sim-discovery-anthropic-1");
  });

  it("reads Gemini's native list (key in a header; display names, token limits; non-chat models left out)", async () => {
    const u = await signUp();
    await addProvider(u, "gem_sim", { api_base: `${SIM}/gemini/v1beta/openai` });
    await storeKey(u, "gem_sim", "AIzaSimulatedGeminiKey0123456789");
    const r = await discover(u, "gem_sim");
    expect(r.status, r.text).toBe(200);
    expect(r.json.api).toBe("gemini");
    expect(r.json.models).toHaveLength(LOCAL_BACKEND_MODELS.length);
    const first = r.json.models.find((m: any) => m.id === LOCAL_BACKEND_MODELS[0].id);
    expect(first).toMatchObject({ display_name: `Gemini-style ${LOCAL_BACKEND_MODELS[0].id}`, max_output_tokens: 8192 });
    expect(r.text).not.toContain("AIzaSimulatedGeminiKey0123456789");
  });

  it("answers 502 for a provider error or an unreachable server, 404 for an unknown or foreign provider", async () => {
    const u = await signUp();
    await addProvider(u, "dead", { api_base: CLOSED, is_local: true });
    const dead = await discover(u, "dead");
    expectEnvelope(dead, 502, "upstream_error");
    expect(dead.json.error).toContain("127.0.0.1:9");
    await addProvider(u, "wrong_path", { api_base: `${SIM}/no-such-prefix`, is_local: true });
    const wrong = await discover(u, "wrong_path");
    expectEnvelope(wrong, 502, "upstream_error");
    expect(wrong.json.error).toContain("HTTP 404");
    expectEnvelope(await discover(u, "nobody_has_this"), 404, "not_found");
    const other = await signUp();
    expectEnvelope(await discover(other, "dead"), 404, "not_found");
    expectEnvelope(await call("/api/models/discover?provider_key=../x", { token: u.token }), 400);
    expectEnvelope(await call("/api/models/discover", { token: u.token }), 400);
  });

  it("lists a local LM Studio's models with their context windows, without a key", async () => {
    const u = await signUp();
    await addProvider(u, "lms", { api_base: `${SIM}/lmstudio/v1`, is_local: true });
    const r = await discover(u, "lms");
    expect(r.status, r.text).toBe(200);
    expect(r.json.models.map((m: any) => [m.id, m.owned_by])).toEqual(
      [...LOCAL_BACKEND_MODELS].map((m) => [m.id, "organization_owner"]).sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
  });
});

describe("GET /api/lm-studio/detect", () => {
  it.each([
    ["lmstudio", "lm_studio", null],
    ["ollama", "ollama", "0.6.5"],
    ["llamacpp", "llama_cpp", null],
    ["vllm", "vllm", null],
  ])("tells the simulated %s apart (%s)", async (prefix, backend, version) => {
    const u = await signUp();
    await addProvider(u, `local_${prefix}`, { api_base: `${SIM}/${prefix}/v1`, is_local: true });
    const r = await detect(u, `local_${prefix}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ available: true, backend, version });
    expect(r.json.models.map((m: any) => m.id).sort()).toEqual(LOCAL_BACKEND_MODELS.map((m) => m.id).sort());
  });

  it("reports LM Studio's engines: gguf and mlx models make a mixed backend with MLX's unsupported params", async () => {
    const u = await signUp();
    await addProvider(u, "lms", { api_base: `${SIM}/lmstudio/v1`, is_local: true });
    const r = await detect(u, "lms");
    expect(r.json.backend_type).toBe("mixed");
    expect(r.json.mlx_unsupported_params).toEqual(["mirostat", "mirostat_eta", "mirostat_tau", "typical_p"]);
    const loaded = r.json.models.find((m: any) => m.id === LOCAL_BACKEND_MODELS[1].id);
    expect(loaded).toMatchObject({ compatibility_type: "gguf", state: "not-loaded", context_window: LOCAL_BACKEND_MODELS[1].context });
  });

  it("calls a plain OpenAI-compatible server that, and nothing at all unknown", async () => {
    const u = await signUp();
    const plain = await detect(u, "local_simulator");
    expect(plain.status, plain.text).toBe(200);
    expect(plain.json).toMatchObject({ available: true, backend: "openai_compatible", backend_type: "unknown", mlx_unsupported_params: [] });
    await addProvider(u, "dead", { api_base: CLOSED, is_local: true });
    const dead = await detect(u, "dead");
    expect(dead.status, dead.text).toBe(200);
    expect(dead.json).toMatchObject({ available: false, backend: "unknown", models: [] });
    expect(dead.json.probes.every((p: any) => !p.ok && p.error)).toBe(true);
  });
});

describe("GET /api/health/providers", () => {
  it("reports latency for the simulator, a classified error with a hint for a failing provider, and checks one provider", async () => {
    const u = await signUp();
    const failing = await addProvider(u, "failing", { api_base: `${SIM}/v1`, is_local: true });
    await call(`/api/v2/providers/${failing.id}/models`, { token: u.token, body: { model_id: "sim-ttft10-fault500" } });
    const r = await call("/api/health/providers", { token: u.token });
    expect(r.status, r.text).toBe(200);
    const by = Object.fromEntries(r.json.providers.map((p: any) => [p.provider_key, p]));
    expect(by.local_simulator).toMatchObject({ status: "ok", error: null, error_class: null, empty_reply: false });
    expect(by.local_simulator.latency_ms).toBeGreaterThanOrEqual(70); // the first model's 80 ms TTFT
    expect(by.failing).toMatchObject({ status: "error", error_class: "server", latency_ms: null, host: new URL(`${SIM}`).host });
    expect(by.failing.hint).toContain("failing");
    expect(by.openai).toMatchObject({ status: "skipped", error_class: "auth" });
    const one = await call("/api/health/providers?provider_key=failing", { token: u.token });
    expect(one.status, one.text).toBe(200);
    expect(one.json.providers.map((p: any) => p.provider_key)).toEqual(["failing"]);
    expectEnvelope(await call("/api/health/providers?provider_key=nope", { token: u.token }), 404, "not_found");
  });

  it("counts a provider that answers with no text as up (not an error)", async () => {
    const u = await signUp();
    const quiet = await addProvider(u, "quiet", { api_base: `${SIM}/v1`, is_local: true });
    await call(`/api/v2/providers/${quiet.id}/models`, { token: u.token, body: { model_id: "sim-ttft10-len0" } });
    const r = await call("/api/health/providers?provider_key=quiet", { token: u.token });
    expect(r.json.providers[0]).toMatchObject({ status: "ok", empty_reply: true, error: null });
  });

  it("keeps at most 4 probes in flight (the simulator's send log shows the overlap)", async () => {
    const u = await signUp();
    const tag = `tagH${crypto.randomUUID().slice(0, 8)}`;
    // Remove the seeded providers so only the slow ones are probed.
    const cfg = await call("/api/v2/providers", { token: u.token });
    for (const p of cfg.json.providers) await call(`/api/v2/providers/${p.id}`, { method: "DELETE", token: u.token });
    for (let i = 0; i < 7; i++) {
      const p = await addProvider(u, `slow${i}`, { api_base: `${SIM}/v1`, is_local: true });
      await call(`/api/v2/providers/${p.id}/models`, { token: u.token, body: { model_id: `sim-ttft300-len1-${tag}${i}` } });
    }
    const r = await call("/api/health/providers", { token: u.token });
    expect(r.json.providers.map((p: any) => p.status)).toEqual(Array(7).fill("ok"));
    const log = (await (await fetch(`${SIM}/__sim/log?limit=500`)).json()) as { records: any[] };
    const mine = log.records.filter((rec) => String(rec.model).includes(tag));
    expect(mine).toHaveLength(7);
    let maxOverlap = 0;
    for (const a of mine) {
      const overlap = mine.filter((b) => b.received_at <= a.received_at && b.ended_at > a.received_at).length;
      maxOverlap = Math.max(maxOverlap, overlap);
    }
    expect(maxOverlap).toBeGreaterThanOrEqual(2); // they do run concurrently
    expect(maxOverlap).toBeLessThanOrEqual(4);
  });
});
