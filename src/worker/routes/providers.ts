/**
 * /api/v2/providers and /api/v2/models: the user's providers and their models (rows with ids). Every look-up is
 * scoped to the signed-in user; another user's id is a 404. These are the original's id-based `/api/v2/...` paths
 * (its body-keyed `/api/config/provider` could not address rows).
 */
import { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { boundedNumber } from "../../shared/bounded-number.ts";
import { MODEL_LIMITS } from "../../shared/request-limits.ts";
import { catalogueKeyName, providerBaseUrl } from "../config/operator-keys.ts";
import {
  listModels,
  listProviders,
  ModelSchema,
  type ModelView,
  modelView,
  ownedModel,
  ownedProvider,
  type ProviderRow,
  ProviderSchema,
  providerView,
} from "../config/providers.ts";
import { isUniqueViolation } from "../db/client.ts";
import { models, providers } from "../db/schema.ts";
import { withPrefix } from "../discovery/merge.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, conflict } from "../lib/errors.ts";
import { type AppEnv, errors, HttpUrl, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow, newId } from "../lib/ids.ts";

/** Base URLs are stored without a trailing slash (the SDKs append paths). */
const BaseUrl = HttpUrl.transform((u) => u.replace(/\/+$/, ""));
const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, { error: "Use an UPPER_SNAKE_CASE variable name" });

/**
 * `api_key_env` is informational: operator keys are looked up by the catalogue's name only (see
 * config/operator-keys.ts). A client may echo that name back, but may not name any other binding.
 */
export function assertKeyEnvAllowed(providerKey: string, apiKeyEnv: string | null | undefined): void {
  if (apiKeyEnv === undefined || apiKeyEnv === null) return;
  const allowed = catalogueKeyName(providerKey);
  if (apiKeyEnv === allowed) return;
  throw new ApiError(400, "validation_failed", "Invalid api_key_env", [
    {
      path: "api_key_env",
      message: allowed
        ? `This provider's operator key can only be ${allowed}`
        : "Operator keys exist only for catalogue providers; store your own key under Settings → API keys",
    },
  ]);
}

export const ProviderCreate = z
  .object({
    provider_key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "Letters, digits, _ and - only (max 64)" }),
    display_name: z.string().trim().min(1).max(256),
    api_kind: z.enum(["openai", "anthropic"]).default("openai"),
    api_base: BaseUrl.nullable().optional(),
    api_key_env: EnvName.nullable().optional(),
    model_id_prefix: z.string().max(64).nullable().optional(),
    is_local: z.boolean().optional(),
  })
  .strict()
  .openapi("ProviderCreate");

const ProviderUpdate = ProviderCreate.omit({ provider_key: true }).partial().strict().openapi("ProviderUpdate");

export const ModelFields = {
  display_name: z.string().trim().min(1).max(256),
  context_window: boundedNumber(MODEL_LIMITS.context_window),
  max_output_tokens: boundedNumber(MODEL_LIMITS.max_output_tokens).nullable(),
  skip_params: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/)).max(32),
  input_cost_per_mtok: boundedNumber(MODEL_LIMITS.cost_per_mtok).nullable(),
  output_cost_per_mtok: boundedNumber(MODEL_LIMITS.cost_per_mtok).nullable(),
  system_prompt: z.string().max(50_000).nullable(),
};
export const ModelId = z.string().regex(/^[A-Za-z0-9._\-/:@]{1,256}$/, { error: "Invalid model id" });
const ModelCreate = z
  .object({ model_id: ModelId, ...ModelFields })
  .partial()
  .required({ model_id: true })
  .strict()
  .openapi("ModelCreate");
type ModelCreateBody = z.infer<typeof ModelCreate>;
const ModelUpdate = z
  .object({ model_id: ModelId, ...ModelFields })
  .partial()
  .strict()
  .openapi("ModelUpdate");

export const ProviderResponse = z.object({ provider: ProviderSchema });
const ModelResponse = z.object({ model: ModelSchema });

/** Mounted at /api/v2/providers (a provider's models are listed and added here). */
export const providerRoutes = newRouter();
/** Mounted at /api/v2/models. */
export const modelRoutes = newRouter();

