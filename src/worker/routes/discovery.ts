/**
 * Model discovery and local backend detection (spec/original-inventory.md §5.10, §13.5), at the original's paths:
 *   GET /api/models/discover?provider_key=   the models the provider's own API lists, merged with the catalogue
 *   GET /api/lm-studio/detect?provider_key=  which local server answers (LM Studio, Ollama, llama.cpp, vLLM)
 * Both reach the provider with the key the LLM calls would use and refuse private addresses unless the deployment
 * allows them (discovery/access.ts). Adding what was found goes through the providers routes' model creation.
 */
import { z } from "@hono/zod-openapi";
import { listModels, providerByKey } from "../config/providers.ts";
import { providerAccess } from "../discovery/access.ts";
import { detectBackend, LOCAL_BACKENDS } from "../discovery/detect-backend.ts";
import { ProviderFetchError } from "../discovery/http.ts";
import { discoveryApiFor, listProviderModels } from "../discovery/list-models.ts";
import { mergeDiscovered } from "../discovery/merge.ts";
import { ApiError, type ErrorDetail } from "../lib/errors.ts";
import { ErrorSchema, errors, jsonResponse, newRouter, route } from "../lib/http.ts";

const ProviderKeyQuery = z.object({
  provider_key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "A provider key: letters, digits, _ and - (max 64)" })
    .openapi({ param: { name: "provider_key", in: "query" }, example: "openai" }),
});

const DiscoveredModelSchema = z
  .object({
    id: z.string(),
    display_name: z.string(),
    context_window: z.number().int().nullable(),
    max_output_tokens: z.number().int().nullable(),
    input_cost_per_mtok: z.number().nullable(),
    output_cost_per_mtok: z.number().nullable(),
    price_source: z.enum(["provider", "built_in"]).nullable(),
    owned_by: z.string().nullable(),
    in_catalogue: z.boolean(),
    already_added: z.boolean(),
  })
  .openapi("DiscoveredModel");

const Discovery = z
  .object({
    provider_id: z.string(),
    provider_key: z.string(),
    api: z.enum(["openai", "anthropic", "gemini"]),
    models: z.array(DiscoveredModelSchema),
  })
  .openapi("ModelDiscovery");

const DetectionSchema = z
  .object({
    provider_key: z.string(),
    available: z.boolean(),
    backend: z.enum(LOCAL_BACKENDS),
    version: z.string().nullable(),
    models: z.array(
      z.object({
        id: z.string(),
        compatibility_type: z.string().nullable(),
        state: z.string().nullable(),
        context_window: z.number().int().nullable(),
      }),
    ),
    backend_type: z.enum(["gguf", "mlx", "mixed", "unknown"]),
    mlx_unsupported_params: z.array(z.string()),
    probes: z.array(z.object({ endpoint: z.string(), ok: z.boolean(), error: z.string().nullable() })),
  })
  .openapi("BackendDetection");

const upstream = {
  502: jsonResponse(ErrorSchema, "The provider answered with an error, or could not be reached"),
  504: jsonResponse(ErrorSchema, "The provider did not answer in time"),
};

/** A failed call to the provider as the API's envelope: refused → 400, time-out → 504, anything else → 502. */
function upstreamError(err: ProviderFetchError): ApiError {
  const details: ErrorDetail[] = [{ path: "provider_key", message: err.message }];
  if (err.kind === "refused") return new ApiError(400, "private_address", err.message, [{ path: "api_base", message: err.message }]);
  if (err.kind === "timeout") return new ApiError(504, "upstream_timeout", err.message, details);
  return new ApiError(502, "upstream_error", `Listing models failed: ${err.message}`, details);
}

/** Mounted at /api/models. */
export const modelDiscoveryRoutes = newRouter();

modelDiscoveryRoutes.openapi(
  route({
    method: "get",
    path: "/discover",
    operationId: "discoverModels",
    auth: "user",
    tags: ["config"],
    summary: "List the models a provider's own API offers, with catalogue names, context windows and prices, and which are already added",
    request: { query: ProviderKeyQuery },
    responses: { 200: jsonResponse(Discovery, "The provider's models"), 400: errors[400], 404: errors[404], ...upstream },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const provider = await providerByKey(c.var.db, userId, c.req.valid("query").provider_key);
    const access = await providerAccess(c.env, c.var.db, userId, provider, { needKey: !provider.isLocal });
    const api = discoveryApiFor({ apiKind: provider.apiKind, baseUrl: access.baseUrl });
    const listed = await listProviderModels(c.env, { api, ...access }).catch((err: unknown) => {
      if (!(err instanceof ProviderFetchError)) throw err;
      c.var.log.warn("model discovery failed", { host: err.host, kind: err.kind, status: err.status });
      throw upstreamError(err);
    });
    const existing = await listModels(c.var.db, userId, provider.id);
    const discovered = mergeDiscovered(listed, {
      providerKey: provider.providerKey,
      source: provider.source,
      modelIdPrefix: provider.modelIdPrefix,
      existingIds: new Set(existing.map((m) => m.model_id)),
    });
    return c.json({ provider_id: provider.id, provider_key: provider.providerKey, api, models: discovered }, 200);
  },
);

/** Mounted at /api/lm-studio (the original's path; it now tells every common local server apart). */
export const backendDetectionRoutes = newRouter();

backendDetectionRoutes.openapi(
  route({
    method: "get",
    path: "/detect",
    operationId: "detectLocalBackend",
    auth: "user",
    tags: ["config"],
    summary: "Which local server answers at a provider's base URL (LM Studio, Ollama, llama.cpp, vLLM) and the models it serves",
    request: { query: ProviderKeyQuery },
    responses: { 200: jsonResponse(DetectionSchema, "What answered (available: false when nothing did)"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const provider = await providerByKey(c.var.db, userId, c.req.valid("query").provider_key);
    const access = await providerAccess(c.env, c.var.db, userId, provider, { needKey: false });
    const { refused, ...found } = await detectBackend(c.env, access.baseUrl, { apiKey: access.apiKey, trusted: access.trusted });
    // A probe redirected into a private network: that is the answer, not "nothing there".
    if (refused && !found.available) throw new ApiError(400, "private_address", refused, [{ path: "api_base", message: refused }]);
    return c.json({ provider_key: provider.providerKey, ...found }, 200);
  },
);
