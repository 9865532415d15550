/** /api/provider-catalogue: the known providers, and adding one (with its default models) back to the user's configuration. */
import { z } from "@hono/zod-openapi";
import { listProviders, ownedProvider, providerView } from "../config/providers.ts";
import { catalogueFor, providerInsert } from "../config/seed.ts";
import { isUniqueViolation } from "../db/client.ts";
import { models, providers } from "../db/schema.ts";
import { conflict, notFound } from "../lib/errors.ts";
import { errors, jsonResponse, newRouter, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { ProviderResponse } from "./providers.ts";

const KeyParam = z.object({
  key: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "key", in: "path" } }),
});
const CatalogueEntry = z.object({
  provider_key: z.string(),
  display_name: z.string(),
  api_kind: z.enum(["openai", "anthropic"]),
  api_base: z.string(),
  api_key_env: z.string().nullable(),
  is_local: z.boolean(),
  configured: z.boolean(),
});

export const catalogueRoutes = newRouter();

catalogueRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listProviderCatalogue",
    auth: "user",
    tags: ["config"],
    summary: "Known providers with their base URLs, and whether the user has each configured",
    responses: { 200: jsonResponse(z.object({ providers: z.array(CatalogueEntry) }), "Catalogue"), 401: errors[401] },
  }),
  async (c) => {
    const configured = new Set((await listProviders(c.env, c.var.db, c.var.user.id)).map((p) => p.provider_key));
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

catalogueRoutes.openapi(
  route({
    method: "post",
    path: "/{key}",
    operationId: "addCatalogueProvider",
    auth: "user",
    tags: ["config"],
    summary: "Add a catalogue provider (with its default models) back to the user's configuration",
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
    return c.json({ provider: providerView(c.env, row, modelRows.length) }, 201);
  },
);
