/**
 * /api/admin: the operator's console (original-inventory §5.12). Every route is admin-only; every change an admin
 * makes is audited (`admin_*` actions). Cross-user reads use D1 (the hubs write their jobs and socket counts
 * through); a change to another user's job goes through that user's hub, which owns the job's state machine.
 */
import { z } from "@hono/zod-openapi";
import { type AnyColumn, and, count, desc, eq, gte, lte, or, type SQL, sql } from "drizzle-orm";
import { PROVIDER_CATALOGUE } from "../../shared/catalogue.ts";
import { ACTIVE_STATUSES } from "../../shared/jobs.ts";
import { normalizeUrl } from "../config/operator-keys.ts";
import { listSharedKeys, openSharedKey, sharedKeyOwner } from "../config/shared-keys.ts";
import { auditLog, hubSockets, jobs, logEvents, rateLimits, sharedProviderKeys, users } from "../db/schema.ts";
import { LIMIT_RANGES, userLimits } from "../jobs/limits.ts";
import { audit } from "../lib/audit.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { errors, HttpUrl, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { hubFor } from "../lib/hub.ts";
import { isoNow } from "../lib/ids.ts";
import { sealSecret } from "../lib/vault.ts";
import { cancelThroughHub, JobSchema, jobView } from "./jobs.ts";

export const adminRoutes = newRouter();

const TAGS = ["admin"];
const DAY_MS = 24 * 3600 * 1000;
/** Hubs asked at once when confirming socket counts (each call wakes one Durable Object). */
const SOCKET_CHECK_BATCH = 50;

