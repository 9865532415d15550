/**
 * /api/capacity: start a capacity probe (one job, the levels of each target in turn), see its estimate first,
 * cancel it (finished levels are kept), and read probes back: the list, one probe with every level's figures,
 * knee, SLO limit and achieved concurrency over time, and exports (CSV per level; JSON with the raw samples).
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import {
  CapacityEstimateSchema,
  CapacityRequestSchema,
  type CapacityRunDetail,
  CapacityRunDetailSchema,
  CapacityRunSummarySchema,
  CapacitySampleSchema,
} from "../../shared/capacity.ts";
import { capacityJob, estimateCapacity } from "../capacity/job.ts";
import { ownedCapacityRun, runDetail, runSummaries, samplesOf } from "../capacity/store.ts";
import { capacityRuns } from "../db/schema.ts";
import { type Cell, csvResponse, toCsv } from "../export/csv.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { type AppEnv, errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { cancelJobOfType, refuseWhileActive } from "./jobs.ts";

const Request = CapacityRequestSchema.openapi("CapacityRequest");
const Submitted = z
  .object({ job_id: z.string(), run_id: z.string(), status: z.literal("submitted"), job_status: z.string(), seed: z.number().int() })
  .openapi("CapacitySubmitted");
const Cancelled = z.object({ status: z.literal("ok"), job_id: z.string() });
const JobIdParam = z.object({
  job_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "job_id", in: "path" } }),
});

/** Mounted at /api/capacity. */
export const capacityRoutes = newRouter();

capacityRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "startCapacityProbe",
    auth: "user",
    tags: ["capacity"],
    summary:
      "Probe how models hold up as concurrency grows (a ladder of levels, closed or open loop, under your SLO); progress streams over the WebSocket",
    request: jsonBody(Request),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, capacityJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

