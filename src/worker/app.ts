/**
 * The Hono application: cross-cutting middleware (request id, JSON logs, security headers, optional CORS,
 * body limit), the route modules, the OpenAPI document and the error envelope.
 */

import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { auth, denyUndeclared } from "./auth/middleware.ts";
import { constraintViolation, makeDb } from "./db/client.ts";
import { ApiError, errorBody } from "./lib/errors.ts";
import { jsonNestingDepth, newRouter, zodIssuesToDetails } from "./lib/http.ts";
import { newId } from "./lib/ids.ts";
import { describeError, makeLogger } from "./lib/log.ts";
import { d1LogSink } from "./lib/log-store.ts";
import { onboardingRoutes, settingsRoutes } from "./routes/account.ts";
import { adminRoutes } from "./routes/admin.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { authRoutes } from "./routes/auth.ts";
import { benchmarkHistoryRoutes, benchmarkRoutes } from "./routes/benchmark.ts";
import { capacityRoutes } from "./routes/capacity.ts";
import { catalogueRoutes } from "./routes/catalogue.ts";
import { configRoutes } from "./routes/config.ts";
import { diagnosticsRoutes } from "./routes/diagnostics.ts";
import { backendDetectionRoutes, modelDiscoveryRoutes } from "./routes/discovery.ts";
import { experimentRoutes } from "./routes/experiments.ts";
import { exportRoutes, importRoutes } from "./routes/export.ts";
import { healthRoutes } from "./routes/health.ts";
import { jobRoutes, rateLimitRoutes } from "./routes/jobs.ts";
import { judgeRoutes } from "./routes/judge.ts";
import { keyRoutes } from "./routes/keys.ts";
import { mcpRoutes } from "./routes/mcp.ts";
import { paramTuneRoutes } from "./routes/param-tune.ts";
import { promptTuneRoutes } from "./routes/prompt-tune.ts";
import { promptRoutes } from "./routes/prompts.ts";
import { providerParamRoutes } from "./routes/provider-params.ts";
import { modelRoutes, providerRoutes } from "./routes/providers.ts";
// Sharing (issue 16)
import { alertRoutes, scheduleRoutes } from "./routes/schedules.ts";
import { sharedRoutes, shareRoutes } from "./routes/shares.ts";
import { socketRoutes } from "./routes/socket.ts";
import { suiteExportRoutes, suiteImportRoutes } from "./routes/suite-io.ts";
import { evalExportRoutes, toolEvalRoutes } from "./routes/tool-eval.ts";
import { toolSuiteRoutes } from "./routes/tool-suites.ts";

/** Large enough for a 500,000-character benchmark prompt; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/**
 * Deeper JSON is refused before parsing: JSON.stringify (storing, answering) and the validators recurse, so a
 * 2 MB body of brackets overflows the stack. The deepest legitimate body, a tool suite whose JSON Schemas nest
 * to their limit (12), is about 30 levels.
 */
export const MAX_JSON_DEPTH = 64;

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cache-Control": "no-store",
};

/** The document's tags: every operation has one of these (route-table.test.ts checks). */
export const API_TAGS = [
  { name: "auth", description: "Accounts, sessions, CLI tokens and WebSocket tickets" },
  { name: "account", description: "Onboarding state and feature settings" },
  { name: "keys", description: "Your provider API keys: stored encrypted, never returned" },
  { name: "config", description: "Benchmark defaults, providers and models, the provider catalogue, prompt templates" },
  { name: "benchmark", description: "Speed benchmarks and their stored runs, provider parameters, provider health probes" },
  { name: "jobs", description: "Jobs (benchmarks and evaluations) and the hourly job limit" },
  { name: "tool-eval", description: "Tool suites and test cases, their import and export, MCP servers, evaluations" },
  { name: "tuners", description: "Parameter tuning on a suite: grid, seeded random and successive halving, with significance" },
  { name: "diagnostics", description: "End-to-end checks of a deployment" },
  // capacity probe (issue 18)
  { name: "capacity", description: "Capacity probes: latency, throughput and goodput as concurrency grows, the knee and the SLO limit" },
  // admin console (issue 16)
  { name: "admin", description: "Admin only: accounts, roles and limits, the audit log, all users' jobs, system state, logs, shared provider keys" },
  // Sharing (issue 16)
  { name: "shares", description: "Read-only shares of runs: links (no sign-in) and named accounts; revocable, audited" },
  // Experiments (issue 14)
  { name: "experiments", description: "Experiments on a suite: linked evals and tunes, baseline and best, a timeline with significance, run best" },
  // analytics and export/import (issue 15)
  { name: "schedules", description: "Scheduled benchmarks and tool evals (interval or cron in a time zone), their trends and regression alerts" },
  { name: "analytics", description: "Leaderboards, trends, run compare and the Pareto view, computed in D1; CSV exports" },
];

