/**
 * /api/schedules (inventory §5.11, and what the original lacked): scheduled benchmarks and tool evals with an
 * interval or a cron expression in a time zone; list, create, read, update (incl. enable/disable), delete,
 * "run now" (`/trigger`), the next runs of a timing (the form's cron helper), and a schedule's trend with its
 * baseline band and alerts. /api/alerts: the alerts bell (list, acknowledge).
 * Runs are ordinary benchmark/tool-eval jobs (schedules/fire.ts); timers live in the owner's hub.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, inArray, isNull } from "drizzle-orm";
import { ALERT_METRIC_NAMES, type ModelRunFigures } from "../../shared/regression-alerts.ts";
import { nextRuns } from "../../shared/schedule-time.ts";
import { MAD_TO_SD, mad, median, ROBUST_Z_LIMIT } from "../../shared/stats/robust.ts";
import { benchmarkRuns, scheduleAlerts, schedules, toolEvalRuns } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { randomToken } from "../lib/crypto.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { assertPublicUrl } from "../lib/url-guard.ts";
import { alertView, benchmarkFigures, toolEvalFigures } from "../schedules/alerts.ts";
import {
  type AlertSettingsInput,
  checkedTiming,
  configOfCreate,
  ScheduleCreateBody,
  type ScheduleKind,
  ScheduleUpdateBody,
  validatedConfig,
} from "../schedules/config.ts";
import { fireSchedule } from "../schedules/fire.ts";
import { alertSettingsOf, armSchedule, nextRunIso, ownedSchedule, type ScheduleRow, scheduleView, sealWebhookSecret } from "../schedules/store.ts";

const Schedule = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["benchmark", "tool_eval"]),
    config: z.record(z.string(), z.unknown()),
    models: z.array(z.string()),
    interval_hours: z.number().int().nullable(),
    cron: z.string().nullable(),
    timezone: z.string(),
    enabled: z.boolean(),
    alerts: z.object({
      enabled: z.boolean(),
      baseline_runs: z.number().int(),
      min_baseline_runs: z.number().int(),
      thresholds: z.record(z.string(), z.number()),
      webhook_url: z.string().nullable(),
      webhook_secret_set: z.boolean(),
    }),
    last_run: z.string().nullable(),
    next_run: z.string().nullable(),
    last_job_id: z.string().nullable(),
    last_run_id: z.string().nullable(),
    last_status: z.string().nullable().openapi({ description: "queued, running, completed, failed, cancelled, interrupted or skipped" }),
    last_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Schedule");

const Saved = z
  .object({
    status: z.literal("ok"),
    id: z.string(),
    schedule: Schedule,
    webhook_secret: z.string().optional().openapi({ description: "Only when the server generated it: shown this once" }),
  })
  .openapi("ScheduleSaved");

const Alert = z
  .object({
    id: z.string(),
    schedule_id: z.string(),
    schedule_name: z.string(),
    run_id: z.string(),
    metric: z.enum(ALERT_METRIC_NAMES),
    provider_key: z.string(),
    model_id: z.string(),
    baseline_value: z.number(),
    value: z.number(),
    change_pct: z.number().openapi({ description: "% of the baseline (TTFT, speed, cost) or points (error rate, tool accuracy)" }),
    threshold: z.number(),
    test: z.string().openapi({ description: "mann_whitney (raw samples) or median_mad (robust z of the run's value)" }),
    evidence: z.record(z.string(), z.unknown()),
    statement: z.string(),
    cause: z.enum(["model_version_changed", "price_changed", "rate_limit_surge", "shift_beyond_noise"]),
    cause_detail: z.string(),
    acknowledged_at: z.string().nullable(),
    webhook_status: z.enum(["none", "pending", "delivered", "failed"]),
    webhook_attempts: z.number().int(),
    webhook_last_error: z.string().nullable(),
    webhook_delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ScheduleAlert");

const TrendPoint = z.object({
  run_id: z.string(),
  created_at: z.string(),
  status: z.string(),
  provider_key: z.string(),
  model_id: z.string(),
  metric: z.enum(ALERT_METRIC_NAMES),
  value: z.number(),
  baseline: z
    .object({ median: z.number(), low: z.number(), high: z.number(), runs: z.number().int() })
    .nullable()
    .openapi({ description: `median ± ${ROBUST_Z_LIMIT} × 1.4826 × MAD of the earlier runs' values (the band)` }),
});

const Trend = z
  .object({
    schedule_id: z.string(),
    band: z.string(),
    points: z.array(TrendPoint),
    alerts: z.array(Alert),
  })
  .openapi("ScheduleTrend");

async function viewOf(db: Parameters<typeof ownedSchedule>[0], id: string) {
  const row = await db.select().from(schedules).where(eq(schedules.id, id)).get();
  return scheduleView(row!);
}

/** Alert settings as stored (no secret) and the secret's columns: given, generated (returned once) or kept. */
async function alertColumns(env: Env, userId: string, scheduleId: string, input: AlertSettingsInput | undefined, existing: ScheduleRow | null) {
  if (!input) return { columns: {}, generated: undefined };
  const { webhook_secret, ...settings } = input;
  if (settings.webhook_url) assertPublicUrl(env, settings.webhook_url, "alerts.webhook_url");
  let secret = webhook_secret;
  let generated: string | undefined;
  if (settings.webhook_url && !secret && !existing?.webhookSecretCiphertext) {
    secret = `whsec_${randomToken(24)}`;
    generated = secret;
  }
  const sealed = secret ? await sealWebhookSecret(env, userId, scheduleId, secret) : {};
  return { columns: { alerts: settings, ...sealed }, generated };
}

