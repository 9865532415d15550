/** Provider and model rows: owner-scoped look-ups and the API shapes. Every query filters by user id. */

import { z } from "@hono/zod-openapi";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { models, providers } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import { operatorKeyName, providerBaseUrl } from "./operator-keys.ts";

export type ProviderRow = typeof providers.$inferSelect;
export type ModelRow = typeof models.$inferSelect;

export const ProviderSchema = z
  .object({
    id: z.string(),
    provider_key: z.string(),
    display_name: z.string(),
    api_kind: z.enum(["openai", "anthropic"]),
    api_base: z.string().nullable(),
    api_key_env: z.string().nullable(),
    model_id_prefix: z.string().nullable(),
    is_local: z.boolean(),
    source: z.enum(["catalogue", "custom", "simulator"]),
    model_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Provider");

export const ModelSchema = z
  .object({
    id: z.string(),
    provider_id: z.string(),
    provider_key: z.string(),
    model_id: z.string(),
    display_name: z.string(),
    context_window: z.number().int(),
    max_output_tokens: z.number().int().nullable(),
    skip_params: z.array(z.string()),
    input_cost_per_mtok: z.number().nullable(),
    output_cost_per_mtok: z.number().nullable(),
    system_prompt: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Model");

export type ProviderView = z.infer<typeof ProviderSchema>;
export type ModelView = z.infer<typeof ModelSchema>;

/** `env` resolves the built-in simulator's address, which is the deployment's, not the row's. */
export function providerView(env: Env, p: ProviderRow, modelCount: number): ProviderView {
  return {
    id: p.id,
    provider_key: p.providerKey,
    display_name: p.displayName,
    api_kind: p.apiKind,
    api_base: p.source === "simulator" ? providerBaseUrl(env, p) : p.apiBase,
    api_key_env: operatorKeyName(p), // the binding an operator key may come from; null when none can apply
    model_id_prefix: p.modelIdPrefix,
    is_local: p.isLocal,
    source: p.source,
    model_count: modelCount,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function modelView(m: ModelRow, providerKey: string): ModelView {
  return {
    id: m.id,
    provider_id: m.providerId,
    provider_key: providerKey,
    model_id: m.modelId,
    display_name: m.displayName,
    context_window: m.contextWindow,
    max_output_tokens: m.maxOutputTokens,
    skip_params: m.skipParams,
    input_cost_per_mtok: m.inputCostPerMtok,
    output_cost_per_mtok: m.outputCostPerMtok,
    system_prompt: m.systemPrompt,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

export async function listProviders(env: Env, db: Db, userId: string): Promise<ProviderView[]> {
  const rows = await db
    .select({ p: providers, modelCount: sql<number>`(SELECT COUNT(*) FROM models m WHERE m.provider_id = ${providers.id})` })
    .from(providers)
    .where(eq(providers.userId, userId))
    .orderBy(asc(providers.sortOrder), asc(providers.displayName));
  return rows.map((r) => providerView(env, r.p, r.modelCount));
}

/** The user's provider by id, or a 404 that does not reveal whether it exists for someone else. */
export async function ownedProvider(db: Db, userId: string, id: string): Promise<ProviderRow> {
  const row = await db
    .select()
    .from(providers)
    .where(and(eq(providers.id, id), eq(providers.userId, userId)))
    .get();
  if (!row) throw notFound("Provider");
  return row;
}

export async function providerByKey(db: Db, userId: string, providerKey: string): Promise<ProviderRow> {
  const row = await db
    .select()
    .from(providers)
    .where(and(eq(providers.providerKey, providerKey), eq(providers.userId, userId)))
    .get();
  if (!row) throw notFound("Provider");
  return row;
}

export async function ownedModel(db: Db, userId: string, id: string): Promise<{ model: ModelRow; provider: ProviderRow }> {
  const row = await db
    .select({ model: models, provider: providers })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .where(and(eq(models.id, id), eq(providers.userId, userId)))
    .get();
  if (!row) throw notFound("Model");
  return row;
}

export async function listModels(db: Db, userId: string, providerId?: string): Promise<ModelView[]> {
  const rows = await db
    .select({ model: models, providerKey: providers.providerKey })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .where(providerId ? and(eq(providers.userId, userId), eq(providers.id, providerId)) : eq(providers.userId, userId))
    .orderBy(asc(providers.sortOrder), asc(models.sortOrder), asc(models.displayName));
  return rows.map((r) => modelView(r.model, r.providerKey));
}
