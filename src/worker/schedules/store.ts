/** Schedule rows: owner-scoped reads, the API view, next-run computation and arming the owner's hub timer. */
import { and, eq } from "drizzle-orm";
import { nextRunAfter, type ScheduleTiming } from "../../shared/schedule-time.ts";
import type { Db } from "../db/client.ts";
import { schedules } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import { hubFor } from "../lib/hub.ts";
import { openSecret, sealSecret } from "../lib/vault.ts";
import { type AlertSettings, DEFAULT_ALERTS } from "./config.ts";

export type ScheduleRow = typeof schedules.$inferSelect;

export async function ownedSchedule(db: Db, userId: string, id: string): Promise<ScheduleRow> {
  const row = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, id), eq(schedules.userId, userId)))
    .get();
  if (!row) throw notFound("Schedule");
  return row;
}

export function timingOf(row: Pick<ScheduleRow, "intervalHours" | "cron" | "timezone" | "anchorAt">): ScheduleTiming {
  return row.cron !== null ? { cron: row.cron, timezone: row.timezone } : { interval_hours: row.intervalHours ?? 24, anchor: row.anchorAt };
}

/** The next run strictly after `now`, as stored (ISO), or null when a cron expression never runs again. */
export function nextRunIso(row: Pick<ScheduleRow, "intervalHours" | "cron" | "timezone" | "anchorAt">, now = new Date()): string | null {
  return nextRunAfter(timingOf(row), now)?.toISOString() ?? null;
}

export function alertSettingsOf(row: Pick<ScheduleRow, "alerts">): AlertSettings {
  return { ...DEFAULT_ALERTS, ...((row.alerts ?? {}) as Partial<AlertSettings>) };
}

/** The webhook's signing secret is sealed like provider keys, bound to its user and schedule. */
const secretOwner = (userId: string, scheduleId: string) => ({ userId, providerId: `schedule-webhook:${scheduleId}` });

export async function sealWebhookSecret(env: Env, userId: string, scheduleId: string, secret: string) {
  const sealed = await sealSecret(env.VAULT_MASTER_KEY, secret, secretOwner(userId, scheduleId));
  return { webhookSecretCiphertext: sealed.ciphertext, webhookSecretIv: sealed.iv };
}

export async function webhookSecretOf(env: Env, row: ScheduleRow): Promise<string | null> {
  if (!row.webhookSecretCiphertext || !row.webhookSecretIv) return null;
  return openSecret(env.VAULT_MASTER_KEY, { ciphertext: row.webhookSecretCiphertext, iv: row.webhookSecretIv }, secretOwner(row.userId, row.id));
}

/** Arms (or, disabled or never again, clears) the schedule's one timer in its owner's hub. */
export async function armSchedule(env: Env, row: Pick<ScheduleRow, "id" | "userId" | "enabled" | "nextRunAt">): Promise<void> {
  const due = row.enabled && row.nextRunAt ? Date.parse(row.nextRunAt) : null;
  await hubFor(env, row.userId).armSchedule(row.userId, row.id, due);
}

export function scheduleView(row: ScheduleRow) {
  const { webhook_url, ...alerts } = alertSettingsOf(row);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config: row.config as Record<string, unknown>,
    models: modelsOf(row.config),
    interval_hours: row.intervalHours,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled,
    alerts: { ...alerts, webhook_url, webhook_secret_set: Boolean(row.webhookSecretCiphertext) },
    last_run: row.lastRunAt,
    next_run: row.enabled ? row.nextRunAt : null,
    last_job_id: row.lastJobId,
    last_run_id: row.lastRunId,
    last_status: row.lastStatus,
    last_error: row.lastError,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/** "provider_key::model_id" for targets, plain ids for the original's `models`: what the list shows. */
function modelsOf(config: unknown): string[] {
  const c = (config ?? {}) as { targets?: Array<{ provider_key: string; model_id: string }>; models?: string[] };
  if (c.targets) return c.targets.map((t) => `${t.provider_key}::${t.model_id}`);
  return c.models ?? [];
}
