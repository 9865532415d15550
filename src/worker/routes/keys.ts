/**
 * /api/keys: the per-user provider-key vault. Keys go in, never come out: responses say only whether a key is
 * set and its last 4 characters (computed by decrypting in memory, so D1 holds no plaintext at all).
 */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { operatorKeyFor, operatorKeyName } from "../config/operator-keys.ts";
import { providerByKey } from "../config/providers.ts";
import { listSharedKeys, sharedKeyFor } from "../config/shared-keys.ts";
import { providers, userApiKeys } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { notFound } from "../lib/errors.ts";
import { errors, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { openSecret, sealSecret } from "../lib/vault.ts";

const KeyStatus = z
  .object({
    provider_id: z.string(),
    provider_key: z.string(),
    display_name: z.string(),
    key_env_name: z.string().nullable(),
    requires_key: z.boolean(),
    has_global_key: z.boolean(),
    has_user_key: z.boolean(),
    last4: z.string().nullable(),
    user_key_updated_at: z.string().nullable(),
    status: z.enum(["user", "shared", "not_set", "not_required"]),
  })
  .openapi("KeyStatus");

const ProviderKeyField = z.string().min(1).max(64);
const PutKeyBody = z
  .object({
    provider_key: ProviderKeyField,
    value: z.string().trim().min(1, { error: "Enter the key" }).max(4096).optional(),
    api_key: z.string().trim().min(1).max(4096).optional(), // the original accepted either name
  })
  .refine((b) => b.value ?? b.api_key, { error: "value is required", path: ["value"] });

const last4 = (key: string) => (key.length > 8 ? key.slice(-4) : null); // short keys reveal nothing

export const keyRoutes = newRouter();

keyRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listKeys",
    auth: "user",
    tags: ["keys"],
    summary: "Key status per provider (keys themselves never come back)",
    responses: { 200: jsonResponse(z.object({ keys: z.array(KeyStatus) }), "Key status per provider"), 401: errors[401] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const rows = await c.var.db
      .select({ p: providers, k: userApiKeys })
      .from(providers)
      .leftJoin(userApiKeys, and(eq(userApiKeys.providerId, providers.id), eq(userApiKeys.userId, userId)))
      .where(eq(providers.userId, userId))
      .orderBy(providers.sortOrder, providers.displayName);
    const shared = await listSharedKeys(c.var.db);
    const keys = await Promise.all(
      rows.map(async ({ p, k }) => {
        // Only a catalogue provider at its catalogue URL can use an operator key, so only it can report one;
        // an admin's shared key applies only at the URL the admin set it for.
        const envName = operatorKeyName(p);
        const hasGlobal = sharedKeyFor(c.env, shared, p) !== undefined || operatorKeyFor(c.env, p) !== undefined;
        let tail: string | null = null;
        if (k) {
          try {
            tail = last4(await openSecret(c.env.VAULT_MASTER_KEY, k, { userId, providerId: p.id }));
          } catch {
            c.var.log.warn("stored key could not be decrypted", { provider_key: p.providerKey });
          }
        }
        // A shared key that applies is used even for a local server (targets.ts), so it is what the user sees.
        const status = k ? "user" : hasGlobal ? "shared" : p.isLocal ? "not_required" : "not_set";
        return {
          provider_id: p.id,
          provider_key: p.providerKey,
          display_name: p.displayName,
          key_env_name: envName,
          requires_key: !p.isLocal,
          has_global_key: hasGlobal,
          has_user_key: Boolean(k),
          last4: tail,
          user_key_updated_at: k?.updatedAt ?? null,
          status,
        } as const;
      }),
    );
    return c.json({ keys }, 200);
  },
);

keyRoutes.openapi(
  route({
    method: "put",
    path: "/",
    operationId: "setKey",
    auth: "user",
    tags: ["keys"],
    summary: "Store (or replace) your key for a provider; it is encrypted at rest",
    request: jsonBody(PutKeyBody),
    responses: {
      200: jsonResponse(z.object({ status: z.literal("ok"), provider_key: z.string(), last4: z.string().nullable() }), "Stored"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const value = (body.value ?? body.api_key)!;
    const userId = c.var.user.id;
    const provider = await providerByKey(c.var.db, userId, body.provider_key);
    const sealed = await sealSecret(c.env.VAULT_MASTER_KEY, value, { userId, providerId: provider.id });
    const now = isoNow();
    await c.var.db
      .insert(userApiKeys)
      .values({ id: newId(), userId, providerId: provider.id, ...sealed, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [userApiKeys.userId, userApiKeys.providerId],
        set: { ciphertext: sealed.ciphertext, iv: sealed.iv, updatedAt: now },
      });
    await audit(c, {
      action: "api_key_set",
      userId,
      resourceType: "provider",
      resourceId: provider.id,
      detail: { provider_key: provider.providerKey },
    });
    notifyUser(c, { type: "config_changed", scope: "keys" });
    return c.json({ status: "ok" as const, provider_key: provider.providerKey, last4: last4(value) }, 200);
  },
);

keyRoutes.openapi(
  route({
    method: "delete",
    path: "/",
    operationId: "deleteKey",
    auth: "user",
    tags: ["keys"],
    summary: "Remove your stored key for a provider",
    request: jsonBody(z.object({ provider_key: ProviderKeyField })),
    responses: { 200: jsonResponse(OkSchema, "Removed"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const provider = await providerByKey(c.var.db, userId, c.req.valid("json").provider_key);
    const removed = await c.var.db
      .delete(userApiKeys)
      .where(and(eq(userApiKeys.userId, userId), eq(userApiKeys.providerId, provider.id)))
      .returning({ id: userApiKeys.id });
    if (!removed.length) throw notFound("Key");
    await audit(c, { action: "api_key_delete", userId, resourceType: "provider", resourceId: provider.id });
    notifyUser(c, { type: "config_changed", scope: "keys" });
    return c.json({ status: "ok" as const }, 200);
  },
);