/** `LIKE` treats % and _ as wildcards; a search for them must match them literally. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
const likeEscaped = (column: SQL | AnyColumn, text: string) => sql`${column} LIKE ${likeContains(text)} ESCAPE '\\'`;

const Paging = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
const IsoTime = z.iso.datetime({ offset: true, error: "An ISO-8601 date-time, e.g. 2026-12-01T00:00:00Z" });
const toIso = (s: string) => new Date(s).toISOString();

// ---------------------------------------------------------------- users

const AdminUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(["admin", "user"]),
    created_at: z.string(),
    last_login: z.string().nullable(),
    benchmark_count: z.number().int(),
    eval_count: z.number().int(),
    job_count: z.number().int(),
    key_count: z.number().int(),
    active_jobs: z.number().int(),
    is_self: z.boolean(),
  })
  .openapi("AdminUser");

const LimitsSchema = z
  .object({
    benchmarks_per_hour: z.number().int(),
    max_concurrent: z.number().int(),
    max_runs_per_benchmark: z.number().int(),
    is_default: z.boolean(),
    updated_at: z.string().nullable(),
  })
  .openapi("UserLimits");

const limitField = (name: keyof typeof LIMIT_RANGES) => z.number().int().min(LIMIT_RANGES[name].min).max(LIMIT_RANGES[name].max).optional();
const LimitsUpdate = z
  .object({
    benchmarks_per_hour: limitField("benchmarks_per_hour"),
    max_concurrent: limitField("max_concurrent"),
    max_runs_per_benchmark: limitField("max_runs_per_benchmark"),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { error: "Give at least one limit" })
  .openapi("UserLimitsUpdate");

async function targetUser(c: { var: { db: import("../db/client.ts").Db } }, id: string) {
  const row = await c.var.db.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw notFound("User");
  return row;
}

adminRoutes.openapi(
  route({
    method: "get",
    path: "/users",
    operationId: "adminListUsers",
    auth: "admin",
    tags: TAGS,
    summary: "Every account with its last login, run, job and key counts",
    request: { query: z.object(Paging) },
    responses: { 200: jsonResponse(z.object({ users: z.array(AdminUserSchema), total: z.number().int() }), "Accounts, oldest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const active = ACTIVE_STATUSES.map((s) => `'${s}'`).join(", ");
    // Correlated counts use the per-user indexes; one round trip for the page.
    const { results } = await c.env.DB.prepare(
      `SELECT u.id, u.email, u.role, u.created_at,
         (SELECT max(a.created_at) FROM audit_log a WHERE a.user_id = u.id AND a.action = 'user_login') AS last_login,
         (SELECT count(*) FROM benchmark_runs b WHERE b.user_id = u.id) AS benchmark_count,
         (SELECT count(*) FROM tool_eval_runs t WHERE t.user_id = u.id) AS eval_count,
         (SELECT count(*) FROM jobs j WHERE j.user_id = u.id) AS job_count,
         (SELECT count(*) FROM user_api_keys k WHERE k.user_id = u.id) AS key_count,
         (SELECT count(*) FROM jobs j WHERE j.user_id = u.id AND j.status IN (${active})) AS active_jobs
       FROM users u ORDER BY u.created_at, u.id LIMIT ? OFFSET ?`,
    )
      .bind(limit, offset)
      .all<Omit<z.infer<typeof AdminUserSchema>, "is_self">>();
    const total = (await c.var.db.select({ n: count() }).from(users).get())?.n ?? 0;
    return c.json({ users: results.map((u) => ({ ...u, is_self: u.id === c.var.user.id })), total }, 200);
  },
);

adminRoutes.openapi(
  route({
    method: "put",
    path: "/users/{id}/role",
    operationId: "adminSetUserRole",
    auth: "admin",
    tags: TAGS,
    summary: "Make an account an admin or a user (not your own)",
    request: { params: IdParam, ...jsonBody(z.object({ role: z.enum(["admin", "user"]) }).strict()) },
    responses: {
      200: jsonResponse(z.object({ status: z.literal("ok"), id: z.string(), role: z.enum(["admin", "user"]) }), "Changed"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { role } = c.req.valid("json");
    if (id === c.var.user.id) throw badRequest("You cannot change your own role");
    const target = await targetUser(c, id);
    await c.var.db.update(users).set({ role, updatedAt: isoNow() }).where(eq(users.id, id));
    await audit(c, {
      action: "admin_user_update",
      userId: c.var.user.id,
      email: c.var.user.email,
      resourceType: "user",
      resourceId: id,
      detail: { email: target.email, role_before: target.role, role },
    });
    return c.json({ status: "ok" as const, id, role }, 200);
  },
);

adminRoutes.openapi(
  route({
    method: "delete",
    path: "/users/{id}",
    operationId: "adminDeleteUser",
    auth: "admin",
    tags: TAGS,
    summary: "Delete an account and everything it owns (not your own); its audit entries stay, without the user id",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    if (id === c.var.user.id) throw badRequest("You cannot delete your own account here");
    const target = await targetUser(c, id);
    // Stop the user's work first: a running job would otherwise keep calling providers for a deleted account.
    const hub = hubFor(c.env, id);
    const active = await c.var.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.userId, id), sql`${jobs.status} IN ('pending', 'queued', 'running')`));
    for (const job of active) await hub.cancelJob(id, job.id).catch(() => undefined);
    await hub.closeAllSockets("Account deleted").catch(() => undefined);
    // The foreign keys cascade everything the user owns; audit_log.user_id is ON DELETE SET NULL (entries stay).
    await c.var.db.delete(users).where(eq(users.id, id));
    await audit(c, {
      action: "admin_user_delete",
      userId: c.var.user.id,
      email: c.var.user.email,
      resourceType: "user",
      resourceId: id,
      detail: { email: target.email, cancelled_jobs: active.length },
    });
    return c.json({ status: "ok" as const }, 200);
  },
);

adminRoutes.openapi(
  route({
    method: "get",
    path: "/users/{id}/rate-limit",
    operationId: "adminGetUserLimits",
    auth: "admin",
    tags: TAGS,
    summary: "An account's job limits (jobs per hour, concurrent jobs, runs per benchmark)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(LimitsSchema, "The limits"), 404: errors[404] },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    await targetUser(c, id);
    return c.json(await userLimits(c.var.db, id), 200);
  },
);

adminRoutes.openapi(
  route({
    method: "put",
    path: "/users/{id}/rate-limit",
    operationId: "adminSetUserLimits",
    auth: "admin",
    tags: TAGS,
    summary: "Change an account's job limits; they apply to the next submission (a raised concurrency starts queued jobs)",
    request: { params: IdParam, ...jsonBody(LimitsUpdate) },
    responses: { 200: jsonResponse(LimitsSchema, "The new limits"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    await targetUser(c, id);
    const before = await userLimits(c.var.db, id);
    const next = {
      benchmarksPerHour: body.benchmarks_per_hour ?? before.benchmarks_per_hour,
      maxConcurrent: body.max_concurrent ?? before.max_concurrent,
      maxRunsPerBenchmark: body.max_runs_per_benchmark ?? before.max_runs_per_benchmark,
      updatedAt: isoNow(),
      updatedBy: c.var.user.id,
    };
    await c.var.db
      .insert(rateLimits)
      .values({ userId: id, ...next })
      .onConflictDoUpdate({ target: rateLimits.userId, set: next });
    await hubFor(c.env, id)
      .limitsChanged(id)
      .catch((err: unknown) => c.var.log.warn("hub did not take the new limits", { err: String(err) }));
    const after = await userLimits(c.var.db, id);
    await audit(c, {
      action: "admin_rate_limit",
      userId: c.var.user.id,
      email: c.var.user.email,
      resourceType: "user",
      resourceId: id,
      detail: {
        before: {
          benchmarks_per_hour: before.benchmarks_per_hour,
          max_concurrent: before.max_concurrent,
          max_runs_per_benchmark: before.max_runs_per_benchmark,
        },
        after: {
          benchmarks_per_hour: after.benchmarks_per_hour,
          max_concurrent: after.max_concurrent,
          max_runs_per_benchmark: after.max_runs_per_benchmark,
        },
      },
    });
    return c.json(after, 200);
  },
);

// ---------------------------------------------------------------- audit log

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    created_at: z.string(),
    user_id: z.string().nullable(),
    user_email: z.string().nullable(),
    action: z.string(),
    resource_type: z.string().nullable(),
    resource_id: z.string().nullable(),
    detail: z.unknown(),
    ip: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .openapi("AuditEntry");

adminRoutes.openapi(
  route({
    method: "get",
    path: "/audit",
    operationId: "adminAuditLog",
    auth: "admin",
    tags: TAGS,
    summary: "The audit log, newest first, filtered by user (id or part of the email), action and time range",
    request: {
      query: z.object({
        user: z.string().trim().max(320).optional(),
        action: z.string().trim().max(64).optional(),
        since: IsoTime.optional(),
        until: IsoTime.optional(),
        ...Paging,
      }),
    },
    responses: {
      200: jsonResponse(
        z.object({ entries: z.array(AuditEntrySchema), total: z.number().int(), actions: z.array(z.string()) }),
        "Entries, newest first, and every action name in the log",
      ),
      400: errors[400],
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const email = sql<string | null>`coalesce(${users.email}, ${auditLog.email})`;
    const where: SQL[] = [];
    if (q.user) where.push(or(eq(auditLog.userId, q.user), likeEscaped(email, q.user.toLowerCase()))!);
    if (q.action) where.push(eq(auditLog.action, q.action));
    if (q.since) where.push(gte(auditLog.createdAt, toIso(q.since)));
    if (q.until) where.push(lte(auditLog.createdAt, toIso(q.until)));
    const filter = where.length ? and(...where) : undefined;
    const rows = await c.var.db
      .select({ a: auditLog, email })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.userId))
      .where(filter)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(q.limit)
      .offset(q.offset);
    const total = (await c.var.db.select({ n: count() }).from(auditLog).leftJoin(users, eq(users.id, auditLog.userId)).where(filter).get())?.n ?? 0;
    const actions = await c.var.db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
    return c.json(
      {
        entries: rows.map(({ a, email }) => ({
          id: a.id,
          created_at: a.createdAt,
          user_id: a.userId,
          user_email: email,
          action: a.action,
          resource_type: a.resourceType,
          resource_id: a.resourceId,
          detail: a.detail ?? null,
          ip: a.ip,
          request_id: a.requestId,
        })),
        total,
        actions: actions.map((r) => r.action),
      },
      200,
    );
  },
);

// ---------------------------------------------------------------- jobs

const AdminJobSchema = JobSchema.extend({ user_id: z.string(), user_email: z.string() }).openapi("AdminJob");

adminRoutes.openapi(
  route({
    method: "get",
    path: "/jobs",
    operationId: "adminListJobs",
    auth: "admin",
    tags: TAGS,
    summary: "Every user's active jobs (pending, queued, running), oldest first",
    responses: { 200: jsonResponse(z.object({ jobs: z.array(AdminJobSchema) }), "Active jobs of all users") },
  }),
  async (c) => {
    const rows = await c.var.db
      .select({ j: jobs, email: users.email })
      .from(jobs)
      .innerJoin(users, eq(users.id, jobs.userId))
      .where(sql`${jobs.status} IN ('pending', 'queued', 'running')`)
      .orderBy(jobs.createdAt)
      .limit(1000);
    return c.json({ jobs: rows.map(({ j, email }) => ({ ...jobView(j), user_id: j.userId, user_email: email })) }, 200);
  },
);

adminRoutes.openapi(
  route({
    method: "post",
    path: "/jobs/{id}/cancel",
    operationId: "adminCancelJob",
    auth: "admin",
    tags: TAGS,
    summary: "Cancel any user's job (400 when it has already finished)",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(z.object({ status: z.literal("ok"), message: z.string() }), "Cancelled"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const job = await c.var.db.select({ userId: jobs.userId, jobType: jobs.jobType }).from(jobs).where(eq(jobs.id, id)).get();
    if (!job) throw notFound("Job");
    await cancelThroughHub(c.env, job.userId, id);
    await audit(c, {
      action: "admin_job_cancel",
      userId: c.var.user.id,
      email: c.var.user.email,
      resourceType: "job",
      resourceId: id,
      detail: { owner_id: job.userId, job_type: job.jobType },
    });
    return c.json({ status: "ok" as const, message: "Job cancelled" }, 200);
  },
);

// ---------------------------------------------------------------- stats and system

const StatsSchema = z
  .object({
    runs_24h: z.number().int(),
    runs_7d: z.number().int(),
    runs_30d: z.number().int(),
    runs_by_type_30d: z.array(z.object({ job_type: z.string(), count: z.number().int() })),
    top_users: z.array(z.object({ user_id: z.string(), email: z.string(), count: z.number().int() })),
    keys_by_provider: z.array(z.object({ provider_key: z.string(), user_count: z.number().int() })),
    shared_keys: z.number().int(),
    total_users: z.number().int(),
  })
  .openapi("AdminStats");

adminRoutes.openapi(
  route({
    method: "get",
    path: "/stats",
    operationId: "adminStats",
    auth: "admin",
    tags: TAGS,
    summary: "Usage: jobs (runs of every kind) per 24 h, 7 d and 30 d, the top 10 users of 30 days, stored keys per provider",
    responses: { 200: jsonResponse(StatsSchema, "Usage figures") },
  }),
  async (c) => {
    const now = Date.now();
    const [d1, d7, d30] = [1, 7, 30].map((d) => new Date(now - d * DAY_MS).toISOString()) as [string, string, string];
    const db = c.env.DB;
    const [windows, byType, top, keys, shared, total] = await db.batch([
      db
        .prepare(
          `SELECT coalesce(sum(created_at >= ?1), 0) AS d1, coalesce(sum(created_at >= ?2), 0) AS d7, count(*) AS d30
           FROM jobs WHERE created_at >= ?3`,
        )
        .bind(d1, d7, d30),
      db.prepare("SELECT job_type, count(*) AS count FROM jobs WHERE created_at >= ? GROUP BY job_type ORDER BY count DESC").bind(d30),
      db
        .prepare(
          `SELECT j.user_id, u.email, count(*) AS count FROM jobs j JOIN users u ON u.id = j.user_id
           WHERE j.created_at >= ? GROUP BY j.user_id ORDER BY count DESC, u.email LIMIT 10`,
        )
        .bind(d30),
      db.prepare(
        `SELECT p.provider_key, count(DISTINCT k.user_id) AS user_count FROM user_api_keys k JOIN providers p ON p.id = k.provider_id
         GROUP BY p.provider_key ORDER BY user_count DESC, p.provider_key`,
      ),
      db.prepare("SELECT count(*) AS n FROM shared_provider_keys"),
      db.prepare("SELECT count(*) AS n FROM users"),
    ]);
    const w = windows!.results[0] as { d1: number; d7: number; d30: number };
    return c.json(
      {
        runs_24h: w.d1,
        runs_7d: w.d7,
        runs_30d: w.d30,
        runs_by_type_30d: byType!.results as Array<{ job_type: string; count: number }>,
        top_users: top!.results as Array<{ user_id: string; email: string; count: number }>,
        keys_by_provider: keys!.results as Array<{ provider_key: string; user_count: number }>,
        shared_keys: (shared!.results[0] as { n: number }).n,
        total_users: (total!.results[0] as { n: number }).n,
      },
      200,
    );
  },
);

const SystemSchema = z
  .object({
    db_size_bytes: z.number().int().nullable(),
    db_size_mb: z.number().nullable(),
    active_jobs: z.number().int(),
    queued_jobs: z.number().int(),
    connected_sockets: z.number().int(),
    users_connected: z.number().int(),
    log_events: z.number().int(),
    version: z.string(),
  })
  .openapi("AdminSystem");

/**
 * Open sockets across all users without waking every hub: each hub writes its count to `hub_sockets` on connect
 * and close, and only the hubs whose row says they have sockets are asked for their live count (a hub that
 * stopped without a close event would otherwise be counted forever). Corrected rows are written back.
 */
