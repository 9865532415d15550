import { describe, expect, it } from "vitest";
import {
  type Adjustment,
  ANTHROPIC_THINKING_BUDGET,
  anthropicThinkingBudget,
  bareModelName,
  buildCallParams,
  identifyProvider,
  isOSeries,
  PROVIDER_PARAM_REGISTRY,
  TIER2_PARAMS,
  validateParams,
} from "../../src/shared/provider-params.ts";

const find = (adjustments: Adjustment[], param: string, action?: Adjustment["action"]) =>
  adjustments.filter((a) => a.param === param && (action === undefined || a.action === action));

describe("provider identification (§12.3)", () => {
  it("uses the provider key when it names a registry entry, even against a conflicting prefix", () => {
    for (const key of ["openai", "anthropic", "mistral", "deepseek", "xai", "cohere", "ollama", "lm_studio", "vllm"])
      expect(identifyProvider(key, "some-model")).toBe(key);
    expect(identifyProvider("ollama", "anthropic/claude-sonnet-4")).toBe("ollama");
  });

  it("maps our google_gemini key to the gemini entry", () => {
    expect(identifyProvider("google_gemini", "gemini-2.5-flash")).toBe("gemini");
  });

  it("falls back to every model-id prefix", () => {
    const cases: Array<[string, string]> = [
      ["anthropic/claude-sonnet-4", "anthropic"],
      ["gemini/gemini-2.5-pro", "gemini"],
      ["vertex_ai/gemini-2.5-pro", "gemini"],
      ["ollama/llama3", "ollama"],
      ["ollama_chat/llama3", "ollama"],
      ["lm_studio/qwen3-8b", "lm_studio"],
      ["mistral/mistral-large", "mistral"],
      ["deepseek/deepseek-chat", "deepseek"],
      ["cohere/command-r", "cohere"],
      ["cohere_chat/command-r-plus", "cohere"],
      ["xai/grok-4", "xai"],
      ["vllm/meta-llama/Llama-3-8B", "vllm"],
      ["openai/gpt-4o", "openai"],
      ["Anthropic/Claude-Opus-4", "anthropic"], // case-insensitive
    ];
    for (const [modelId, expected] of cases) {
      expect(identifyProvider("openrouter", modelId)).toBe(expected);
      expect(identifyProvider(null, modelId)).toBe(expected);
    }
  });

  it("resolves our other providers to the _unknown fallback", () => {
    for (const key of ["groq", "openrouter", "together", "fireworks", "local_simulator"])
      expect(identifyProvider(key, "llama-3.3-70b")).toBe("_unknown");
    expect(identifyProvider(undefined, "mystery-model")).toBe("_unknown");
    expect(identifyProvider("", "zai/glm-4.6")).toBe("_unknown");
    expect(identifyProvider("constructor", "x")).toBe("_unknown"); // no prototype leaks
  });

  it("detects o-series on the bare model name", () => {
    for (const id of ["o1", "o1-mini", "o3", "o3-mini", "o4-mini", "openai/o3-pro", "O1-preview"]) expect(isOSeries(id)).toBe(true);
    for (const id of ["o2", "o2-mini", "gpt-4o", "gpt-4o-mini", "gpt-5", "openai/gpt-4o", "llama-o1"]) expect(isOSeries(id)).toBe(false);
    expect(bareModelName("openai/O3-Mini")).toBe("o3-mini");
  });
});

