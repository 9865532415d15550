/**
 * GET /api/health/providers: one tiny streamed completion per configured provider (its first model), all in
 * parallel, 10 s each. Providers without a usable key are reported as skipped without any network call.
 */
import { z } from "@hono/zod-openapi";
import { listModels, listProviders } from "../config/providers.ts";
import { errors, jsonResponse, newRouter, route } from "../lib/http.ts";
import { callParams } from "../llm/call-params.ts";
import { LlmError } from "../llm/errors.ts";
import { streamChat } from "../llm/stream.ts";
import { llmTargetFor, resolveTargets } from "../llm/targets.ts";

const HEALTH_TIMEOUT_MS = 10_000;

const ProviderHealth = z.object({
  name: z.string(),
  provider_key: z.string(),
  model_id: z.string().nullable(),
  status: z.enum(["ok", "error", "skipped"]),
  latency_ms: z.number().nullable(),
  ttft_ms: z.number().nullable(),
  error: z.string().nullable(),
  error_class: z.string().nullable(),
});

export const healthRoutes = newRouter();

healthRoutes.openapi(
  route({
    method: "get",
    path: "/providers",
    operationId: "probeProviders",
    auth: "user",
    tags: ["benchmark"],
    summary: "Probe every configured provider with one tiny streamed completion",
    responses: { 200: jsonResponse(z.object({ providers: z.array(ProviderHealth) }), "One probe per provider"), 401: errors[401] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const [providers, models] = await Promise.all([listProviders(c.env, c.var.db, userId), listModels(c.var.db, userId)]);
    const results = await Promise.all(
      providers.map(async (p) => {
        const base = { name: p.display_name, provider_key: p.provider_key };
        const model = models.find((m) => m.provider_id === p.id);
        if (!model)
          return {
            ...base,
            model_id: null,
            status: "skipped" as const,
            latency_ms: null,
            ttft_ms: null,
            error: "No models configured",
            error_class: null,
          };
        const { found } = await resolveTargets(c.var.db, userId, [{ provider_key: p.provider_key, model_id: model.model_id }]);
        try {
          const target = await llmTargetFor(c.env, c.var.db, userId, found[0]!);
          const params = callParams(found[0]!, { temperature: null, maxTokens: 1 }).params;
          const res = await streamChat(target, { system: null, prompt: "ping", params }, { timeoutMs: HEALTH_TIMEOUT_MS });
          const o = res.observation;
          return {
            ...base,
            model_id: model.model_id,
            status: "ok" as const,
            latency_ms: Math.round(o.endAt - o.t0),
            ttft_ms: o.firstOutputAt === null ? null : Math.round(o.firstOutputAt - o.t0),
            error: null,
            error_class: null,
          };
        } catch (err) {
          const e = err instanceof LlmError ? err : new LlmError("unknown", "Probe failed");
          const skipped = e.cls === "auth" && e.message.startsWith("No API key");
          return {
            ...base,
            model_id: model.model_id,
            status: skipped ? ("skipped" as const) : ("error" as const),
            latency_ms: null,
            ttft_ms: null,
            error: e.message,
            error_class: e.cls,
          };
        }
      }),
    );
    return c.json({ providers: results }, 200);
  },
);
