/**
 * /api/jobs and /api/user/rate-limit. Lists read D1's write-through copy of the registry (so they work across
 * users for admin views too); cancellation goes to the owner's hub, which owns the state machine.
 */
import { z } from "@hono/zod-openapi";
import { and, desc, eq, inArray } from "drizzle-orm";
import { JobViewSchema } from "../../shared/events.ts";
import { ACTIVE_STATUSES, JOB_STATUSES, type JobStatus, type JobType, type JobView } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { jobs } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, badRequest, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonResponse, newRouter, route } from "../lib/http.ts";
import { hubFor } from "../lib/hub.ts";

export const JobSchema = JobViewSchema;

export function jobView(r: typeof jobs.$inferSelect): JobView {
  return {
    id: r.id,
    job_type: r.jobType,
    status: r.status,
    progress_pct: r.progressPct,
    progress_detail: r.progressDetail,
    params: (r.params ?? {}) as Record<string, unknown>,
    result_ref: r.resultRef,
    error_class: r.errorClass,
    error_msg: r.errorMsg,
    created_at: r.createdAt,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    timeout_at: r.timeoutAt,
    timeout_seconds: r.timeoutSeconds,
    error_count: r.errorCount,
  };
}

export async function ownedJob(db: Db, userId: string, id: string) {
  const row = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.userId, userId)))
    .get();
  if (!row) throw notFound("Job");
  return row;
}

/** Cancels through the owner's hub; 400 when the job has already finished. */
export async function cancelThroughHub(env: Env, userId: string, jobId: string) {
  const result = await hubFor(env, userId).cancelJob(userId, jobId);
  if (!result.ok) {
    if (result.code === "not_found") throw notFound("Job");
    throw new ApiError(400, "bad_request", result.message);
  }
  return result;
}

/** A run whose job is still queued or running can't be deleted: the user cancels it first (400 saying so). */
export async function refuseWhileActive(db: Db, jobId: string | null, what: string): Promise<void> {
  if (!jobId) return;
  const job = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)).get();
  if (job && ACTIVE_STATUSES.includes(job.status)) throw badRequest(`Cancel the running ${what} before deleting it`);
}

/** Cancels the given job of this type, or the user's latest active one; 404 when there is none. */
export async function cancelJobOfType(env: Env, db: Db, userId: string, jobType: JobType, jobId?: string): Promise<string> {
  const row = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      jobId
        ? and(eq(jobs.id, jobId), eq(jobs.userId, userId), eq(jobs.jobType, jobType))
        : and(eq(jobs.userId, userId), eq(jobs.jobType, jobType), inArray(jobs.status, [...ACTIVE_STATUSES])),
    )
    .orderBy(desc(jobs.createdAt))
    .get();
  if (!row) throw notFound(`Active ${jobType} job`);
  await cancelThroughHub(env, userId, row.id);
  return row.id;
}

const ListQuery = z.object({
  status: z
    .string()
    .max(200)
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const parts = s
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
      for (const p of parts) {
        if (!(JOB_STATUSES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: "custom", message: `Unknown status "${p}"` });
          return z.NEVER;
        }
      }
      return parts as JobStatus[];
    }),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/** Mounted at /api/jobs. */
export const jobRoutes = newRouter();
/** Mounted at /api/user. */
export const rateLimitRoutes = newRouter();

jobRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listJobs",
    auth: "user",
    tags: ["jobs"],
    summary: "Your jobs, newest first, optionally filtered by status",
    request: { query: ListQuery },
    responses: { 200: jsonResponse(z.object({ jobs: z.array(JobSchema) }), "Jobs, newest first"), 400: errors[400] },
  }),
  async (c) => {
    const { status, limit } = c.req.valid("query");
    const where = status ? and(eq(jobs.userId, c.var.user.id), inArray(jobs.status, status)) : eq(jobs.userId, c.var.user.id);
    const rows = await c.var.db.select().from(jobs).where(where).orderBy(desc(jobs.createdAt)).limit(limit);
    return c.json({ jobs: rows.map(jobView) }, 200);
  },
);

jobRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getJob",
    auth: "user",
    tags: ["jobs"],
    summary: "One job",
    request: { params: IdParam },
    responses: { 200: jsonResponse(JobSchema, "The job"), 404: errors[404] },
  }),
  async (c) => c.json(jobView(await ownedJob(c.var.db, c.var.user.id, c.req.valid("param").id)), 200),
);

jobRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/cancel",
    operationId: "cancelJob",
    auth: "user",
    tags: ["jobs"],
    summary: "Cancel a job (400 when it has already finished)",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(z.object({ status: z.literal("ok"), message: z.string() }), "Cancelled"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const job = await ownedJob(c.var.db, c.var.user.id, c.req.valid("param").id);
    await cancelThroughHub(c.env, c.var.user.id, job.id);
    await audit(c, { action: "job_cancel", userId: c.var.user.id, resourceType: "job", resourceId: job.id });
    return c.json({ status: "ok" as const, message: "Job cancelled" }, 200);
  },
);

rateLimitRoutes.openapi(
  route({
    method: "get",
    path: "/rate-limit",
    operationId: "getRateLimit",
    auth: "user",
    tags: ["jobs"],
    summary: "How many jobs you can still submit this hour",
    responses: {
      200: jsonResponse(
        z.object({ limit: z.number().int(), remaining: z.number().int(), window: z.literal("1 hour"), resets_at: z.string().nullable() }),
        "Jobs left this hour",
      ),
    },
  }),
  async (c) => {
    const s = await hubFor(c.env, c.var.user.id).rateLimitStatus(c.var.user.id);
    return c.json({ limit: s.limit, remaining: s.remaining, window: "1 hour" as const, resets_at: s.resets_at }, 200);
  },
);
