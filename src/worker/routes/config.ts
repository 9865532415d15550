/**
 * Per-user configuration: benchmark defaults, providers and models (rows with ids), the provider catalogue,
 * and prompt templates. Every look-up is scoped to the signed-in user; another user's id is a 404.
 *
 * Paths: `/api/config`, `/api/config/prompts` keep the original's baseline paths; providers and models use the
 * original's id-based `/api/v2/...` paths (its body-keyed `/api/config/provider` could not address rows).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { requireUser } from "../auth/middleware.ts";
import {
  listModels,
  listProviders,
  ModelSchema,
  modelView,
  ownedModel,
  ownedProvider,
  ProviderSchema,
  providerView,
} from "../config/providers.ts";
import { catalogueFor, providerInsert } from "../config/seed.ts";
import { isUniqueViolation } from "../db/client.ts";
import { readSection, writeSection } from "../config/settings.ts";
import { models, promptTemplates, providers } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, conflict, notFound } from "../lib/errors.ts";
import { catalogueKeyName } from "../config/operator-keys.ts";
import { bearerSecurity, errors, HttpUrl, IdParam, jsonBody, jsonResponse, newRouter, OkSchema } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { DEFAULT_BENCHMARK_SETTINGS } from "../../shared/catalogue.ts";
import { BenchmarkDefaultsSchema } from "../../shared/settings.ts";

/** Base URLs are stored without a trailing slash (the SDKs append paths). */
const BaseUrl = HttpUrl.transform((u) => u.replace(/\/+$/, ""));
const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, { error: "Use an UPPER_SNAKE_CASE variable name" });

/**
 * `api_key_env` is informational: operator keys are looked up by the catalogue's name only (see
 * config/operator-keys.ts). A client may echo that name back, but may not name any other binding.
 */
function assertKeyEnvAllowed(providerKey: string, apiKeyEnv: string | null | undefined): void {
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

const ProviderCreate = z
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

const ModelFields = {
  display_name: z.string().trim().min(1).max(256),
  context_window: z.number().int().min(1).max(10_000_000),
  max_output_tokens: z.number().int().min(1).max(1_000_000).nullable(),
  skip_params: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/)).max(32),
  input_cost_per_mtok: z.number().min(0).max(100_000).nullable(),
  output_cost_per_mtok: z.number().min(0).max(100_000).nullable(),
  system_prompt: z.string().max(50_000).nullable(),
};
const ModelId = z.string().regex(/^[A-Za-z0-9._\-/:@]{1,256}$/, { error: "Invalid model id" });
const ModelCreate = z
  .object({ model_id: ModelId, ...ModelFields })
  .partial()
  .required({ model_id: true })
  .strict()
  .openapi("ModelCreate");
const ModelUpdate = z.object({ model_id: ModelId, ...ModelFields }).partial().strict().openapi("ModelUpdate");

const ConfigResponse = z.object({
  defaults: BenchmarkDefaultsSchema,
  providers: z.array(ProviderSchema.extend({ models: z.array(ModelSchema) })),
});

const PromptMap = z.record(z.string(), z.object({ label: z.string(), category: z.string(), prompt: z.string() }));
const PromptCreate = z
  .object({
    key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: "Start with a letter or _, then letters, digits, _" }),
    label: z.string().trim().min(1).max(256).optional(),
    category: z.string().trim().min(1).max(64).default("general"),
    prompt: z.string().min(1).max(500_000),
  })
  .strict();
const KeyParam = z.object({ key: z.string().min(1).max(64).openapi({ param: { name: "key", in: "path" } }) });
const CatalogueEntry = z.object({
  provider_key: z.string(),
  display_name: z.string(),
  api_kind: z.enum(["openai", "anthropic"]),
  api_base: z.string(),
  api_key_env: z.string().nullable(),
  is_local: z.boolean(),
  configured: z.boolean(),
});

const ProviderResponse = z.object({ provider: ProviderSchema });
const ModelResponse = z.object({ model: ModelSchema });

export const configRoutes = newRouter();
for (const path of ["/config", "/config/*", "/v2/*", "/provider-catalogue", "/provider-catalogue/*"]) {
  configRoutes.use(path, requireUser);
}

