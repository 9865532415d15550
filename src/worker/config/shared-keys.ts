/**
 * Shared provider keys: keys an admin stores for everyone (they replace the original's `.env` editing, which a
 * Worker cannot do). Sealed with the same vault as user keys; the AAD names the provider key and the URL, so a
 * ciphertext opens only for the address the admin chose.
 *
 * A key is used for a user's provider row only when the user stored no key of their own, and only when the row
 * has the same provider key and API kind and its calls go to the same base URL as the admin set: the user
 * controls their rows, so the key must never follow a row to another address.
 */
import type { Db } from "../db/client.ts";
import { sharedProviderKeys } from "../db/schema.ts";
import { openSecret } from "../lib/vault.ts";
import { normalizeUrl, type ProviderIdentity, providerBaseUrl } from "./operator-keys.ts";

export type SharedKeyRow = typeof sharedProviderKeys.$inferSelect;

/** The vault owner of a shared key: no user id is "shared" (ids are hex), so it cannot open a user's key. */
export function sharedKeyOwner(providerKey: string, apiBase: string) {
  return { userId: "shared", providerId: `${providerKey}@${normalizeUrl(apiBase)}` };
}

export async function listSharedKeys(db: Db): Promise<SharedKeyRow[]> {
  return db.select().from(sharedProviderKeys).orderBy(sharedProviderKeys.providerKey);
}

/** The shared key row that applies to this provider row, or undefined. */
export function sharedKeyFor(env: Env, rows: readonly SharedKeyRow[], p: ProviderIdentity): SharedKeyRow | undefined {
  const row = rows.find((r) => r.providerKey === p.providerKey);
  if (!row || row.apiKind !== p.apiKind) return undefined;
  const target = providerBaseUrl(env, p);
  return target !== null && normalizeUrl(target) === normalizeUrl(row.apiBase) ? row : undefined;
}

/** Decrypts a shared key, only for the call about to be made. */
export async function openSharedKey(env: Env, row: SharedKeyRow): Promise<string> {
  return openSecret(env.VAULT_MASTER_KEY, row, sharedKeyOwner(row.providerKey, row.apiBase));
}