describe("temperature (§12.4 step 1)", () => {
  const temp = (provider: string, model: string, t: unknown) => validateParams(provider, model, { temperature: t });

  it("clamps to each provider's range", () => {
    const a = temp("anthropic", "claude-sonnet-4", 1.5);
    expect(a.resolved_params.temperature).toBe(1);
    expect(a.adjustments).toEqual([
      { param: "temperature", original: 1.5, adjusted: 1, action: "clamp", reason: "Anthropic temperature range is 0-1" },
    ]);
    expect(a.valid).toBe(false);

    expect(temp("cohere", "command-r", 1.2).resolved_params.temperature).toBe(1);
    expect(temp("cohere", "command-r", 0.9).resolved_params.temperature).toBe(0.9);
    expect(temp("mistral", "mistral-large", 1.8).resolved_params.temperature).toBe(1.5);
    expect(temp("mistral", "mistral-large", 1.4).resolved_params.temperature).toBe(1.4);
    expect(temp("openai", "gpt-4o", 2.5).resolved_params.temperature).toBe(2);
    expect(temp("groq", "llama-3.3-70b", -1).resolved_params.temperature).toBe(0);
    expect(temp("ollama", "llama3", 1.9).resolved_params.temperature).toBe(1.9);
  });

  it("leaves in-range values alone with no adjustment", () => {
    const r = temp("openai", "gpt-4o", 0.7);
    expect(r.adjustments).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.resolved_params).toEqual({ temperature: 0.7 });
  });

  it("locks GPT-5 and o-series temperature to 1.0 on OpenAI only", () => {
    for (const [model, reason] of [
      ["gpt-5", "GPT-5 locks temperature to 1.0"],
      ["gpt-5-mini", "GPT-5 locks temperature to 1.0"],
      ["o1", "O-series models lock temperature to 1.0"],
      ["o3-mini", "O-series models lock temperature to 1.0"],
      ["o4-mini", "O-series models lock temperature to 1.0"],
    ] as const) {
      const r = temp("openai", model, 0.2);
      expect(r.resolved_params.temperature).toBe(1);
      expect(find(r.adjustments, "temperature", "clamp")).toEqual([{ param: "temperature", original: 0.2, adjusted: 1, action: "clamp", reason }]);
      expect(r.valid).toBe(false);
    }
    expect(temp("openai", "gpt-5", 1).adjustments).toEqual([]); // already 1.0
    expect(temp("openai", "openai/o3", 1.5).resolved_params.temperature).toBe(1);
    expect(temp("openrouter", "openai/gpt-5", 0).resolved_params.temperature).toBe(1); // prefix → openai
    // Not OpenAI: no lock.
    expect(temp("groq", "gpt-5-oss", 0.3).resolved_params.temperature).toBe(0.3);
    expect(temp("ollama", "o3-clone", 0.3).resolved_params.temperature).toBe(0.3);
  });

  it("raises gemini-3 temperatures below 1.0 to 1.0 but not other Gemini models", () => {
    const r = temp("google_gemini", "gemini-3-pro-preview", 0.4);
    expect(r.provider).toBe("gemini");
    expect(r.resolved_params.temperature).toBe(1);
    expect(r.adjustments[0]).toMatchObject({ action: "clamp", reason: "Gemini 3 models degrade below temperature 1.0" });
    expect(temp("google_gemini", "gemini-3-pro-preview", 0.9).resolved_params.temperature).toBe(1);
    expect(temp("gemini", "gemini/gemini-3-flash", 0).resolved_params.temperature).toBe(1);
    expect(temp("google_gemini", "gemini-3-pro-preview", 1).adjustments).toEqual([]);
    expect(temp("google_gemini", "gemini-3-pro-preview", 1.5).adjustments).toEqual([]);
    expect(temp("google_gemini", "gemini-3-pro-preview", 2.4).resolved_params.temperature).toBe(2);
    expect(temp("google_gemini", "gemini-2.5-flash", 0.4).resolved_params.temperature).toBe(0.4);
  });

  it("turns a numeric string into a number and keeps a non-number with a warning", () => {
    expect(temp("openai", "gpt-4o", "0.5").resolved_params.temperature).toBe(0.5);
    const r = temp("openai", "gpt-4o", "hot");
    expect(r.resolved_params.temperature).toBe("hot");
    expect(find(r.adjustments, "temperature", "warn")).toHaveLength(1);
    expect(r.valid).toBe(true);
  });
});

