/**
 * Where and with which key to reach a provider outside an LLM call (model lists, backend detection): the same
 * address and key resolution the LLM calls use (`llmTargetFor`: the user's vault key, then any shared or operator
 * key), with the private-address guard in front. The built-in simulator's address is the deployment's own
 * (`SIMULATOR_BASE_URL`), not a user's, so it is trusted.
 */
import { providerBaseUrl } from "../config/operator-keys.ts";
import type { ProviderRow } from "../config/providers.ts";
import type { Db } from "../db/client.ts";
import { ApiError, badRequest } from "../lib/errors.ts";
import { assertPublicUrl } from "../lib/url-guard.ts";
import { LlmError } from "../llm/errors.ts";
import { llmTargetFor, type ResolvedTarget } from "../llm/targets.ts";

export interface ProviderAccess {
  baseUrl: string;
  /** The deployment's own address: exempt from the guard. */
  trusted: boolean;
  /** Null for a local server that needs none. */
  apiKey: string | null;
}

/** A provider as a call target without a model, for the key look-up. */
export function providerAsTarget(p: ProviderRow): ResolvedTarget {
  return {
    providerId: p.id,
    providerKey: p.providerKey,
    providerName: p.displayName,
    apiKind: p.apiKind,
    apiBase: p.apiBase,
    isLocal: p.isLocal,
    source: p.source,
    modelRef: "",
    modelId: "",
    modelName: "",
    contextWindow: 0,
    maxOutputTokens: null,
    skipParams: [],
    inputCostPerMtok: null,
    outputCostPerMtok: null,
    systemPrompt: null,
  };
}

export async function providerAccess(env: Env, db: Db, userId: string, p: ProviderRow, opts: { needKey: boolean }): Promise<ProviderAccess> {
  const trusted = p.source === "simulator";
  const baseUrl = providerBaseUrl(env, p);
  if (!baseUrl) throw badRequest(`${p.displayName} is built in for local development only; this deployment runs no simulator`);
  if (!trusted) assertPublicUrl(env, baseUrl, "api_base");
  try {
    const target = await llmTargetFor(env, db, userId, providerAsTarget(p));
    return { baseUrl, trusted, apiKey: target.apiKey === "not-needed" ? null : target.apiKey };
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    // Detection of a local server works without a key; listing a cloud provider's models does not.
    if (!opts.needKey && err.cls === "auth" && err.message.startsWith("No API key")) return { baseUrl, trusted, apiKey: null };
    throw new ApiError(400, "bad_request", `${err.message}: store one under Settings → API keys`, [{ path: "provider_key", message: err.message }]);
  }
}