capacityRoutes.openapi(
  route({
    method: "post",
    path: "/estimate",
    operationId: "estimateCapacityProbe",
    auth: "user",
    tags: ["capacity"],
    summary: "What a probe would send at most: requests, input and output tokens (output at max_tokens) and cost (null when a price is unknown)",
    request: jsonBody(Request),
    responses: { 200: jsonResponse(CapacityEstimateSchema.openapi("CapacityEstimate"), "The estimate"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => c.json(await estimateCapacity(c.var.db, c.var.user.id, c.req.valid("json")), 200),
);

/** Cancels the user's probe `jobId` (or their most recent active one) through the hub, and audits it. */
async function cancel(c: Context<AppEnv>, jobId: string | undefined) {
  const userId = c.var.user.id;
  const id = await cancelJobOfType(c.env, c.var.db, userId, "capacity", jobId);
  await audit(c, { action: "capacity_cancel", userId, resourceType: "job", resourceId: id });
  return id;
}

capacityRoutes.openapi(
  route({
    method: "post",
    path: "/cancel",
    operationId: "cancelCapacityProbe",
    auth: "user",
    tags: ["capacity"],
    summary: "Cancel a probe (without job_id: your most recent active one); finished levels are kept",
    request: jsonBody(z.object({ job_id: z.string().min(1).max(64).optional() }).strict()),
    responses: { 200: jsonResponse(Cancelled, "Cancelled"), 404: errors[404] },
  }),
  async (c) => c.json({ status: "ok" as const, job_id: await cancel(c, c.req.valid("json").job_id) }, 200),
);

capacityRoutes.openapi(
  route({
    method: "post",
    path: "/{job_id}/cancel",
    operationId: "cancelCapacityProbeById",
    auth: "user",
    tags: ["capacity"],
    summary: "Cancel this probe; finished levels are kept",
    request: { params: JobIdParam },
    responses: { 200: jsonResponse(Cancelled, "Cancelled"), 404: errors[404] },
  }),
  async (c) => c.json({ status: "ok" as const, job_id: await cancel(c, c.req.valid("param").job_id) }, 200),
);

capacityRoutes.openapi(
  route({
    method: "get",
    path: "/history",
    operationId: "listCapacityProbes",
    auth: "user",
    tags: ["capacity"],
    summary: "Stored probes, newest first, with each target's knee and highest level meeting the SLO",
    request: {
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0) }),
    },
    responses: { 200: jsonResponse(z.object({ runs: z.array(CapacityRunSummarySchema) }).openapi("CapacityRunList"), "Probes, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    return c.json({ runs: await runSummaries(c.var.db, c.var.user.id, limit, offset) }, 200);
  },
);

capacityRoutes.openapi(
  route({
    method: "get",
    path: "/history/{id}",
    operationId: "getCapacityProbe",
    auth: "user",
    tags: ["capacity"],
    summary: "One probe: per target every level's figures, the knee, the highest level meeting the SLO, why it stopped, and concurrency over time",
    request: { params: IdParam },
    responses: { 200: jsonResponse(CapacityRunDetailSchema.openapi("CapacityRunDetail"), "The probe"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedCapacityRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json(await runDetail(c.var.db, run), 200);
  },
);

capacityRoutes.openapi(
  route({
    method: "delete",
    path: "/history/{id}",
    operationId: "deleteCapacityProbe",
    auth: "user",
    tags: ["capacity"],
    summary: "Delete a probe with its levels and samples (a running one must be cancelled first)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedCapacityRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    await refuseWhileActive(c.var.db, run.jobId, "probe");
    await c.var.db.delete(capacityRuns).where(eq(capacityRuns.id, run.id));
    return c.json({ status: "ok" as const }, 200);
  },
);

const LEVEL_COLUMNS = [
  "provider_key",
  "model_id",
  "level",
  "requested_concurrency",
  "achieved_concurrency_mean",
  "achieved_concurrency_min",
  "concurrency_short",
  "send_skew_ms_p95",
  "requests",
  "ok",
  "errors",
  "rate_limited",
  "error_share",
  "rate_limited_share",
  "ttft_ms_p50",
  "ttft_ms_p95",
  "ttft_ms_p99",
  "itl_ms_p50",
  "itl_ms_p95",
  "itl_ms_p99",
  "e2e_ms_p50",
  "e2e_ms_p95",
  "e2e_ms_p99",
  "output_tps_per_request_p50",
  "aggregate_output_tps",
  "requests_per_s",
  "goodput_rps",
  "slo_met",
  "duration_s",
] as const;

function levelCsv(detail: CapacityRunDetail): string {
  const rows = detail.targets.flatMap((t) =>
    t.levels.map((l): Cell[] => {
      const flat: Record<string, Cell> = { ...l, ttft_ms: null, itl_ms: null, e2e_ms: null } as never;
      for (const k of ["ttft_ms", "itl_ms", "e2e_ms"] as const) for (const p of ["p50", "p95", "p99"] as const) flat[`${k}_${p}`] = l[k][p];
      return LEVEL_COLUMNS.map((col) => flat[col]);
    }),
  );
  return toCsv(LEVEL_COLUMNS, rows);
}

capacityRoutes.openapi(
  route({
    method: "get",
    path: "/history/{id}/export",
    operationId: "exportCapacityProbe",
    auth: "user",
    tags: ["capacity"],
    summary: "Download a probe: CSV with one row per level and target, or JSON with the probe and every raw sample",
    request: { params: IdParam, query: z.object({ format: z.enum(["csv", "json"]).default("csv") }) },
    responses: {
      200: {
        description: "capacity_<id>.csv or .json",
        content: {
          "text/csv": { schema: z.string() },
          "application/json": {
            schema: z.object({ run: CapacityRunDetailSchema, samples: z.array(CapacitySampleSchema) }).openapi("CapacityExport"),
          },
        },
      },
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const run = await ownedCapacityRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    const detail = await runDetail(c.var.db, run);
    if (c.req.valid("query").format === "csv") return csvResponse(levelCsv(detail), `capacity_${run.id}.csv`) as never;
    const body = JSON.stringify({ run: detail, samples: await samplesOf(c.var.db, run.id) });
    return new Response(body, {
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="capacity_${run.id}.json"` },
    }) as never;
  },
);