async function readDefaults(c: { var: { db: Parameters<typeof readSection>[0]; user: { id: string } } }) {
  const saved = await readSection(c.var.db, c.var.user.id, "benchmark_defaults", {});
  return BenchmarkDefaultsSchema.parse({ ...DEFAULT_BENCHMARK_SETTINGS, ...saved });
}

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/config",
    tags: ["config"],
    summary: "Benchmark defaults and every provider with its models",
    security: bearerSecurity,
    responses: { 200: jsonResponse(ConfigResponse, "The user's configuration"), 401: errors[401] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const [defaults, providerList, modelList] = await Promise.all([
      readDefaults(c),
      listProviders(c.var.db, userId),
      listModels(c.var.db, userId),
    ]);
    const withModels = providerList.map((p) => ({ ...p, models: modelList.filter((m) => m.provider_id === p.id) }));
    return c.json({ defaults, providers: withModels }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "put",
    path: "/config/defaults",
    tags: ["config"],
    security: bearerSecurity,
    request: jsonBody(BenchmarkDefaultsSchema.partial().strict()),
    responses: { 200: jsonResponse(z.object({ defaults: BenchmarkDefaultsSchema }), "Saved"), 400: errors[400] },
  }),
  async (c) => {
    const defaults = BenchmarkDefaultsSchema.parse({ ...(await readDefaults(c)), ...c.req.valid("json") });
    await writeSection(c.var.db, c.var.user.id, "benchmark_defaults", defaults);
    notifyUser(c, { type: "config_changed", scope: "settings" });
    return c.json({ defaults }, 200);
  },
);

// ---------------------------------------------------------------- providers

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v2/providers",
    tags: ["config"],
    security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ providers: z.array(ProviderSchema) }), "Providers"), 401: errors[401] },
  }),
  async (c) => c.json({ providers: await listProviders(c.var.db, c.var.user.id) }, 200),
);

configRoutes.openapi(
  createRoute({
    method: "post",
    path: "/v2/providers",
    tags: ["config"],
    security: bearerSecurity,
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
      return c.json({ provider: providerView(row!, 0) }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`Provider key "${body.provider_key}" already exists`);
      throw err;
    }
  },
);

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v2/providers/{id}",
    tags: ["config"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(ProviderResponse, "Provider"), 404: errors[404] },
  }),
  async (c) => {
    const row = await ownedProvider(c.var.db, c.var.user.id, c.req.valid("param").id);
    const count = (await listModels(c.var.db, c.var.user.id, row.id)).length;
    return c.json({ provider: providerView(row, count) }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "put",
    path: "/v2/providers/{id}",
    tags: ["config"],
    security: bearerSecurity,
    request: { params: IdParam, ...jsonBody(ProviderUpdate) },
    responses: { 200: jsonResponse(ProviderResponse, "Updated"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const existing = await ownedProvider(c.var.db, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    assertKeyEnvAllowed(existing.providerKey, body.api_key_env);
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
    return c.json({ provider: providerView(row!, count) }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/v2/providers/{id}",
    tags: ["config"],
    summary: "Delete a provider with its models and stored key (history keeps its snapshot)",
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const existing = await ownedProvider(c.var.db, userId, c.req.valid("param").id);
    await c.var.db.delete(providers).where(and(eq(providers.id, existing.id), eq(providers.userId, userId)));
    await audit(c, { action: "provider_delete", userId, resourceType: "provider", resourceId: existing.id, detail: { provider_key: existing.providerKey } });
    notifyUser(c, { type: "config_changed", scope: "providers" });
    return c.json({ status: "ok" as const }, 200);
  },
);

// ---------------------------------------------------------------- models

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v2/providers/{id}/models",
    tags: ["config"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ models: z.array(ModelSchema) }), "Models"), 404: errors[404] },
  }),
  async (c) => {
    const provider = await ownedProvider(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json({ models: await listModels(c.var.db, c.var.user.id, provider.id) }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "post",
    path: "/v2/providers/{id}/models",
    tags: ["config"],
    security: bearerSecurity,
    request: { params: IdParam, ...jsonBody(ModelCreate) },
    responses: { 201: jsonResponse(ModelResponse, "Created"), 400: errors[400], 404: errors[404], 409: errors[409] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const provider = await ownedProvider(c.var.db, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    const modelId = provider.modelIdPrefix && !body.model_id.startsWith(`${provider.modelIdPrefix}/`)
      ? `${provider.modelIdPrefix}/${body.model_id}`
      : body.model_id;
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
      notifyUser(c, { type: "config_changed", scope: "models" });
      return c.json({ model: modelView(row!, provider.providerKey) }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`Model "${modelId}" already exists for this provider`);
      throw err;
    }
  },
);

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v2/models",
    tags: ["config"],
    security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ models: z.array(ModelSchema) }), "All models"), 401: errors[401] },
  }),
  async (c) => c.json({ models: await listModels(c.var.db, c.var.user.id) }, 200),
);

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v2/models/{id}",
    tags: ["config"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(ModelResponse, "Model"), 404: errors[404] },
  }),
  async (c) => {
    const { model, provider } = await ownedModel(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json({ model: modelView(model, provider.providerKey) }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "put",
    path: "/v2/models/{id}",
    tags: ["config"],
    summary: "Update a model (custom prices, limits, skip params, system prompt); null clears a field",
    security: bearerSecurity,
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

configRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/v2/models/{id}",
    tags: ["config"],
    security: bearerSecurity,
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

// ---------------------------------------------------------------- catalogue

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/provider-catalogue",
    tags: ["config"],
    summary: "Known providers with their base URLs, and whether the user has each configured",
    security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ providers: z.array(CatalogueEntry) }), "Catalogue"), 401: errors[401] },
  }),
  async (c) => {
    const configured = new Set((await listProviders(c.var.db, c.var.user.id)).map((p) => p.provider_key));
    const entries = catalogueFor(c.env).map((p) => ({
      provider_key: p.provider_key,
      display_name: p.display_name,
      api_kind: p.api_kind,
      api_base: p.api_base,
      api_key_env: p.api_key_env,
      is_local: p.is_local,
      configured: configured.has(p.provider_key),
    }));
    return c.json({ providers: entries }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "post",
    path: "/provider-catalogue/{key}",
    tags: ["config"],
    summary: "Add a catalogue provider (with its default models) back to the user's configuration",
    security: bearerSecurity,
    request: { params: KeyParam },
    responses: { 201: jsonResponse(ProviderResponse, "Added"), 404: errors[404], 409: errors[409] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const entry = catalogueFor(c.env).find((p) => p.provider_key === c.req.valid("param").key);
    if (!entry) throw notFound("Catalogue provider");
    const source = entry.provider_key === "local_simulator" ? "simulator" : "catalogue";
    const { providerRow, modelRows } = providerInsert(userId, entry, 100, source);
    try {
      const insertProvider = c.var.db.insert(providers).values(providerRow);
      if (modelRows.length) await c.var.db.batch([insertProvider, c.var.db.insert(models).values(modelRows)]);
      else await insertProvider;
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`Provider "${entry.provider_key}" is already configured`);
      throw err;
    }
    notifyUser(c, { type: "config_changed", scope: "providers" });
    const row = await ownedProvider(c.var.db, userId, providerRow.id);
    return c.json({ provider: providerView(row, modelRows.length) }, 201);
  },
);

