/**
 * HTTP building blocks shared by every route module: the app's context types, an OpenAPIHono factory (one
 * sub-app per resource) whose validation failures become the standard 400 envelope, `route()` to declare an
 * operation with its auth level, and small helpers to declare request/response schemas.
 */
import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import { type AuthLevel, auth } from "../auth/middleware.ts";
import type { AppEnv } from "./app-env.ts";
import { ApiError, type ErrorDetail, errorBody } from "./errors.ts";

export type { AppEnv, AppVariables } from "./app-env.ts";

export function zodIssuesToDetails(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): ErrorDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

/** A resource's sub-app; app.ts mounts it at the resource's prefix, so its paths are relative to that. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const err = new ApiError(400, "validation_failed", "Invalid request", zodIssuesToDetails(result.error.issues));
        return c.json(errorBody(err, c.get("requestId")), 400);
      }
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.string(),
    code: z.string(),
    request_id: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

/** Standard error responses to attach to a route's `responses` (documentation only; onError renders them). */
export const errors = {
  400: errorResponse("Invalid input"),
  401: errorResponse("Not authenticated"),
  403: errorResponse("Not allowed"),
  404: errorResponse("Not found (or owned by another user)"),
  409: errorResponse("Conflict"),
  429: errorResponse("Too many requests"),
} as const;

export function jsonBody<T extends z.ZodType>(schema: T, description = "JSON body") {
  return { body: { content: { "application/json": { schema } }, required: true, description } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

export const OkSchema = z.object({ status: z.literal("ok") }).openapi("Ok");

/** An absolute http(s) URL with a host (provider base URLs, MCP servers). */
export const HttpUrl = z.url({ protocol: /^https?$/, hostname: /.+/, error: "Must be an http:// or https:// URL with a host" }).max(2048);

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const bearerSecurity = [{ Bearer: [] as string[] }];

/** An operation as route modules declare it: who may call it, a stable operationId and a summary are required. */
export type RouteSpec = Omit<RouteConfig, "security" | "middleware" | "operationId" | "summary"> & {
  /** No default: a route is public only if it says so (app.ts also treats an undeclared route as "user"). */
  auth: AuthLevel;
  /** camelCase, unique in the document; generated clients name their methods after it. */
  operationId: string;
  summary: string;
};

/**
 * `createRoute` with the auth level declared: attaches the level's middleware to this route only (it runs before
 * the validators), documents `security` (`[]` when public) and the 401/403 the middleware can answer.
 */
export function route<P extends string, R extends Omit<RouteSpec, "path"> & { path: P }>(spec: R) {
  const { auth: level, ...config } = spec;
  const denied = level === "public" ? {} : level === "user" ? { 401: errors[401] } : { 401: errors[401], 403: errors[403] };
  return createRoute({
    ...config,
    responses: { ...denied, ...config.responses } as R["responses"],
    security: level === "public" ? [] : bearerSecurity,
    middleware: auth(level),
  });
}

/** How deeply arrays/objects nest in a JSON text (strings skipped), without parsing it. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \\ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) max = Math.max(max, ++depth);
    else if (ch === 93 /* ] */ || ch === 125 /* } */) depth--;
  }
  return max;
}