describe("conflicts (§12.4 step 2)", () => {
  it("Anthropic: temperature + top_p drops top_p; alone, top_p is kept", () => {
    const r = validateParams("anthropic", "claude-sonnet-4", { temperature: 0.5, top_p: 0.9 });
    expect(r.resolved_params).toEqual({ temperature: 0.5 });
    expect(find(r.adjustments, "top_p")).toEqual([
      {
        param: "top_p",
        original: 0.9,
        adjusted: null,
        action: "drop",
        reason: "Anthropic cannot use both temperature and top_p. Dropping top_p.",
      },
    ]);
    expect(r.valid).toBe(false);
    expect(validateParams("anthropic", "claude-sonnet-4", { top_p: 0.9 }).resolved_params).toEqual({ top_p: 0.9 });
    // A null temperature does not count as set.
    expect(validateParams("anthropic", "claude-sonnet-4", { temperature: null, top_p: 0.9 }).resolved_params).toEqual({
      top_p: 0.9,
    });
  });

  it("Anthropic: penalties and seed are warned about but kept", () => {
    const r = validateParams("anthropic", "claude-sonnet-4", { frequency_penalty: 0.5, presence_penalty: 0.2, seed: 7 });
    expect(r.resolved_params).toEqual({ frequency_penalty: 0.5, presence_penalty: 0.2, seed: 7 });
    for (const p of ["frequency_penalty", "presence_penalty", "seed"]) expect(find(r.adjustments, p, "warn")).toHaveLength(1);
    expect(r.adjustments).toHaveLength(3); // no duplicate generic warning
    expect(r.valid).toBe(true);
    expect(r.has_warnings).toBe(true);
    expect(r.warnings).toContain("max_tokens is required for Anthropic and will always be included");
  });

  it("Anthropic: thinking plus a changed temperature or top_k warns", () => {
    const r = validateParams("anthropic", "claude-sonnet-4", { reasoning_effort: "high", temperature: 0.3, top_k: 5 });
    expect(find(r.adjustments, "temperature", "warn")).toHaveLength(1);
    expect(find(r.adjustments, "top_k", "warn")).toHaveLength(1);
    expect(r.resolved_params).toEqual({ reasoning_effort: "high", temperature: 0.3, top_k: 5 });
    const off = validateParams("anthropic", "claude-sonnet-4", { reasoning_effort: "none", temperature: 0.3 });
    expect(off.adjustments).toEqual([]);
  });

  it("OpenAI: o-series renames max_tokens to max_completion_tokens; other models keep max_tokens", () => {
    const r = validateParams("openai", "o3-mini", { max_tokens: 2000 });
    expect(r.resolved_params).toEqual({ max_completion_tokens: 2000 });
    expect(r.adjustments).toEqual([
      {
        param: "max_tokens",
        original: 2000,
        adjusted: 2000,
        action: "rename",
        reason: "O-series uses max_completion_tokens instead of max_tokens",
      },
    ]);
    expect(r.valid).toBe(true); // a rename does not invalidate
    expect(validateParams("openai", "gpt-4o", { max_tokens: 2000 }).resolved_params).toEqual({ max_tokens: 2000 });
    expect(validateParams("openai", "gpt-5", { max_tokens: 2000 }).resolved_params).toEqual({
      max_completion_tokens: 2000,
    });
    expect(validateParams("groq", "o3-lookalike", { max_tokens: 2000 }).resolved_params).toEqual({ max_tokens: 2000 });
  });

  it("OpenAI: top_k is warned about but kept; o-series stop and > 4 stop sequences warn", () => {
    const r = validateParams("openai", "gpt-4o", { top_k: 40 });
    expect(r.resolved_params).toEqual({ top_k: 40 });
    expect(r.adjustments).toEqual([
      { param: "top_k", original: 40, adjusted: 40, action: "warn", reason: "OpenAI may not support top_k -- passing through" },
    ]);
    expect(r.valid).toBe(true);
    expect(find(validateParams("openai", "o1", { stop: ["x"] }).adjustments, "stop", "warn")).toHaveLength(1);
    expect(validateParams("openai", "gpt-4o", { stop: ["a", "b"] }).adjustments).toEqual([]);
    expect(find(validateParams("openai", "gpt-4o", { stop: ["a", "b", "c", "d", "e"] }).adjustments, "stop", "warn")).toHaveLength(1);
  });

  it("DeepSeek: R1 in thinking mode warns on sampling params; top_k and seed warn", () => {
    const params = { reasoning_effort: "enabled", temperature: 0.5, top_p: 0.8, frequency_penalty: 0.1, presence_penalty: 0.1 };
    const r = validateParams("deepseek", "deepseek-r1", params);
    for (const p of ["temperature", "top_p", "frequency_penalty", "presence_penalty"]) expect(find(r.adjustments, p, "warn")).toHaveLength(1);
    expect(r.resolved_params).toEqual(params);
    expect(validateParams("deepseek", "deepseek-r1", { ...params, reasoning_effort: "none" }).adjustments).toEqual([]);
    expect(validateParams("deepseek", "deepseek-chat", params).adjustments).toEqual([]);
    const u = validateParams("deepseek", "deepseek-chat", { top_k: 5, seed: 1 });
    expect(u.adjustments.map((a) => [a.param, a.action])).toEqual([
      ["top_k", "warn"],
      ["seed", "warn"],
    ]);
    expect(u.resolved_params).toEqual({ top_k: 5, seed: 1 });
  });

  it("xAI: active reasoning warns on penalties and stop; top_k warns", () => {
    const r = validateParams("xai", "grok-4", { reasoning_effort: "low", frequency_penalty: 0.5, stop: ["\n"], top_k: 3 });
    expect(r.adjustments.map((a) => [a.param, a.action])).toEqual([
      ["frequency_penalty", "warn"],
      ["stop", "warn"],
      ["top_k", "warn"],
    ]);
    expect(r.resolved_params).toEqual({ reasoning_effort: "low", frequency_penalty: 0.5, stop: ["\n"], top_k: 3 });
    expect(validateParams("xai", "grok-4", { frequency_penalty: 0.5, stop: ["\n"] }).adjustments).toEqual([]);
  });

  it("Cohere: penalties clamp to 0-1 and top_p to at most 0.99", () => {
    const r = validateParams("cohere", "command-r", { frequency_penalty: -1, presence_penalty: 1.5, top_p: 1 });
    expect(r.resolved_params).toEqual({ frequency_penalty: 0, presence_penalty: 1, top_p: 0.99 });
    expect(r.adjustments).toEqual([
      { param: "frequency_penalty", original: -1, adjusted: 0, action: "clamp", reason: "Cohere frequency_penalty range is 0-1 only" },
      { param: "presence_penalty", original: 1.5, adjusted: 1, action: "clamp", reason: "Cohere presence_penalty range is 0-1 only" },
      { param: "top_p", original: 1, adjusted: 0.99, action: "clamp", reason: "Cohere top_p maximum is 0.99" },
    ]);
    expect(r.valid).toBe(false);
    expect(validateParams("cohere", "command-r", { frequency_penalty: 0.5, top_p: 0.9 }).valid).toBe(true);
  });

  it("Mistral: top_k warns (partial support) and is kept", () => {
    const r = validateParams("mistral", "mistral-large", { top_k: 10 });
    expect(r.adjustments).toEqual([{ param: "top_k", original: 10, adjusted: 10, action: "warn", reason: "Mistral has limited top_k support" }]);
    expect(r.resolved_params).toEqual({ top_k: 10 });
  });

  it("generic: unsupported tier-2 params are kept with a warn", () => {
    const r = validateParams("ollama", "llama3", { reasoning_effort: "high" });
    expect(r.resolved_params).toEqual({ reasoning_effort: "high" });
    expect(r.adjustments).toEqual([
      {
        param: "reasoning_effort",
        original: "high",
        adjusted: "high",
        action: "warn",
        reason: "Ollama / Local may not support reasoning_effort -- passing through",
      },
    ]);
    expect(r.valid).toBe(true);
    expect(r.has_warnings).toBe(true);
    const m = validateParams("mistral", "magistral-medium", { reasoning_effort: "low" });
    expect(m.adjustments[0]).toMatchObject({ action: "warn", reason: expect.stringContaining("Magistral") });
  });

  it("generic: numeric tier-2 params clamp to their range, but not when support is unknown", () => {
    const r = validateParams("gemini", "gemini-2.5-pro", { top_k: 250, top_p: 1.4, presence_penalty: -3 });
    expect(r.resolved_params).toEqual({ top_k: 100, top_p: 1, presence_penalty: -2 });
    expect(r.adjustments.map((a) => [a.param, a.action, a.adjusted])).toEqual([
      ["top_p", "clamp", 1],
      ["top_k", "clamp", 100],
      ["presence_penalty", "clamp", -2],
    ]);
    expect(validateParams("anthropic", "claude", { top_k: 0 }).resolved_params).toEqual({ top_k: 1 });
    // _unknown: penalties are "unknown" → no clamp; top_p is supported → clamp.
    const u = validateParams("groq", "llama", { frequency_penalty: 5, top_p: 3 });
    expect(u.resolved_params).toEqual({ frequency_penalty: 5, top_p: 1 });
    expect(u.warnings[0]).toMatch(/^Unknown provider -- using OpenAI-compatible defaults/);
  });
});