/**
 * The OpenAPI 3.1 document of `app` (served at /api/openapi.json; `npm run openapi` writes it to a file). The
 * server is relative: every path is absolute from the origin that serves the document.
 */
export function openApiDocument(app: ReturnType<typeof newRouter>, version: string) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "LLM Benchmark Studio API",
      version,
      description: "Speed benchmarks and tool-calling evaluations of LLMs. Errors are `{ error, code, request_id, details? }`.",
    },
    servers: [{ url: "/", description: "The deployment serving this document" }],
    tags: API_TAGS,
  });
}

/** waitUntil when the request has an execution context (app.request() in unit tests has none). */
function keepAlive(c: { executionCtx: { waitUntil(p: Promise<unknown>): void } }, p: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(p);
  } catch {
    // no execution context: the promise still runs, just without an extension of the request's lifetime
  }
}

export function buildApp() {
  const app = newRouter();

  app.use("*", async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : newId().slice(0, 16);
    const log = makeLogger(
      c.env.LOG_LEVEL,
      { request_id: requestId },
      d1LogSink(c.env.DB, (p) => keepAlive(c, p)),
    );
    c.set("requestId", requestId);
    c.set("log", log);
    c.set("db", makeDb(c.env.DB));
    const started = Date.now();
    await next();
    c.header("X-Request-ID", requestId);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(k)) c.header(k, v);
    if (c.req.path !== "/healthz") {
      const status = c.res.status;
      const fields = { method: c.req.method, path: c.req.path, status, duration_ms: Date.now() - started };
      if (status >= 500) c.var.log.error("request", fields);
      else if (status >= 400) c.var.log.warn("request", fields);
      else c.var.log.info("request", fields);
    }
  });

  // CORS stays off unless CORS_ORIGINS lists origins (same-origin needs none).
  app.use("/api/*", async (c, next) => {
    const origins = (c.env.CORS_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (!origins.length) return next();
    return cors({ origin: origins, credentials: true, allowHeaders: ["Authorization", "Content-Type"] })(c, next);
  });

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(400, "body_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.use("/api/*", async (c, next) => {
    if (c.req.raw.body && /json/i.test(c.req.header("content-type") ?? "")) {
      const depth = jsonNestingDepth(await c.req.text()); // cached: the validators parse the same text
      if (depth > MAX_JSON_DEPTH) {
        throw new ApiError(400, "validation_failed", `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, [
          { path: "(body)", message: `nested ${depth} levels deep` },
        ]);
      }
    }
    await next();
  });

  // Deny by default: a route that declared no auth level (see auth/middleware.ts) is treated as "user".
  app.use("*", denyUndeclared);

  app.get("/healthz", auth("public"), (c) => c.json({ status: "ok", version: c.env.APP_VERSION ?? "dev" }));

  // One sub-app per resource, at its own prefix; each route inside declares its auth level (no path lists).
  app.route("/api/auth", authRoutes);
  app.route("/api/onboarding", onboardingRoutes);
  app.route("/api/settings", settingsRoutes);
  app.route("/api/keys", keyRoutes);
  app.route("/api/config", configRoutes);
  app.route("/api/config/prompts", promptRoutes);
  app.route("/api/v2/providers", providerRoutes);
  app.route("/api/v2/models", modelRoutes);
  app.route("/api/provider-catalogue", catalogueRoutes);
  app.route("/api/provider-params", providerParamRoutes);
  app.route("/api/health", healthRoutes);
  app.route("/api/benchmark", benchmarkRoutes);
  app.route("/api/history", benchmarkHistoryRoutes);
  app.route("/api/jobs", jobRoutes);
  app.route("/api/user", rateLimitRoutes);
  app.route("/api/tool-suites", toolSuiteRoutes);
  app.route("/api/tool-suites", suiteExportRoutes);
  app.route("/api/tool-eval/import", suiteImportRoutes);
  app.route("/api/tool-eval/param-tune", paramTuneRoutes);
  app.route("/api/tool-eval/judge", judgeRoutes);
  app.route("/api/tool-eval/prompt-tune", promptTuneRoutes);
  app.route("/api/tool-eval", toolEvalRoutes);
  app.route("/api/export/eval", evalExportRoutes);
  app.route("/api/mcp", mcpRoutes);
  app.route("/api/diagnostics", diagnosticsRoutes);
  app.route("/ws", socketRoutes);
  // admin console (issue 16)
  app.route("/api/admin", adminRoutes);
  // Sharing (issue 16)
  app.route("/api/shares", shareRoutes);
  app.route("/api/shared", sharedRoutes);
  // Experiments (issue 14)
  app.route("/api/experiments", experimentRoutes);
  // analytics and export/import (issue 15)
  app.route("/api/analytics", analyticsRoutes);
  app.route("/api/export", exportRoutes);
  // schedules and regression alerts (issue 15)
  app.route("/api/schedules", scheduleRoutes);
  app.route("/api/alerts", alertRoutes);
  // capacity probe (issue 18)
  app.route("/api/capacity", capacityRoutes);
  app.route("/api/import", importRoutes);
  // Discovery and health (issue 16): model lists and local backend detection at the original's paths
  app.route("/api/models", modelDiscoveryRoutes);
  app.route("/api/lm-studio", backendDetectionRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.get("/api/openapi.json", auth("public"), (c) => c.json(openApiDocument(app, c.env.APP_VERSION ?? "dev")));

  app.notFound((c) => c.json(errorBody(new ApiError(404, "not_found", "Route not found"), c.get("requestId")), 404));

  app.onError((err, c) => {
    const requestId = c.get("requestId") ?? "unknown";
    let apiError: ApiError;
    const violation = constraintViolation(err);
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof ZodError) apiError = new ApiError(400, "validation_failed", "Invalid request", zodIssuesToDetails(err.issues));
    else if (err instanceof HTTPException && err.status < 500) {
      const malformed = /malformed json/i.test(err.message);
      apiError = new ApiError(
        err.status as 400,
        malformed ? "invalid_json" : "bad_request",
        malformed ? "Malformed JSON in request body" : err.message || "Bad request",
      );
    } else if (violation) {
      // Safety net: input the schemas let through reached a D1 constraint. The client gets a 400/409 without
      // any SQL; the log says which constraint, as an error, because the schema that let it through needs fixing.
      c.get("log")?.error("constraint violation", { kind: violation.kind, target: violation.target, method: c.req.method, path: c.req.path });
      apiError =
        violation.kind === "unique"
          ? new ApiError(409, "conflict", "The request conflicts with an existing record")
          : violation.kind === "foreign_key"
            ? new ApiError(409, "conflict", "The request refers to a record that no longer exists")
            : new ApiError(400, "validation_failed", "Invalid request: a value is missing or not allowed");
    } else {
      c.get("log")?.error("unhandled error", describeError(err));
      apiError = new ApiError(500, "internal", "Internal server error");
    }
    const res = c.json(errorBody(apiError, requestId), apiError.status);
    for (const [k, v] of Object.entries(apiError.headers ?? {})) res.headers.set(k, v);
    return res;
  });

  return app;
}
