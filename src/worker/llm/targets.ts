/**
 * Resolving what to call: the user's provider/model rows for requested targets, and the API key for a provider
 * (the user's own key from the vault, else an admin's shared key, else an operator's key, else none for local servers).
 */

import { and, eq } from "drizzle-orm";
import { hostOf } from "../../shared/call-errors.ts";
import { operatorKeyFor, providerBaseUrl } from "../config/operator-keys.ts";
import { openSharedKey, sharedKeyFor } from "../config/shared-keys.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { models, providers, sharedProviderKeys, userApiKeys } from "../db/schema.ts";
import { badRequest } from "../lib/errors.ts";
import { privateAddressMessage, privateAddressReason, privateUrlsAllowed } from "../lib/private-address.ts";
import { openSecret } from "../lib/vault.ts";
import { LlmError } from "./errors.ts";
import type { LlmTarget } from "./stream.ts";

export interface TargetRef {
  provider_key: string;
  model_id: string;
}

export interface ResolvedTarget {
  providerId: string;
  providerKey: string;
  providerName: string;
  apiKind: "openai" | "anthropic";
  apiBase: string | null;
  isLocal: boolean;
  source: "catalogue" | "custom" | "simulator";
  modelRef: string;
  modelId: string;
  modelName: string;
  contextWindow: number;
  maxOutputTokens: number | null;
  skipParams: string[];
  inputCostPerMtok: number | null;
  outputCostPerMtok: number | null;
  systemPrompt: string | null;
}

/** The user's rows for the requested targets, in request order; unknown targets are returned separately. */
export async function resolveTargets(db: Db, userId: string, refs: readonly TargetRef[]) {
  const keys = [...new Set(refs.map((r) => r.provider_key))];
  const rows = keys.length
    ? await db
        .select({ p: providers, m: models })
        .from(models)
        .innerJoin(providers, eq(models.providerId, providers.id))
        .where(and(eq(providers.userId, userId), inList(providers.providerKey, keys)))
    : [];
  const found: ResolvedTarget[] = [];
  const missing: TargetRef[] = [];
  for (const ref of refs) {
    const row = rows.find((r) => r.p.providerKey === ref.provider_key && r.m.modelId === ref.model_id);
    if (!row) {
      missing.push(ref);
      continue;
    }
    found.push({
      providerId: row.p.id,
      providerKey: row.p.providerKey,
      providerName: row.p.displayName,
      apiKind: row.p.apiKind,
      apiBase: row.p.apiBase,
      isLocal: row.p.isLocal,
      source: row.p.source,
      modelRef: row.m.id,
      modelId: row.m.modelId,
      modelName: row.m.displayName,
      contextWindow: row.m.contextWindow,
      maxOutputTokens: row.m.maxOutputTokens,
      skipParams: row.m.skipParams,
      inputCostPerMtok: row.m.inputCostPerMtok,
      outputCostPerMtok: row.m.outputCostPerMtok,
      systemPrompt: row.m.systemPrompt,
    });
  }
  return { found, missing };
}

/** Decrypts the key only now, for this call; it never leaves memory. */
export async function llmTargetFor(env: Env, db: Db, userId: string, t: ResolvedTarget): Promise<LlmTarget> {
  const stored = await db
    .select()
    .from(userApiKeys)
    .where(and(eq(userApiKeys.userId, userId), eq(userApiKeys.providerId, t.providerId)))
    .get();
  const baseUrl = providerBaseUrl(env, t);
  // A user-given address may not reach a private network (the built-in simulator's is the deployment's own).
  const refused = t.source === "simulator" || !baseUrl || privateUrlsAllowed(env) ? null : privateAddressReason(baseUrl);
  if (refused) throw new LlmError("connection", privateAddressMessage(baseUrl as string, refused), { host: hostOf(baseUrl) });
  let apiKey: string | undefined;
  if (stored) {
    apiKey = await openSecret(env.VAULT_MASTER_KEY, stored, { userId, providerId: t.providerId }).catch(() => {
      throw new LlmError("auth", `The stored key for ${t.providerName} could not be read; save it again`, { host: hostOf(baseUrl) });
    });
  }
  if (!apiKey) {
    // An admin's shared key, only for the URL the admin set it for (config/shared-keys.ts).
    const shared = await db.select().from(sharedProviderKeys).where(eq(sharedProviderKeys.providerKey, t.providerKey)).get();
    const applies = shared ? sharedKeyFor(env, [shared], t) : undefined;
    if (applies) {
      apiKey = await openSharedKey(env, applies).catch(() => {
        throw new LlmError("auth", `The shared key for ${t.providerName} could not be read; an admin must save it again`, {
          host: hostOf(applies.apiBase),
        });
      });
    }
  }
  apiKey ??= operatorKeyFor(env, t); // only a catalogue provider at its catalogue URL (config/operator-keys.ts)
  if (!apiKey && t.isLocal) apiKey = "not-needed"; // the SDKs insist on a non-empty key
  if (!apiKey) throw new LlmError("auth", `No API key configured for ${t.providerName}`, { host: baseUrl ? hostOf(baseUrl) : null });
  if (!baseUrl) throw new LlmError("connection", `${t.providerName} is built in for local development only; this deployment runs no simulator`);
  return {
    apiKind: t.apiKind,
    providerKey: t.providerKey,
    baseUrl,
    apiKey,
    modelId: t.modelId,
  };
}

/**
 * The targets of a job request: explicit `targets`, or the original's legacy `models` (any provider that has
 * that model id). Duplicates are dropped; an unknown target is a 400 that names it.
 */
export async function requestedTargets(db: Db, userId: string, body: { targets?: TargetRef[]; models?: string[] }): Promise<ResolvedTarget[]> {
  let refs: TargetRef[] = body.targets ?? [];
  if (!body.targets && body.models) {
    const wanted = new Set(body.models);
    const rows = await db
      .select({ providerKey: providers.providerKey, modelId: models.modelId })
      .from(models)
      .innerJoin(providers, eq(models.providerId, providers.id))
      .where(and(eq(providers.userId, userId), inList(models.modelId, [...wanted])));
    refs = rows.map((r) => ({ provider_key: r.providerKey, model_id: r.modelId }));
  }
  const unique = [...new Map(refs.map((r) => [`${r.provider_key}::${r.model_id}`, r])).values()];
  const { found, missing } = await resolveTargets(db, userId, unique);
  if (missing.length || !found.length) {
    const named = missing.length ? missing : unique.length ? unique : (body.models ?? []).map((m) => ({ provider_key: "*", model_id: m }));
    throw badRequest(
      "Unknown models",
      named.map((m) => ({ path: "targets", message: `No model "${m.model_id}" under provider "${m.provider_key}"` })),
    );
  }
  return found;
}