describe("validation result", () => {
  it("reports every tier-3 key as passthrough without changing it", () => {
    const r = validateParams("ollama", "llama3", { temperature: 0.5, min_p: 0.05, num_ctx: 8192 });
    expect(r.resolved_params).toEqual({ temperature: 0.5, min_p: 0.05, num_ctx: 8192 });
    expect(r.adjustments).toEqual([
      {
        param: "min_p",
        original: 0.05,
        adjusted: 0.05,
        action: "passthrough",
        reason: "Custom param 'min_p' passed through without validation (Tier 3)",
      },
      {
        param: "num_ctx",
        original: 8192,
        adjusted: 8192,
        action: "passthrough",
        reason: "Custom param 'num_ctx' passed through without validation (Tier 3)",
      },
    ]);
    expect(r.valid).toBe(true);
    expect(r.has_warnings).toBe(false);
  });

  it("flattens a nested passthrough object", () => {
    const r = validateParams("vllm", "qwen", { top_p: 0.9, passthrough: { repetition_penalty: 1.1, ignore_eos: null } });
    expect(r.resolved_params).toEqual({ top_p: 0.9, repetition_penalty: 1.1 });
    expect(find(r.adjustments, "repetition_penalty", "passthrough")).toHaveLength(1);
  });

  it("removes null and undefined values", () => {
    const r = validateParams("openai", "gpt-4o", { temperature: 0.3, top_p: null, seed: undefined, service_tier: null });
    expect(r.resolved_params).toEqual({ temperature: 0.3 });
    expect(r.adjustments).toEqual([]);
  });

  it("is invalid exactly when a clamp or drop happened", () => {
    expect(validateParams("openai", "o3", { max_tokens: 10 }).valid).toBe(true); // rename
    expect(validateParams("openai", "gpt-4o", { top_k: 1 }).valid).toBe(true); // warn
    expect(validateParams("openai", "gpt-4o", { logprobs: true }).valid).toBe(true); // passthrough
    expect(validateParams("openai", "gpt-4o", { top_p: 2 }).valid).toBe(false); // clamp
    expect(validateParams("anthropic", "claude", { temperature: 1, top_p: 1 }).valid).toBe(false); // drop
  });

  it("reports the registry key it validated against", () => {
    expect(validateParams("google_gemini", "gemini-2.5-pro", {}).provider).toBe("gemini");
    expect(validateParams("together", "meta-llama/Llama-3", {}).provider).toBe("_unknown");
  });
});

