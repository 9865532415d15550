/**
 * Alert webhooks: one POST of JSON per alert, signed with HMAC-SHA256 under the schedule's secret
 * (`X-Studio-Signature: t=<unix seconds>,v1=<hex of HMAC(secret, "<t>.<body>")>`, so a receiver can refuse
 * replays by the timestamp). Each attempt is a queue message; a failure (network, timeout, non-2xx) is recorded
 * on the alert and retried as attempt n + 1 after an exponential delay, up to MAX_ATTEMPTS, then `failed`.
 * Redirects are not followed and private addresses are refused (unless ALLOW_PRIVATE_URLS), at send time too.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { scheduleAlerts, schedules } from "../db/schema.ts";
import { isoNow } from "../lib/ids.ts";
import { privateUrlRefusal } from "../lib/private-address.ts";
import { alertView } from "./alerts.ts";
import { alertSettingsOf, webhookSecretOf } from "./store.ts";

export const MAX_ATTEMPTS = 5;
const TIMEOUT_MS = 10_000;
export const SIGNATURE_HEADER = "X-Studio-Signature";

/** Delay before attempt n + 1: base · 2^(n−1) seconds (base 30 s; WEBHOOK_RETRY_BASE_SECONDS in tests). */
export function retryDelaySeconds(env: Env, attempt: number): number {
  const base = Number((env as { WEBHOOK_RETRY_BASE_SECONDS?: string }).WEBHOOK_RETRY_BASE_SECONDS);
  return Math.min(3600, Math.round((Number.isFinite(base) && base > 0 ? base : 30) * 2 ** (attempt - 1)));
}

export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function enqueueAlertWebhook(env: Env, userId: string, alertId: string, attempt = 1, delaySeconds = 0): Promise<void> {
  await env.JOBS.send({ kind: "alert_webhook", user_id: userId, alert_id: alertId, attempt }, delaySeconds ? { delaySeconds } : undefined);
}

export async function deliverAlertWebhook(env: Env, db: Db, message: { user_id: string; alert_id: string; attempt: number }): Promise<void> {
  const alert = await db
    .select()
    .from(scheduleAlerts)
    .where(and(eq(scheduleAlerts.id, message.alert_id), eq(scheduleAlerts.userId, message.user_id)))
    .get();
  if (!alert || alert.webhookStatus === "delivered" || message.attempt <= alert.webhookAttempts) return; // done or a duplicate
  const schedule = await db.select().from(schedules).where(eq(schedules.id, alert.scheduleId)).get();
  const url = schedule ? alertSettingsOf(schedule).webhook_url : null;
  if (!schedule || !url) {
    await db.update(scheduleAlerts).set({ webhookStatus: "none" }).where(eq(scheduleAlerts.id, alert.id));
    return;
  }
  const body = JSON.stringify({
    type: "schedule_alert",
    delivery: `${alert.id}:${message.attempt}`,
    alert: alertView(alert, schedule.name),
    schedule: { id: schedule.id, name: schedule.name, kind: schedule.kind },
    sent_at: isoNow(),
  });
  let error: string | null = null;
  try {
    const refusal = privateUrlRefusal(env, url);
    if (refusal) throw new Error(refusal);
    const secret = await webhookSecretOf(env, schedule);
    const t = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "llm-benchmark-studio-webhook",
      "x-studio-event": "schedule_alert",
      "x-studio-delivery": `${alert.id}:${message.attempt}`,
    };
    if (secret) headers[SIGNATURE_HEADER] = `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
    const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    void response.body?.cancel().catch(() => {});
    if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
  } catch (err) {
    error = err instanceof Error && err.name === "TimeoutError" ? "timed out" : err instanceof Error ? err.message.slice(0, 200) : "delivery failed";
  }
  const lastTry = message.attempt >= MAX_ATTEMPTS;
  await db
    .update(scheduleAlerts)
    .set({
      webhookAttempts: message.attempt,
      webhookStatus: error === null ? "delivered" : lastTry ? "failed" : "pending",
      webhookLastError: error,
      ...(error === null ? { webhookDeliveredAt: isoNow() } : {}),
    })
    .where(eq(scheduleAlerts.id, alert.id));
  if (error !== null && !lastTry) {
    await enqueueAlertWebhook(env, message.user_id, alert.id, message.attempt + 1, retryDelaySeconds(env, message.attempt));
  }
}
