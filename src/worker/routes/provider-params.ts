/** /api/provider-params: the three-tier parameter registry and a validator the UI calls before a run. */
import { z } from "@hono/zod-openapi";
import { PROVIDER_PARAM_REGISTRY, validateParams } from "../../shared/provider-params.ts";
import { errors, jsonBody, jsonResponse, newRouter, route } from "../lib/http.ts";

const ValidateBody = z
  .object({
    provider_key: z.string().min(1).max(64).optional(),
    model_id: z.string().min(1).max(256),
    params: z.record(z.string(), z.unknown()),
  })
  .strict();

const ValidationResult = z.object({
  valid: z.boolean(),
  has_warnings: z.boolean(),
  adjustments: z.array(z.object({ param: z.string(), original: z.unknown(), adjusted: z.unknown(), action: z.string(), reason: z.string() })),
  warnings: z.array(z.string()),
  resolved_params: z.record(z.string(), z.unknown()),
  provider: z.string(),
});

export const providerParamRoutes = newRouter();

providerParamRoutes.openapi(
  route({
    method: "get",
    path: "/registry",
    operationId: "getProviderParamRegistry",
    auth: "user",
    tags: ["benchmark"],
    summary: "Supported parameters, ranges, defaults and conflict rules per provider",
    responses: { 200: jsonResponse(z.object({ providers: z.record(z.string(), z.unknown()) }), "The registry"), 401: errors[401] },
  }),
  (c) => c.json({ providers: PROVIDER_PARAM_REGISTRY as Record<string, unknown> }, 200),
);

providerParamRoutes.openapi(
  route({
    method: "post",
    path: "/validate",
    operationId: "validateProviderParams",
    auth: "user",
    tags: ["benchmark"],
    summary: "What the registry would clamp, drop, rename or warn about for these parameters",
    request: jsonBody(ValidateBody),
    responses: { 200: jsonResponse(ValidationResult, "Validation result"), 400: errors[400] },
  }),
  (c) => {
    const b = c.req.valid("json");
    return c.json(validateParams(b.provider_key ?? null, b.model_id, b.params), 200);
  },
);
