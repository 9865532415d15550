/**
 * GET /api/health/providers[?provider_key=]: one tiny completion per configured provider (its first model), as the
 * original did (§7.7: non-streaming "Hi", 5 tokens, 10 s): a few providers at a time, each with its own time-out,
 * reporting latency or a classified failure with a hint (src/shared/call-errors.ts). A provider that answers with
 * no text (a reasoning model that spends its 5 tokens thinking, a server that sends an empty message) is up: the
 * call succeeded. Providers without a usable key, or without models, are skipped without any network call.
 */
import { z } from "@hono/zod-openapi";
import { failureHint, hostOf } from "../../shared/call-errors.ts";
import { providerBaseUrl } from "../config/operator-keys.ts";
import { listModels, listProviders, type ModelView, type ProviderView } from "../config/providers.ts";
import type { Db } from "../db/client.ts";
import { notFound } from "../lib/errors.ts";
import { errors, jsonResponse, newRouter, route } from "../lib/http.ts";
import { callParams } from "../llm/call-params.ts";
import { complete } from "../llm/complete.ts";
import { LlmError } from "../llm/errors.ts";
import { llmTargetFor, resolveTargets } from "../llm/targets.ts";

export const HEALTH_TIMEOUT_MS = 10_000;
/** Probes in flight at once: enough to finish a dozen providers in a few seconds, few enough not to burst. */
export const HEALTH_CONCURRENCY = 4;
const HEALTH_PROMPT = "Hi";
const HEALTH_MAX_TOKENS = 5;

const ProviderHealth = z
  .object({
    name: z.string(),
    provider_id: z.string(),
    provider_key: z.string(),
    model_id: z.string().nullable(),
    status: z.enum(["ok", "error", "skipped"]),
    latency_ms: z.number().nullable(),
    error: z.string().nullable(),
    error_class: z.string().nullable(),
    /** What to check, for a failure (names the provider and host, never a key). */
    hint: z.string().nullable(),
    host: z.string().nullable(),
    /** The provider answered, but with no text: still up. */
    empty_reply: z.boolean(),
    checked_at: z.string(),
  })
  .openapi("ProviderHealth");

const HealthQuery = z.object({
  provider_key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "A provider key: letters, digits, _ and - (max 64)" })
    .optional()
    .openapi({ param: { name: "provider_key", in: "query" }, description: "Check only this provider" }),
});

type Health = z.infer<typeof ProviderHealth>;

export const healthRoutes = newRouter();

healthRoutes.openapi(
  route({
    method: "get",
    path: "/providers",
    operationId: "probeProviders",
    auth: "user",
    tags: ["benchmark"],
    summary: "Probe every configured provider (or one) with one tiny completion: latency, or a classified error",
    request: { query: HealthQuery },
    responses: {
      200: jsonResponse(z.object({ providers: z.array(ProviderHealth) }), "One probe per provider"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const only = c.req.valid("query").provider_key;
    const [all, models] = await Promise.all([listProviders(c.env, c.var.db, userId), listModels(c.var.db, userId)]);
    const providers = only === undefined ? all : all.filter((p) => p.provider_key === only);
    if (only !== undefined && providers.length === 0) throw notFound("Provider");
    const probe = async (p: ProviderView): Promise<Health> => {
      const model = models.find((m) => m.provider_id === p.id) ?? null;
      return probeProvider(c.env, c.var.db, userId, p, model);
    };
    return c.json({ providers: await mapBounded(providers, HEALTH_CONCURRENCY, probe) }, 200);
  },
);

async function probeProvider(env: Env, db: Db, userId: string, p: ProviderView, model: ModelView | null): Promise<Health> {
  const host = hostOf(providerBaseUrl(env, { providerKey: p.provider_key, apiKind: p.api_kind, apiBase: p.api_base, source: p.source }));
  const base = {
    name: p.display_name,
    provider_id: p.id,
    provider_key: p.provider_key,
    model_id: model?.model_id ?? null,
    host,
    empty_reply: false,
    latency_ms: null,
  };
  const failed = (status: "error" | "skipped", e: LlmError): Health => ({
    ...base,
    status,
    error: e.message,
    error_class: e.cls,
    hint: status === "error" ? failureHint(e.cls, { provider: p.display_name, host: e.host ?? host }) : null,
    checked_at: new Date().toISOString(),
  });
  if (!model) return failed("skipped", new LlmError("not_found", "No models configured"));
  try {
    const { found } = await resolveTargets(db, userId, [{ provider_key: p.provider_key, model_id: model.model_id }]);
    const target = await llmTargetFor(env, db, userId, found[0]!);
    const params = callParams(found[0]!, { temperature: null, maxTokens: HEALTH_MAX_TOKENS }).params;
    const res = await complete(target, { system: null, user: HEALTH_PROMPT, params, timeoutMs: HEALTH_TIMEOUT_MS });
    return {
      ...base,
      status: "ok",
      latency_ms: Math.round(res.latencyMs),
      error: null,
      error_class: null,
      hint: null,
      empty_reply: res.text.trim() === "",
      checked_at: new Date().toISOString(),
    };
  } catch (err) {
    const e = err instanceof LlmError ? err : new LlmError("unknown", "Probe failed");
    // No key means nothing was tried: not an outage.
    return failed(e.cls === "auth" && e.message.startsWith("No API key") ? "skipped" : "error", e);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