/** Mounted at /api/schedules. */
export const scheduleRoutes = newRouter();

scheduleRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listSchedules",
    auth: "user",
    tags: ["schedules"],
    summary: "Your schedules, newest first, with last and next run and last status",
    responses: { 200: jsonResponse(z.object({ schedules: z.array(Schedule) }), "Schedules") },
  }),
  async (c) => {
    const rows = await c.var.db.select().from(schedules).where(eq(schedules.userId, c.var.user.id)).orderBy(desc(schedules.createdAt));
    return c.json({ schedules: rows.map(scheduleView) as z.infer<typeof Schedule>[] }, 200);
  },
);

scheduleRoutes.openapi(
  route({
    method: "get",
    path: "/next-runs",
    operationId: "previewScheduleRuns",
    auth: "user",
    tags: ["schedules"],
    summary: "The next runs of a timing (interval, or cron in a time zone): the form's cron helper",
    request: {
      query: z.object({
        interval_hours: z.coerce.number().int().min(1).max(720).optional(),
        cron: z.string().max(120).optional(),
        timezone: z.string().max(64).optional(),
        count: z.coerce.number().int().min(1).max(20).default(5),
      }),
    },
    responses: { 200: jsonResponse(z.object({ runs: z.array(z.string()), timezone: z.string() }), "Next runs"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const t = checkedTiming(q);
    const timing = t.cron !== null ? { cron: t.cron, timezone: t.timezone } : { interval_hours: t.intervalHours!, anchor: isoNow() };
    return c.json({ runs: nextRuns(timing, new Date(), q.count).map((d) => d.toISOString()), timezone: t.timezone }, 200);
  },
);

scheduleRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "createSchedule",
    auth: "user",
    tags: ["schedules"],
    summary: "Create a schedule: a benchmark or tool-eval request run every N hours or on a cron expression in a time zone",
    request: jsonBody(ScheduleCreateBody),
    responses: { 201: jsonResponse(Saved, "Created"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const db = c.var.db;
    const body = c.req.valid("json");
    const { kind, config } = configOfCreate(body);
    const timing = checkedTiming(body);
    const id = newId();
    const now = isoNow();
    const { columns, generated } = await alertColumns(c.env, userId, id, body.alerts, null);
    const row = {
      id,
      userId,
      name: body.name,
      kind,
      config,
      intervalHours: timing.intervalHours,
      cron: timing.cron,
      timezone: timing.timezone,
      anchorAt: now,
      enabled: body.enabled ?? true,
      alerts: alertSettingsOf({ alerts: {} }),
      ...columns,
    };
    const nextRunAt = nextRunIso(row);
    await db.insert(schedules).values({ ...row, nextRunAt });
    await armSchedule(c.env, { ...row, nextRunAt });
    await audit(c, { action: "schedule_create", userId, resourceType: "schedule", resourceId: id, detail: { kind } });
    return c.json(
      {
        status: "ok" as const,
        id,
        schedule: (await viewOf(db, id)) as z.infer<typeof Schedule>,
        ...(generated ? { webhook_secret: generated } : {}),
      },
      201,
    );
  },
);

scheduleRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getSchedule",
    auth: "user",
    tags: ["schedules"],
    summary: "One schedule",
    request: { params: IdParam },
    responses: { 200: jsonResponse(Schedule, "The schedule"), 404: errors[404] },
  }),
  async (c) => c.json(scheduleView(await ownedSchedule(c.var.db, c.var.user.id, c.req.valid("param").id)) as z.infer<typeof Schedule>, 200),
);

