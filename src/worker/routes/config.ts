/**
 * /api/config: the user's benchmark defaults together with every provider and its models (the original's baseline
 * path), and saving the defaults. Providers and models are routes/providers.ts; prompt templates routes/prompts.ts.
 */
import { z } from "@hono/zod-openapi";
import { DEFAULT_BENCHMARK_SETTINGS } from "../../shared/catalogue.ts";
import { BenchmarkDefaultsSchema } from "../../shared/settings.ts";
import { listModels, listProviders, ModelSchema, ProviderSchema } from "../config/providers.ts";
import { readSection, writeSection } from "../config/settings.ts";
import { errors, jsonBody, jsonResponse, newRouter, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";

const ConfigResponse = z.object({
  defaults: BenchmarkDefaultsSchema,
  providers: z.array(ProviderSchema.extend({ models: z.array(ModelSchema) })),
});

export const configRoutes = newRouter();

async function readDefaults(c: { var: { db: Parameters<typeof readSection>[0]; user: { id: string } } }) {
  const saved = await readSection(c.var.db, c.var.user.id, "benchmark_defaults", {});
  return BenchmarkDefaultsSchema.parse({ ...DEFAULT_BENCHMARK_SETTINGS, ...saved });
}

configRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "getConfig",
    auth: "user",
    tags: ["config"],
    summary: "Benchmark defaults and every provider with its models",
    responses: { 200: jsonResponse(ConfigResponse, "The user's configuration"), 401: errors[401] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const [defaults, providerList, modelList] = await Promise.all([
      readDefaults(c),
      listProviders(c.env, c.var.db, userId),
      listModels(c.var.db, userId),
    ]);
    const withModels = providerList.map((p) => ({ ...p, models: modelList.filter((m) => m.provider_id === p.id) }));
    return c.json({ defaults, providers: withModels }, 200);
  },
);

configRoutes.openapi(
  route({
    method: "put",
    path: "/defaults",
    operationId: "updateBenchmarkDefaults",
    auth: "user",
    tags: ["config"],
    summary: "Save benchmark defaults (merged over the current ones)",
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
