/**
 * What a new account starts with: the provider catalogue (and, in local development, the "Local simulator"),
 * the default prompt templates, benchmark defaults and rate limits. Written as one D1 batch with the user row,
 * so an account is never half-created.
 */
import type { BatchItem } from "drizzle-orm/batch";
import {
  type CatalogueProvider,
  DEFAULT_BENCHMARK_SETTINGS,
  DEFAULT_PROMPT_TEMPLATES,
  PROVIDER_CATALOGUE,
  simulatorProvider,
} from "../../shared/catalogue.ts";
import type { Db } from "../db/client.ts";
import { models, promptTemplates, providers, rateLimits, userSettings } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";

export function catalogueFor(env: Env): CatalogueProvider[] {
  const list = [...PROVIDER_CATALOGUE];
  return env.SIMULATOR_BASE_URL ? [simulatorProvider(env.SIMULATOR_BASE_URL), ...list] : list;
}

export function providerInsert(userId: string, p: CatalogueProvider, sortOrder: number, source: "catalogue" | "simulator") {
  const providerId = newId();
  const providerRow = {
    id: providerId,
    userId,
    providerKey: p.provider_key,
    displayName: p.display_name,
    apiKind: p.api_kind,
    apiBase: source === "simulator" ? null : p.api_base, // the simulator's address is read at request time
    apiKeyEnv: p.api_key_env,
    isLocal: p.is_local,
    source,
    sortOrder,
  } as const;
  const modelRows = p.models.map((m, i) => ({
    id: newId(),
    providerId,
    modelId: m.model_id,
    displayName: m.display_name,
    contextWindow: m.context_window,
    maxOutputTokens: m.max_output_tokens ?? null,
    skipParams: m.skip_params ?? [],
    sortOrder: i,
  }));
  return { providerRow, modelRows };
}

export function seedStatements(db: Db, env: Env, userId: string): BatchItem<"sqlite">[] {
  const statements: BatchItem<"sqlite">[] = [];
  catalogueFor(env).forEach((p, index) => {
    const source = p.provider_key === "local_simulator" ? "simulator" : "catalogue";
    const { providerRow, modelRows } = providerInsert(userId, p, index, source);
    statements.push(db.insert(providers).values(providerRow));
    if (modelRows.length) statements.push(db.insert(models).values(modelRows));
  });
  statements.push(
    db.insert(promptTemplates).values(DEFAULT_PROMPT_TEMPLATES.map((t) => ({ id: newId(), userId, ...t }))),
    db.insert(userSettings).values({ userId, section: "benchmark_defaults", value: DEFAULT_BENCHMARK_SETTINGS }),
    db.insert(rateLimits).values({ userId }),
  );
  return statements;
}