scheduleRoutes.openapi(
  route({
    method: "put",
    path: "/{id}",
    operationId: "updateSchedule",
    auth: "user",
    tags: ["schedules"],
    summary: "Edit a schedule (partial, incl. enabled); a new timing restarts it from now",
    request: { params: IdParam, ...jsonBody(ScheduleUpdateBody) },
    responses: { 200: jsonResponse(Saved, "Saved"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const db = c.var.db;
    const row = await ownedSchedule(db, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    const legacy = body.prompt !== undefined || body.models !== undefined || body.max_tokens !== undefined || body.temperature !== undefined;
    if (legacy && body.config)
      throw badRequest("Give config, or the original's prompt/models fields, not both", [{ path: "config", message: "not with prompt/models" }]);
    let config = row.config as Record<string, unknown>;
    if (body.config) config = validatedConfig(row.kind as ScheduleKind, body.config);
    else if (legacy) {
      if (row.kind !== "benchmark")
        throw badRequest("prompt/models apply to benchmark schedules only", [{ path: "models", message: "benchmark only" }]);
      // The original's partial update: only the given fields change; new models replace the targets.
      const { targets, ...rest } = config as { targets?: unknown; models?: string[] };
      config = validatedConfig("benchmark", {
        ...(body.models ? rest : config),
        ...(body.models ? { models: body.models } : {}),
        ...(body.prompt !== undefined ? { prompt: body.prompt } : {}),
        ...(body.max_tokens !== undefined ? { max_tokens: body.max_tokens } : {}),
        ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
      });
      void targets;
    }
    const timingChanged = body.interval_hours !== undefined || body.cron !== undefined || body.timezone !== undefined;
    const timing = timingChanged
      ? checkedTiming({
          interval_hours: body.interval_hours ?? (body.cron === undefined && row.intervalHours !== null ? row.intervalHours : undefined),
          cron: body.cron ?? (body.interval_hours === undefined && row.cron !== null ? row.cron : undefined),
          timezone: body.timezone ?? row.timezone,
        })
      : { intervalHours: row.intervalHours, cron: row.cron, timezone: row.timezone };
    const { columns, generated } = await alertColumns(c.env, userId, row.id, body.alerts, row);
    const enabled = body.enabled ?? row.enabled;
    const next = {
      ...row,
      name: body.name ?? row.name,
      config,
      intervalHours: timing.intervalHours,
      cron: timing.cron,
      timezone: timing.timezone,
      // The original: changing the interval restarts it from now; enabling again continues on the grid.
      anchorAt: timingChanged ? isoNow() : row.anchorAt,
      enabled,
      ...columns,
    };
    const nextRunAt = enabled ? (timingChanged || !row.enabled || !row.nextRunAt ? nextRunIso(next) : row.nextRunAt) : null;
    await db
      .update(schedules)
      .set({
        name: next.name,
        config: next.config,
        intervalHours: next.intervalHours,
        cron: next.cron,
        timezone: next.timezone,
        anchorAt: next.anchorAt,
        enabled,
        nextRunAt,
        updatedAt: isoNow(),
        ...columns,
      })
      .where(eq(schedules.id, row.id));
    await armSchedule(c.env, { ...next, nextRunAt });
    if (body.enabled !== undefined && body.enabled !== row.enabled) {
      await audit(c, { action: enabled ? "schedule_enable" : "schedule_disable", userId, resourceType: "schedule", resourceId: row.id });
    }
    return c.json(
      {
        status: "ok" as const,
        id: row.id,
        schedule: (await viewOf(db, row.id)) as z.infer<typeof Schedule>,
        ...(generated ? { webhook_secret: generated } : {}),
      },
      200,
    );
  },
);

for (const [path, enabled] of [
  ["/{id}/enable", true],
  ["/{id}/disable", false],
] as const) {
  scheduleRoutes.openapi(
    route({
      method: "post",
      path,
      operationId: enabled ? "enableSchedule" : "disableSchedule",
      auth: "user",
      tags: ["schedules"],
      summary: enabled ? "Enable a schedule (its next run is the next slot from now)" : "Disable a schedule (its timer is cleared)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Schedule, "The schedule"), 404: errors[404] },
    }),
    async (c) => {
      const userId = c.var.user.id;
      const row = await ownedSchedule(c.var.db, userId, c.req.valid("param").id);
      if (row.enabled !== enabled) {
        const nextRunAt = enabled ? nextRunIso(row) : null;
        await c.var.db.update(schedules).set({ enabled, nextRunAt, updatedAt: isoNow() }).where(eq(schedules.id, row.id));
        await armSchedule(c.env, { ...row, enabled, nextRunAt });
        await audit(c, { action: enabled ? "schedule_enable" : "schedule_disable", userId, resourceType: "schedule", resourceId: row.id });
      }
      return c.json((await viewOf(c.var.db, row.id)) as z.infer<typeof Schedule>, 200);
    },
  );
}

scheduleRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "deleteSchedule",
    auth: "user",
    tags: ["schedules"],
    summary: "Delete a schedule and its alerts (its runs stay in History)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const row = await ownedSchedule(c.var.db, userId, c.req.valid("param").id);
    await c.var.db.delete(schedules).where(eq(schedules.id, row.id));
    await armSchedule(c.env, { ...row, enabled: false });
    await audit(c, { action: "schedule_delete", userId, resourceType: "schedule", resourceId: row.id });
    return c.json({ status: "ok" as const }, 200);
  },
);

scheduleRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/trigger",
    operationId: "triggerSchedule",
    auth: "user",
    tags: ["schedules"],
    summary: "Run now: submits the schedule's run as a job (its timer is unchanged)",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(
        z
          .object({
            status: z.literal("ok"),
            message: z.string(),
            job_id: z.string(),
            job_status: z.string(),
            run_id: z.string().optional(),
            eval_id: z.string().optional(),
          })
          .passthrough()
          .openapi("ScheduleTriggered"),
        "Submitted",
      ),
      400: errors[400],
      404: errors[404],
      429: errors[429],
    },
  }),
  async (c) => {
    const row = await ownedSchedule(c.var.db, c.var.user.id, c.req.valid("param").id);
    const submitted = await fireSchedule(c.env, c.var.db, row, "manual", (entry) => audit(c, entry));
    return c.json(
      {
        ...submitted,
        status: "ok" as const,
        message: row.kind === "benchmark" ? "Benchmark triggered" : "Tool eval triggered",
        job_id: submitted.job_id,
        job_status: submitted.job_status,
      },
      200,
    );
  },
);

scheduleRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/trend",
    operationId: "getScheduleTrend",
    auth: "user",
    tags: ["schedules"],
    summary: "Each metric per run and model, with the baseline band of the runs before it, and the schedule's alerts",
    request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: { 200: jsonResponse(Trend, "The trend"), 404: errors[404] },
  }),
  async (c) => {
    const db = c.var.db;
    const row = await ownedSchedule(db, c.var.user.id, c.req.valid("param").id);
    const settings = alertSettingsOf(row);
    const table = row.kind === "tool_eval" ? toolEvalRuns : benchmarkRuns;
    const runs = (
      await db
        .select({ id: table.id, createdAt: table.createdAt, status: table.status })
        .from(table)
        .where(eq(table.scheduleId, row.id))
        .orderBy(desc(table.createdAt))
        .limit(c.req.valid("query").limit)
    ).reverse();
    const figures = await (row.kind === "tool_eval" ? toolEvalFigures : benchmarkFigures)(
      db,
      runs.map((r) => r.id),
    );
    const points: z.infer<typeof TrendPoint>[] = [];
    const history = new Map<string, number[]>(); // model × metric → values of the earlier judged runs
    for (const run of runs) {
      for (const f of figures.get(run.id) ?? []) {
        for (const metric of ALERT_METRIC_NAMES) {
          const value = figureValue(f, metric);
          if (value === null) continue;
          const key = `${f.provider_key}\u0000${f.model_id}\u0000${metric}`;
          const earlier = (history.get(key) ?? []).slice(-settings.baseline_runs);
          const band = earlier.length >= 2 ? bandOf(earlier) : null;
          points.push({
            run_id: run.id,
            created_at: run.createdAt,
            status: run.status,
            provider_key: f.provider_key,
            model_id: f.model_id,
            metric,
            value,
            baseline: band,
          });
          if (run.status === "completed" || run.status === "failed") history.set(key, [...(history.get(key) ?? []), value]);
        }
      }
    }
    const alerts = await db.select().from(scheduleAlerts).where(eq(scheduleAlerts.scheduleId, row.id)).orderBy(asc(scheduleAlerts.createdAt));
    return c.json(
      {
        schedule_id: row.id,
        band: `median ± ${ROBUST_Z_LIMIT} × 1.4826 × MAD of the last ${settings.baseline_runs} runs (median/MAD band)`,
        points,
        alerts: alerts.map((a) => alertView(a, row.name)) as z.infer<typeof Alert>[],
      },
      200,
    );
  },
);