// ---------------------------------------------------------------- providers

providerRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listProviders",
    auth: "user",
    tags: ["config"],
    summary: "The user's providers, in display order",
    responses: { 200: jsonResponse(z.object({ providers: z.array(ProviderSchema) }), "Providers"), 401: errors[401] },
  }),
  async (c) => c.json({ providers: await listProviders(c.env, c.var.db, c.var.user.id) }, 200),
);

providerRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "createProvider",
    auth: "user",
    tags: ["config"],
    summary: "Add a custom provider",
    request: jsonBody(ProviderCreate),
    responses: { 201: jsonResponse(ProviderResponse, "Created"), 400: errors[400], 409: errors[409] },
  }),
  async (c) => {
    const body = c.req.valid("json");
    assertKeyEnvAllowed(body.provider_key, body.api_key_env);
    const userId = c.var.user.id;
    const maxOrder = await c.var.db
      .select({ n: sql<number>`coalesce(max(${providers.sortOrder}), -1)` })
      .from(providers)
      .where(eq(providers.userId, userId))
      .get();
    try {
      const [row] = await c.var.db
        .insert(providers)
        .values({
          id: newId(),
          userId,
          providerKey: body.provider_key,
          displayName: body.display_name,
          apiKind: body.api_kind,
          apiBase: body.api_base ?? null,
          apiKeyEnv: catalogueKeyName(body.provider_key),
          modelIdPrefix: body.model_id_prefix ?? null,
          isLocal: body.is_local ?? false,
          source: "custom",
          sortOrder: (maxOrder?.n ?? -1) + 1,
        })
        .returning();
      await audit(c, { action: "provider_create", userId, resourceType: "provider", resourceId: row!.id });
      notifyUser(c, { type: "config_changed", scope: "providers" });
      return c.json({ provider: providerView(c.env, row!, 0) }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`Provider key "${body.provider_key}" already exists`);
      throw err;
    }
  },
);

providerRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getProvider",
    auth: "user",
    tags: ["config"],
    summary: "One provider",
    request: { params: IdParam },
    responses: { 200: jsonResponse(ProviderResponse, "Provider"), 404: errors[404] },
  }),
  async (c) => {
    const row = await ownedProvider(c.var.db, c.var.user.id, c.req.valid("param").id);
    const count = (await listModels(c.var.db, c.var.user.id, row.id)).length;
    return c.json({ provider: providerView(c.env, row, count) }, 200);
  },
);

providerRoutes.openapi(
  route({
    method: "put",
    path: "/{id}",
    operationId: "updateProvider",
    auth: "user",
    tags: ["config"],
    summary: "Update a provider; null clears an optional field",
    request: { params: IdParam, ...jsonBody(ProviderUpdate) },
    responses: { 200: jsonResponse(ProviderResponse, "Updated"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const existing = await ownedProvider(c.var.db, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    assertKeyEnvAllowed(existing.providerKey, body.api_key_env);
    assertBuiltInAddressKept(c.env, existing, body);
    const [row] = await c.var.db
      .update(providers)
      .set({
        ...(body.display_name !== undefined && { displayName: body.display_name }),
        ...(body.api_kind !== undefined && { apiKind: body.api_kind }),
        ...(body.api_base !== undefined && { apiBase: body.api_base }),
        ...(body.model_id_prefix !== undefined && { modelIdPrefix: body.model_id_prefix }),
        ...(body.is_local !== undefined && { isLocal: body.is_local }),
        updatedAt: isoNow(),
      })
      .where(and(eq(providers.id, existing.id), eq(providers.userId, userId)))
      .returning();
    const count = (await listModels(c.var.db, userId, existing.id)).length;
    await audit(c, { action: "provider_update", userId, resourceType: "provider", resourceId: existing.id });
    notifyUser(c, { type: "config_changed", scope: "providers" });
    return c.json({ provider: providerView(c.env, row!, count) }, 200);
  },
);

providerRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "deleteProvider",
    auth: "user",
    tags: ["config"],
    summary: "Delete a provider with its models and stored key (history keeps its snapshot)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const existing = await ownedProvider(c.var.db, userId, c.req.valid("param").id);
    await c.var.db.delete(providers).where(and(eq(providers.id, existing.id), eq(providers.userId, userId)));
    await audit(c, {
      action: "provider_delete",
      userId,
      resourceType: "provider",
      resourceId: existing.id,
      detail: { provider_key: existing.providerKey },
    });
    notifyUser(c, { type: "config_changed", scope: "providers" });
    return c.json({ status: "ok" as const }, 200);
  },
);

// ---------------------------------------------------------------- models

providerRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/models",
    operationId: "listProviderModels",
    auth: "user",
    tags: ["config"],
    summary: "A provider's models",
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ models: z.array(ModelSchema) }), "Models"), 404: errors[404] },
  }),
  async (c) => {
    const provider = await ownedProvider(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json({ models: await listModels(c.var.db, c.var.user.id, provider.id) }, 200);
  },
);

providerRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/models",
    operationId: "createModel",
    auth: "user",
    tags: ["config"],
    summary: "Add a model to a provider (the provider's model id prefix is applied)",
    request: { params: IdParam, ...jsonBody(ModelCreate) },
    responses: { 201: jsonResponse(ModelResponse, "Created"), 400: errors[400], 404: errors[404], 409: errors[409] },
  }),
  async (c) => {
    const provider = await ownedProvider(c.var.db, c.var.user.id, c.req.valid("param").id);
    const model = await insertModel(c, provider, c.req.valid("json"));
    notifyUser(c, { type: "config_changed", scope: "models" });
    return c.json({ model }, 201);
  },
);

/**
 * Adds one model to a provider (its model id prefix applied, defaults filled, audited); a model id the provider
 * already has is a 409. The one way a model row is created: the model form and discovery's add both come here.
 */
export async function insertModel(c: Context<AppEnv>, provider: ProviderRow, body: ModelCreateBody): Promise<ModelView> {
  const userId = c.var.user.id;
  const modelId = withPrefix(provider.modelIdPrefix, body.model_id);
  try {
    const [row] = await c.var.db
      .insert(models)
      .values({
        id: newId(),
        providerId: provider.id,
        modelId,
        displayName: body.display_name ?? modelId.split("/").at(-1)!,
        contextWindow: body.context_window ?? 128000,
        maxOutputTokens: body.max_output_tokens ?? null,
        skipParams: body.skip_params ?? [],
        inputCostPerMtok: body.input_cost_per_mtok ?? null,
        outputCostPerMtok: body.output_cost_per_mtok ?? null,
        systemPrompt: body.system_prompt ?? null,
        sortOrder: Date.now() % 1_000_000_000, // new models go last
      })
      .returning();
    await audit(c, { action: "model_create", userId, resourceType: "model", resourceId: row!.id });
    return modelView(row!, provider.providerKey);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Model "${modelId}" already exists for this provider`);
    throw err;
  }
}

// Discovery: add several listed models at once (each through insertModel; ones already there are skipped).
const BulkModelCreate = z
  .object({ models: z.array(ModelCreate).min(1).max(200) })
  .strict()
  .openapi("ModelBulkCreate");
const BulkModelCreated = z.object({
  added: z.array(ModelSchema),
  skipped: z.array(z.object({ model_id: z.string(), reason: z.string() })),
});

providerRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/models/bulk",
    operationId: "createModelsBulk",
    auth: "user",
    tags: ["config"],
    summary: "Add several models to a provider at once (discovery's bulk add); ones it already has are skipped",
    request: { params: IdParam, ...jsonBody(BulkModelCreate) },
    responses: { 200: jsonResponse(BulkModelCreated, "Added and skipped models"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const provider = await ownedProvider(c.var.db, c.var.user.id, c.req.valid("param").id);
    const added: ModelView[] = [];
    const skipped: { model_id: string; reason: string }[] = [];
    for (const body of c.req.valid("json").models) {
      try {
        added.push(await insertModel(c, provider, body));
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 409) throw err;
        skipped.push({ model_id: withPrefix(provider.modelIdPrefix, body.model_id), reason: "already added" });
      }
    }
    if (added.length) notifyUser(c, { type: "config_changed", scope: "models" });
    return c.json({ added, skipped }, 200);
  },
);

modelRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listModels",
    auth: "user",
    tags: ["config"],
    summary: "Every model of every provider",
    responses: { 200: jsonResponse(z.object({ models: z.array(ModelSchema) }), "All models"), 401: errors[401] },
  }),
  async (c) => c.json({ models: await listModels(c.var.db, c.var.user.id) }, 200),
);

modelRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getModel",
    auth: "user",
    tags: ["config"],
    summary: "One model",
    request: { params: IdParam },
    responses: { 200: jsonResponse(ModelResponse, "Model"), 404: errors[404] },
  }),
  async (c) => {
    const { model, provider } = await ownedModel(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json({ model: modelView(model, provider.providerKey) }, 200);
  },
);

modelRoutes.openapi(
  route({
    method: "put",
    path: "/{id}",
    operationId: "updateModel",
    auth: "user",
    tags: ["config"],
    summary: "Update a model (custom prices, limits, skip params, system prompt); null clears a field",
    request: { params: IdParam, ...jsonBody(ModelUpdate) },
    responses: { 200: jsonResponse(ModelResponse, "Updated"), 400: errors[400], 404: errors[404], 409: errors[409] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const { model, provider } = await ownedModel(c.var.db, userId, c.req.valid("param").id);
    const b = c.req.valid("json");
    try {
      const [row] = await c.var.db
        .update(models)
        .set({
          ...(b.model_id !== undefined && { modelId: b.model_id }),
          ...(b.display_name !== undefined && { displayName: b.display_name }),
          ...(b.context_window !== undefined && { contextWindow: b.context_window }),
          ...(b.max_output_tokens !== undefined && { maxOutputTokens: b.max_output_tokens }),
          ...(b.skip_params !== undefined && { skipParams: b.skip_params }),
          ...(b.input_cost_per_mtok !== undefined && { inputCostPerMtok: b.input_cost_per_mtok }),
          ...(b.output_cost_per_mtok !== undefined && { outputCostPerMtok: b.output_cost_per_mtok }),
          ...(b.system_prompt !== undefined && { systemPrompt: b.system_prompt }),
          updatedAt: isoNow(),
        })
        .where(eq(models.id, model.id))
        .returning();
      await audit(c, { action: "model_update", userId, resourceType: "model", resourceId: model.id });
      notifyUser(c, { type: "config_changed", scope: "models" });
      return c.json({ model: modelView(row!, provider.providerKey) }, 200);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`Model "${b.model_id}" already exists for this provider`);
      throw err;
    }
  },
);

modelRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "deleteModel",
    auth: "user",
    tags: ["config"],
    summary: "Delete a model",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const { model } = await ownedModel(c.var.db, userId, c.req.valid("param").id);
    await c.var.db.delete(models).where(eq(models.id, model.id));
    await audit(c, { action: "model_delete", userId, resourceType: "model", resourceId: model.id, detail: { model_id: model.modelId } });
    notifyUser(c, { type: "config_changed", scope: "models" });
    return c.json({ status: "ok" as const }, 200);
  },
);

/**
 * The built-in simulator's address and protocol are the deployment's (read at request time), not the user's.
 * Sending back what was read (the address shown, or null) is not a change; anything else is refused by name.
 */
function assertBuiltInAddressKept(env: Env, existing: ProviderRow, body: { api_base?: string | null; api_kind?: string }) {
  if (existing.source !== "simulator") return;
  const changed: string[] = [];
  if (body.api_kind !== undefined && body.api_kind !== existing.apiKind) changed.push("api_kind");
  if (body.api_base != null && body.api_base !== providerBaseUrl(env, existing)) changed.push("api_base");
  if (!changed.length) return;
  throw new ApiError(
    400,
    "validation_failed",
    "The Local simulator's address comes from this deployment",
    changed.map((path) => ({ path, message: "Built in: it follows the running simulator. Add a custom provider to call another address." })),
  );
}