describe("buildCallParams (§12.5)", () => {
  it("returns nothing when nothing is given", () => {
    expect(buildCallParams({ providerKey: "anthropic", modelId: "claude" })).toEqual({ params: {}, adjustments: [], warnings: [] });
  });

  it("combines temperature/max_tokens with tier-2 params (provider_params win, nulls ignored)", () => {
    const r = buildCallParams({
      providerKey: "openai",
      modelId: "gpt-4o",
      temperature: 0.7,
      maxTokens: 512,
      providerParams: { temperature: 0.2, top_p: 0.9, seed: null, max_tokens: null },
    });
    expect(r.params).toEqual({ temperature: 0.2, max_tokens: 512, top_p: 0.9 });
    expect(r.adjustments).toEqual([]);
  });

  it("merges passthrough entries and reports them", () => {
    const r = buildCallParams({
      providerKey: "ollama",
      modelId: "llama3",
      temperature: 0.5,
      maxTokens: 256,
      providerParams: { top_k: 20, passthrough: { mirostat: 2, keep_alive: "5m", num_ctx: null } },
    });
    expect(r.params).toEqual({ temperature: 0.5, max_tokens: 256, top_k: 20, mirostat: 2, keep_alive: "5m" });
    expect(r.adjustments.filter((a) => a.action === "passthrough").map((a) => a.param)).toEqual(["mirostat", "keep_alive"]);
  });

  it("validates tier-1/2 names even when they arrive through passthrough", () => {
    const r = buildCallParams({ providerKey: "anthropic", modelId: "claude", maxTokens: 100, providerParams: { passthrough: { temperature: 3 } } });
    expect(r.params).toEqual({ max_tokens: 100, temperature: 1 });
    expect(find(r.adjustments, "temperature", "clamp")).toHaveLength(1);
  });

  it("ignores a passthrough that is not an object, with a warning", () => {
    const r = buildCallParams({ providerKey: "openai", modelId: "gpt-4o", temperature: 0.1, providerParams: { passthrough: "x" } });
    expect(r.params).toEqual({ temperature: 0.1 });
    expect(r.warnings).toContain("provider_params.passthrough must be an object; it was ignored");
  });

  it("removes skip_params from tier-1/2 and passthrough keys, before they can cause conflicts", () => {
    const r = buildCallParams({
      providerKey: "anthropic",
      modelId: "claude-opus-4",
      temperature: 0.5,
      maxTokens: 1000,
      providerParams: { top_p: 0.9, top_k: 20, passthrough: { cache_control: { type: "ephemeral" }, inference_geo: "eu" } },
      skipParams: ["temperature", "top_k", "inference_geo"],
    });
    // temperature skipped → no temperature/top_p conflict → top_p survives.
    expect(r.params).toEqual({ max_tokens: 1000, top_p: 0.9, cache_control: { type: "ephemeral" } });
    expect(r.adjustments.map((a) => [a.param, a.action])).toEqual([["cache_control", "passthrough"]]);
  });

  it("skipping max_tokens also removes the o-series max_completion_tokens", () => {
    const r = buildCallParams({ providerKey: "openai", modelId: "o4-mini", temperature: 0.3, maxTokens: 500, skipParams: ["max_tokens"] });
    expect(r.params).toEqual({ temperature: 1 });
    // Skipping the renamed key itself removes it after validation.
    const c = buildCallParams({ providerKey: "openai", modelId: "o3", maxTokens: 500, skipParams: ["max_completion_tokens"] });
    expect(c.params).toEqual({});
  });

  it("applies the o-series rename and temperature lock", () => {
    const r = buildCallParams({ providerKey: "openai", modelId: "o3", temperature: 0.0, maxTokens: 800 });
    expect(r.params).toEqual({ temperature: 1, max_completion_tokens: 800 });
    expect(r.adjustments.map((a) => a.action)).toEqual(["clamp", "rename"]);
  });

  it("clamps Anthropic temperature and drops top_p", () => {
    const r = buildCallParams({ providerKey: "anthropic", modelId: "claude", temperature: 1.5, maxTokens: 64, providerParams: { top_p: 0.5 } });
    expect(r.params).toEqual({ temperature: 1, max_tokens: 64 });
    expect(r.warnings).toEqual(["max_tokens is required for Anthropic and will always be included"]);
  });

  it("warns about OpenAI top_k but still sends it", () => {
    const r = buildCallParams({ providerKey: "openai", modelId: "gpt-4o", providerParams: { top_k: 10 } });
    expect(r.params).toEqual({ top_k: 10 });
    expect(r.adjustments.map((a) => a.action)).toEqual(["warn"]);
  });
});