async function connectedSockets(env: Env, db: import("../db/client.ts").Db): Promise<{ sockets: number; users: number }> {
  const candidates = await db.select({ userId: hubSockets.userId }).from(hubSockets).where(sql`${hubSockets.sockets} > 0`);
  let sockets = 0;
  let connectedUsers = 0;
  for (let i = 0; i < candidates.length; i += SOCKET_CHECK_BATCH) {
    const batch = candidates.slice(i, i + SOCKET_CHECK_BATCH);
    const counts = await Promise.all(
      batch.map((r) =>
        hubFor(env, r.userId)
          .connectionCount()
          .catch(() => 0),
      ),
    );
    for (const [j, n] of counts.entries()) {
      sockets += n;
      if (n > 0) connectedUsers += 1;
      else await db.update(hubSockets).set({ sockets: 0, updatedAt: isoNow() }).where(eq(hubSockets.userId, batch[j]!.userId));
    }
  }
  return { sockets, users: connectedUsers };
}

adminRoutes.openapi(
  route({
    method: "get",
    path: "/system",
    operationId: "adminSystem",
    auth: "admin",
    tags: TAGS,
    summary: "System state: database size, active and queued jobs, open WebSockets, stored log events",
    responses: { 200: jsonResponse(SystemSchema, "System state") },
  }),
  async (c) => {
    // D1 reports the database's size after every query (meta.size_after); a local database may not.
    const probe = await c.env.DB.prepare(
      "SELECT sum(status IN ('pending', 'running')) AS active, sum(status = 'queued') AS queued FROM jobs WHERE status IN ('pending', 'queued', 'running')",
    ).all<{ active: number | null; queued: number | null }>();
    const size = typeof probe.meta?.size_after === "number" ? probe.meta.size_after : null;
    const logs = (await c.var.db.select({ n: count() }).from(logEvents).get())?.n ?? 0;
    const live = await connectedSockets(c.env, c.var.db);
    return c.json(
      {
        db_size_bytes: size,
        db_size_mb: size === null ? null : Math.round((size / (1024 * 1024)) * 100) / 100,
        active_jobs: probe.results[0]?.active ?? 0,
        queued_jobs: probe.results[0]?.queued ?? 0,
        connected_sockets: live.sockets,
        users_connected: live.users,
        log_events: logs,
        version: c.env.APP_VERSION ?? "dev",
      },
      200,
    );
  },
);