// ---------------------------------------------------------------- prompt templates

configRoutes.openapi(
  createRoute({
    method: "get",
    path: "/config/prompts",
    tags: ["config"],
    summary: "Prompt templates as a map keyed by template key (the original's shape)",
    security: bearerSecurity,
    responses: { 200: jsonResponse(PromptMap, "Templates"), 401: errors[401] },
  }),
  async (c) => {
    const rows = await c.var.db
      .select()
      .from(promptTemplates)
      .where(eq(promptTemplates.userId, c.var.user.id))
      .orderBy(promptTemplates.createdAt);
    return c.json(Object.fromEntries(rows.map((r) => [r.key, { label: r.label, category: r.category, prompt: r.prompt }])), 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "post",
    path: "/config/prompts",
    tags: ["config"],
    summary: "Create or replace a prompt template",
    security: bearerSecurity,
    request: jsonBody(PromptCreate),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), key: z.string() }), "Saved"), 400: errors[400] },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const now = isoNow();
    const values = { label: b.label ?? b.key, category: b.category, prompt: b.prompt, updatedAt: now };
    await c.var.db
      .insert(promptTemplates)
      .values({ id: newId(), userId: c.var.user.id, key: b.key, ...values })
      .onConflictDoUpdate({ target: [promptTemplates.userId, promptTemplates.key], set: values });
    notifyUser(c, { type: "config_changed", scope: "prompts" });
    return c.json({ status: "ok" as const, key: b.key }, 200);
  },
);

configRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/config/prompts/{key}",
    tags: ["config"],
    security: bearerSecurity,
    request: { params: KeyParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const removed = await c.var.db
      .delete(promptTemplates)
      .where(and(eq(promptTemplates.userId, c.var.user.id), eq(promptTemplates.key, c.req.valid("param").key)))
      .returning({ id: promptTemplates.id });
    if (!removed.length) throw notFound("Prompt template");
    notifyUser(c, { type: "config_changed", scope: "prompts" });
    return c.json({ status: "ok" as const }, 200);
  },
);
