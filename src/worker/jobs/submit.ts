/**
 * The one submit path of every job kind: plan, insert the run row, submit to the owner's hub (which broadcasts
 * the kind's init events before it queues any work), link the run to its job, audit. A refused job (the hourly
 * limit) leaves no run behind.
 */

import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { ServerEvent } from "../../shared/events.ts";
import type { JobStatus, JobView } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { type AuditEntry, audit } from "../lib/audit.ts";
import { ApiError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http.ts";
import { hubFor } from "../lib/hub.ts";
import { newId } from "../lib/ids.ts";
import type { JobKind, PlanOrigin } from "./kind.ts";

export interface Submitted {
  job_id: string;
  status: "submitted";
  /** The job's state right after submission: `running`, or `queued` behind the user's other jobs. */
  job_status: JobStatus;
  [field: string]: unknown;
}

export async function submitJob<Request>(c: Context<AppEnv>, kind: JobKind<Request>, request: Request): Promise<Submitted> {
  return submitJobAs({ env: c.env, db: c.var.db, userId: c.var.user.id, audit: (entry) => audit(c, entry) }, kind, request);
}

/** Who submits, outside a request too: a schedule's timer submits from the queue consumer (schedules/fire.ts). */
export interface SubmitContext {
  env: Env;
  db: Db;
  userId: string;
  audit(entry: AuditEntry): Promise<void>;
  /** The schedule a scheduled run belongs to: its run row is marked `source: schedule` with the id. */
  origin?: PlanOrigin;
}

export async function submitJobAs<Request>(ctx: SubmitContext, kind: JobKind<Request>, request: Request): Promise<Submitted> {
  const { env, db, userId } = ctx;
  const jobId = newId();
  const runId = newId();
  const plan = await kind.plan({ env, db, userId, jobId, runId, ...(ctx.origin ? { origin: ctx.origin } : {}) }, request);
  await db.insert(kind.runTable).values({ ...plan.runRow, id: runId, userId });
  const hub = hubFor(env, userId);
  const result = await hub.submitJob(userId, {
    jobId,
    jobType: kind.type,
    params: plan.params,
    groups: plan.groups,
    workTotal: plan.workTotal,
    resultRef: runId,
    progressDetail: plan.progressDetail,
    initEvents: plan.initEvents.map((e) => ({ ...e, job_id: jobId }) as ServerEvent),
  });
  const job = "job" in result ? result.job : null; // the RPC stub's type loses the union's narrowing
  if (!job) {
    await db.delete(kind.runTable).where(eq(kind.runTable.id, runId));
    const refusal = result as Extract<typeof result, { ok: false }>;
    throw new ApiError(429, "rate_limited", refusal.message, undefined, { "Retry-After": String(refusal.retryAfterSeconds) });
  }
  // Linked after submission: job_id references the registry's D1 copy, which the hub wrote while submitting.
  await db.update(kind.runTable).set({ jobId }).where(eq(kind.runTable.id, runId));
  await ctx.audit({
    action: plan.audit.action,
    userId,
    resourceType: plan.audit.resourceType,
    resourceId: runId,
    detail: { job_id: jobId, ...plan.audit.detail, ...(ctx.origin ? { schedule_id: ctx.origin.scheduleId } : {}) },
  });
  return { ...plan.response, job_id: jobId, status: "submitted", job_status: (job as JobView).status };
}