// ---------------------------------------------------------------- logs

const LogEventSchema = z
  .object({
    id: z.number().int(),
    created_at: z.string(),
    level: z.enum(["warn", "error"]),
    message: z.string(),
    request_id: z.string().nullable(),
    fields: z.record(z.string(), z.unknown()),
  })
  .openapi("LogEvent");

adminRoutes.openapi(
  route({
    method: "get",
    path: "/logs",
    operationId: "adminLogs",
    auth: "admin",
    tags: TAGS,
    summary: "Stored warning and error log events, newest first, by level and text (case-insensitive)",
    request: {
      query: z.object({
        level: z.enum(["warn", "error"]).optional(),
        search: z.string().trim().max(200).optional(),
        ...Paging,
      }),
    },
    responses: { 200: jsonResponse(z.object({ count: z.number().int(), logs: z.array(LogEventSchema) }), "Log events"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const where: SQL[] = [];
    if (q.level) where.push(eq(logEvents.level, q.level));
    if (q.search) where.push(likeEscaped(logEvents.line, q.search));
    const filter = where.length ? and(...where) : undefined;
    const rows = await c.var.db.select().from(logEvents).where(filter).orderBy(desc(logEvents.id)).limit(q.limit).offset(q.offset);
    const total = (await c.var.db.select({ n: count() }).from(logEvents).where(filter).get())?.n ?? 0;
    const parse = (line: string): Record<string, unknown> => {
      try {
        const v = JSON.parse(line);
        return v && typeof v === "object" && !Array.isArray(v) ? v : { line };
      } catch {
        return { line }; // cut at the length limit
      }
    };
    return c.json(
      {
        count: total,
        logs: rows.map((r) => ({
          id: r.id,
          created_at: r.createdAt,
          level: r.level,
          message: r.message,
          request_id: r.requestId,
          fields: parse(r.line),
        })),
      },
      200,
    );
  },
);

// ---------------------------------------------------------------- shared provider keys

const SharedKeySchema = z
  .object({
    provider_key: z.string(),
    display_name: z.string(),
    api_kind: z.enum(["openai", "anthropic"]),
    api_base: z.string(),
    last4: z.string().nullable(),
    updated_at: z.string(),
    updated_by_email: z.string().nullable(),
  })
  .openapi("SharedKey");

const ProviderKeyParam = z.object({
  provider_key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "Letters, digits, _ and - only (max 64)" })
    .openapi({ param: { name: "provider_key", in: "path" } }),
});

const SharedKeyBody = z
  .object({
    value: z.string().trim().min(1, { error: "Enter the key" }).max(4096),
    api_base: HttpUrl.optional(),
    api_kind: z.enum(["openai", "anthropic"]).optional(),
  })
  .strict()
  .openapi("SharedKeyUpdate");

const last4 = (key: string) => (key.length > 8 ? key.slice(-4) : null); // short keys reveal nothing (as routes/keys.ts)
const catalogueEntry = (providerKey: string) => PROVIDER_CATALOGUE.find((p) => p.provider_key === providerKey);

adminRoutes.openapi(
  route({
    method: "get",
    path: "/shared-keys",
    operationId: "adminListSharedKeys",
    auth: "admin",
    tags: TAGS,
    summary: "Shared provider keys (used by users without a key of their own; the keys never come back)",
    responses: { 200: jsonResponse(z.object({ keys: z.array(SharedKeySchema) }), "Shared keys") },
  }),
  async (c) => {
    const rows = await listSharedKeys(c.var.db);
    const editors = await c.var.db.select({ id: users.id, email: users.email }).from(users).where(sql`${users.role} = 'admin'`);
    const keys = await Promise.all(
      rows.map(async (r) => {
        let tail: string | null = null;
        try {
          tail = last4(await openSharedKey(c.env, r));
        } catch {
          c.var.log.warn("shared key could not be decrypted", { provider_key: r.providerKey });
        }
        return {
          provider_key: r.providerKey,
          display_name: catalogueEntry(r.providerKey)?.display_name ?? r.providerKey,
          api_kind: r.apiKind,
          api_base: r.apiBase,
          last4: tail,
          updated_at: r.updatedAt,
          updated_by_email: editors.find((e) => e.id === r.updatedBy)?.email ?? null,
        };
      }),
    );
    return c.json({ keys }, 200);
  },
);

adminRoutes.openapi(
  route({
    method: "put",
    path: "/shared-keys/{provider_key}",
    operationId: "adminSetSharedKey",
    auth: "admin",
    tags: TAGS,
    summary: "Store (or replace) the shared key for a provider key; it is sent only to `api_base` (default: the catalogue's URL)",
    request: { params: ProviderKeyParam, ...jsonBody(SharedKeyBody) },
    responses: {
      200: jsonResponse(
        z.object({
          status: z.literal("ok"),
          provider_key: z.string(),
          api_kind: z.enum(["openai", "anthropic"]),
          api_base: z.string(),
          last4: z.string().nullable(),
        }),
        "Stored",
      ),
      400: errors[400],
    },
  }),
  async (c) => {
    const { provider_key: providerKey } = c.req.valid("param");
    const body = c.req.valid("json");
    const entry = catalogueEntry(providerKey);
    const apiBase = body.api_base ?? (entry && !entry.is_local ? entry.api_base : undefined);
    const apiKind = body.api_kind ?? entry?.api_kind ?? "openai";
    if (!apiBase) {
      throw badRequest("api_base is required for a provider outside the catalogue", [{ path: "api_base", message: "Required" }]);
    }
    const base = normalizeUrl(apiBase);
    const sealed = await sealSecret(c.env.VAULT_MASTER_KEY, body.value, sharedKeyOwner(providerKey, base));
    const now = isoNow();
    const values = { apiKind, apiBase: base, ...sealed, updatedAt: now, updatedBy: c.var.user.id };
    await c.var.db
      .insert(sharedProviderKeys)
      .values({ providerKey, ...values, createdAt: now })
      .onConflictDoUpdate({ target: sharedProviderKeys.providerKey, set: values });
    await audit(c, {
      action: "admin_shared_key_set",
      userId: c.var.user.id,
      email: c.var.user.email,
      resourceType: "shared_key",
      resourceId: providerKey,
      detail: { api_kind: apiKind, api_base: base },
    });
    return c.json({ status: "ok" as const, provider_key: providerKey, api_kind: apiKind, api_base: base, last4: last4(body.value) }, 200);
  },
);

adminRoutes.openapi(
  route({
    method: "delete",
    path: "/shared-keys/{provider_key}",
    operationId: "adminDeleteSharedKey",
    auth: "admin",
    tags: TAGS,
    summary: "Remove a shared provider key",
    request: { params: ProviderKeyParam },
    responses: { 200: jsonResponse(OkSchema, "Removed"), 404: errors[404] },
  }),
  async (c) => {
    const { provider_key: providerKey } = c.req.valid("param");
    const removed = await c.var.db
      .delete(sharedProviderKeys)
      .where(eq(sharedProviderKeys.providerKey, providerKey))
      .returning({ k: sharedProviderKeys.providerKey });
    if (!removed.length) throw notFound("Shared key");
    await audit(c, {
      action: "admin_shared_key_delete",
      userId: c.var.user.id,
      email: c.var.user.email,
      resourceType: "shared_key",
      resourceId: providerKey,
    });
    return c.json({ status: "ok" as const }, 200);
  },
);
