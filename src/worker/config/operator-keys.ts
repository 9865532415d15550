/**
 * Operator keys: an API key the operator sets as a Worker secret under a provider's documented name
 * (`OPENAI_API_KEY`, …, see README "Configuration") and shares with every user who stored no key of their own.
 *
 * A user controls their provider rows, including the base URL, so an operator key is only ever used for a
 * catalogue provider whose row still points at that provider's catalogue base URL and API kind. The name of
 * the binding comes from the catalogue, never from the row: a row can name no other binding (a user naming
 * `JWT_SECRET` and pointing the base URL at their own server would otherwise receive the server's secret).
 */

import type { ApiKind } from "../../shared/catalogue.ts";
import { type CatalogueProvider, PROVIDER_CATALOGUE } from "../../shared/catalogue.ts";

export interface ProviderIdentity {
  providerKey: string;
  apiKind: ApiKind;
  apiBase: string | null;
  source?: "catalogue" | "custom" | "simulator";
}

/** Where an SDK sends a request when the row leaves the base URL empty. */
export const DEFAULT_BASE_URL: Record<ApiKind, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
};

export function effectiveBaseUrl(p: ProviderIdentity): string {
  return p.apiBase ?? DEFAULT_BASE_URL[p.apiKind];
}

/**
 * The built-in "Local simulator" has no address of its own: it is wherever this deployment's simulator runs
 * (`SIMULATOR_BASE_URL`), read at request time, so an account made while the simulator listened on one port
 * keeps working after a restart on another. Null when this deployment runs no simulator.
 */
export function simulatorBaseUrl(env: Env): string | null {
  return env.SIMULATOR_BASE_URL ? `${env.SIMULATOR_BASE_URL.replace(/\/+$/, "")}/v1` : null;
}

/** Where calls for this provider row go now; null only for the built-in simulator on a deployment without one. */
export function providerBaseUrl(env: Env, p: ProviderIdentity): string | null {
  return p.source === "simulator" ? simulatorBaseUrl(env) : effectiveBaseUrl(p);
}

/** Scheme and host are case-insensitive; trailing slashes mean nothing to the SDKs. */
export function normalizeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}${u.search}`;
  } catch {
    return url;
  }
}

/** The catalogue entry that may use an operator key for this provider row, or null. */
function catalogueEntryFor(p: ProviderIdentity): CatalogueProvider | null {
  const entry = PROVIDER_CATALOGUE.find((c) => c.provider_key === p.providerKey);
  if (!entry?.api_key_env || entry.is_local) return null;
  if (entry.api_kind !== p.apiKind) return null;
  if (normalizeUrl(effectiveBaseUrl(p)) !== normalizeUrl(entry.api_base)) return null;
  return entry;
}

/** The documented binding name whose value may be sent to this row's base URL, or null. */
export function operatorKeyName(p: ProviderIdentity): string | null {
  return catalogueEntryFor(p)?.api_key_env ?? null;
}

/** The operator's key for this provider row, or undefined (no catalogue match, or the operator set none). */
export function operatorKeyFor(env: Env, p: ProviderIdentity): string | undefined {
  const name = operatorKeyName(p);
  if (!name) return undefined;
  const value = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The one `api_key_env` a provider with this key may declare (null for any provider outside the catalogue). */
export function catalogueKeyName(providerKey: string): string | null {
  return PROVIDER_CATALOGUE.find((c) => c.provider_key === providerKey)?.api_key_env ?? null;
}