describe("registry", () => {
  const entries = Object.entries(PROVIDER_PARAM_REGISTRY);

  it("holds the 10 providers plus the _unknown fallback", () => {
    expect(Object.keys(PROVIDER_PARAM_REGISTRY).sort()).toEqual([
      "_unknown",
      "anthropic",
      "cohere",
      "deepseek",
      "gemini",
      "lm_studio",
      "mistral",
      "ollama",
      "openai",
      "vllm",
      "xai",
    ]);
    expect(PROVIDER_PARAM_REGISTRY._unknown?.display_name).toMatch(/OpenAI-compatible/);
  });

  it("gives every provider a display name, its key, temperature and max_tokens in tier 1, and all tier-2 params", () => {
    for (const [key, spec] of entries) {
      expect(spec.key).toBe(key);
      expect(spec.display_name.length).toBeGreaterThan(0);
      expect(spec.tier1.temperature?.type).toBe("float");
      expect(spec.tier1.max_tokens?.type).toBe("int");
      expect(Object.keys(spec.tier2).sort()).toEqual([...TIER2_PARAMS].sort());
    }
  });

  it("has min < max and every numeric default within its range", () => {
    for (const [key, spec] of entries) {
      for (const [name, p] of [...Object.entries(spec.tier1), ...Object.entries(spec.tier2)]) {
        const where = `${key}.${name}`;
        if (p.min !== undefined && p.max !== undefined) expect(p.min, where).toBeLessThan(p.max);
        if (typeof p.default === "number") {
          if (p.min !== undefined) expect(p.default, where).toBeGreaterThanOrEqual(p.min);
          if (p.max !== undefined) expect(p.default, where).toBeLessThanOrEqual(p.max);
        }
        if (p.type === "enum" && p.supported !== false && p.supported !== "unknown") expect(p.values?.length, where).toBeGreaterThan(0);
      }
      for (const ex of spec.tier3_examples) if (ex.min !== undefined && ex.max !== undefined) expect(ex.min).toBeLessThan(ex.max);
    }
  });

  it("matches the temperature ranges of the spec table", () => {
    const ranges = Object.fromEntries(
      entries.map(([k, s]) => [k, [s.tier1.temperature?.min, s.tier1.temperature?.max, s.tier1.temperature?.default]]),
    );
    expect(ranges).toEqual({
      openai: [0, 2, 1],
      anthropic: [0, 1, 1],
      gemini: [0, 2, 1],
      ollama: [0, 2, 0.8],
      lm_studio: [0, 2, 0.8],
      mistral: [0, 1.5, 0.7],
      deepseek: [0, 2, 1],
      cohere: [0, 1, 0.3],
      xai: [0, 2, 1],
      vllm: [0, 2, 1],
      _unknown: [0, 2, 1],
    });
    expect(PROVIDER_PARAM_REGISTRY.anthropic?.tier1.max_tokens?.required).toBe(true);
    expect(PROVIDER_PARAM_REGISTRY.openai?.tier1.stop?.maxItems).toBe(4);
    expect(PROVIDER_PARAM_REGISTRY.mistral?.tier2.top_k?.supported).toBe("partial");
    expect(PROVIDER_PARAM_REGISTRY.xai?.tier2.reasoning_effort?.supported).toBe("partial");
    expect(PROVIDER_PARAM_REGISTRY._unknown?.tier2.top_k?.supported).toBe("unknown");
    expect(PROVIDER_PARAM_REGISTRY.deepseek?.tier2.reasoning_effort?.values).toEqual(["none", "enabled"]);
  });

  it("exposes the Anthropic thinking budget", () => {
    expect(ANTHROPIC_THINKING_BUDGET).toEqual({ low: 2000, medium: 5000, high: 10000 });
    expect(anthropicThinkingBudget("medium")).toBe(5000);
    expect(anthropicThinkingBudget("none")).toBeNull();
    expect(anthropicThinkingBudget(undefined)).toBeNull();
  });
});