function figureValue(f: ModelRunFigures, metric: (typeof ALERT_METRIC_NAMES)[number]): number | null {
  switch (metric) {
    case "ttft_p50":
      return f.ttft_ms.length ? median(f.ttft_ms) : null;
    case "output_speed_p50":
      return f.output_speed_tps.length ? median(f.output_speed_tps) : null;
    case "error_rate":
      return f.attempts ? (100 * f.failures) / f.attempts : null;
    case "cost_per_run":
      return f.cost_per_run;
    case "tool_accuracy":
      return f.tool_scores.length ? f.tool_scores.reduce((s, x) => s + x, 0) / f.tool_scores.length : null;
  }
}

function bandOf(values: number[]) {
  const m = median(values);
  const half = ROBUST_Z_LIMIT * MAD_TO_SD * mad(values);
  return { median: m, low: m - half, high: m + half, runs: values.length };
}

/** Mounted at /api/alerts: the bell. */
export const alertRoutes = newRouter();

alertRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listAlerts",
    auth: "user",
    tags: ["schedules"],
    summary: "Your schedules' alerts, newest first, with the unacknowledged count",
    request: {
      query: z.object({
        status: z.enum(["unacknowledged", "all"]).default("all"),
        schedule_id: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: { 200: jsonResponse(z.object({ alerts: z.array(Alert), unacknowledged: z.number().int() }), "Alerts") },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const q = c.req.valid("query");
    const rows = await c.var.db
      .select({ alert: scheduleAlerts, name: schedules.name })
      .from(scheduleAlerts)
      .innerJoin(schedules, eq(schedules.id, scheduleAlerts.scheduleId))
      .where(
        and(
          eq(scheduleAlerts.userId, userId),
          q.status === "unacknowledged" ? isNull(scheduleAlerts.acknowledgedAt) : undefined,
          q.schedule_id ? eq(scheduleAlerts.scheduleId, q.schedule_id) : undefined,
        ),
      )
      .orderBy(desc(scheduleAlerts.createdAt))
      .limit(q.limit);
    const [open] = await c.var.db
      .select({ n: count() })
      .from(scheduleAlerts)
      .where(and(eq(scheduleAlerts.userId, userId), isNull(scheduleAlerts.acknowledgedAt)));
    return c.json({ alerts: rows.map((r) => alertView(r.alert, r.name)) as z.infer<typeof Alert>[], unacknowledged: open?.n ?? 0 }, 200);
  },
);

alertRoutes.openapi(
  route({
    method: "post",
    path: "/acknowledge",
    operationId: "acknowledgeAlerts",
    auth: "user",
    tags: ["schedules"],
    summary: "Acknowledge alerts by id, or all of yours",
    request: jsonBody(
      z
        .object({ ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional(), all: z.literal(true).optional() })
        .strict()
        .openapi("AlertAcknowledge"),
    ),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), acknowledged: z.number().int() }), "Acknowledged"), 400: errors[400] },
  }),
  async (c) => {
    const body = c.req.valid("json");
    if (!body.ids && !body.all) throw badRequest("Give ids or all: true", [{ path: "ids", message: "required" }]);
    const done = await c.var.db
      .update(scheduleAlerts)
      .set({ acknowledgedAt: isoNow() })
      .where(
        and(
          eq(scheduleAlerts.userId, c.var.user.id),
          isNull(scheduleAlerts.acknowledgedAt),
          body.ids ? inArray(scheduleAlerts.id, body.ids) : undefined,
        ),
      )
      .returning({ id: scheduleAlerts.id });
    return c.json({ status: "ok" as const, acknowledged: done.length }, 200);
  },
);

alertRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/acknowledge",
    operationId: "acknowledgeAlert",
    auth: "user",
    tags: ["schedules"],
    summary: "Acknowledge one alert",
    request: { params: IdParam },
    responses: { 200: jsonResponse(Alert, "The alert"), 404: errors[404] },
  }),
  async (c) => {
    const db = c.var.db;
    const id = c.req.valid("param").id;
    const found = await db
      .select({ alert: scheduleAlerts, name: schedules.name })
      .from(scheduleAlerts)
      .innerJoin(schedules, eq(schedules.id, scheduleAlerts.scheduleId))
      .where(and(eq(scheduleAlerts.id, id), eq(scheduleAlerts.userId, c.var.user.id)))
      .get();
    if (!found) throw notFound("Alert");
    const [updated] = await db
      .update(scheduleAlerts)
      .set({ acknowledgedAt: found.alert.acknowledgedAt ?? isoNow() })
      .where(eq(scheduleAlerts.id, id))
      .returning();
    return c.json(alertView(updated!, found.name) as z.infer<typeof Alert>, 200);
  },
);
