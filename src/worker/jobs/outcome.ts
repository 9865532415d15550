/**
 * The one path by which a job's outcome reaches its run row, for every kind: the hub sends `job_finished` when a
 * job ends (done, failed, cancelled, interrupted), and the consumer writes the run's status and completion time
 * here. Idempotent, so a redelivered message changes nothing.
 */
import { and, eq } from "drizzle-orm";
import type { ServerEvent } from "../../shared/events.ts";
import type { JobFinishedMessage } from "../../shared/job-messages.ts";
import { runStatusOf } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { recordLinkedRun } from "../experiments/bookkeeping.ts";
import { hubFor } from "../lib/hub.ts";
import { alertView, checkScheduledRun } from "../schedules/alerts.ts";
import { enqueueAlertWebhook } from "../schedules/webhook.ts";
import { kindOf } from "./kinds.ts";

export async function recordJobOutcome(env: Env, db: Db, message: JobFinishedMessage): Promise<void> {
  const kind = kindOf(message.job_type);
  if (!kind || !message.result_ref) return; // a kind without a run row (none today) has nothing to record
  await db
    .update(kind.runTable)
    .set({ status: runStatusOf(message.status), completedAt: message.completed_at })
    .where(and(eq(kind.runTable.id, message.result_ref), eq(kind.runTable.userId, message.user_id)));
  const events = kind.finish
    ? await kind.finish({
        env,
        db,
        userId: message.user_id,
        jobId: message.job_id,
        runId: message.result_ref,
        status: message.status,
      })
    : [];
  // After `finish`, so a tune's answer (its best) is stored: a linked run may set its experiment's baseline or best.
  const experiment = await recordLinkedRun(db, message.job_type, message.user_id, message.result_ref);
  if (experiment && (experiment.baseline_set || experiment.best_updated)) events.push({ type: "experiment_updated", ...experiment });
  // A scheduled run: the schedule's last status, and its regression check against the schedule's earlier runs.
  const scheduled = await checkScheduledRun(db, message.job_type, message.user_id, message.result_ref);
  for (const alert of scheduled?.alerts ?? []) {
    const view = alertView(alert, scheduled!.schedule.name);
    events.push({ type: "schedule_alert", alert: { ...view, statement: view.statement } });
    if (alert.webhookStatus === "pending") await enqueueAlertWebhook(env, message.user_id, alert.id);
  }
  if (!events.length) return;
  const hub = hubFor(env, message.user_id);
  for (const event of events) await hub.publish({ ...event, job_id: message.job_id } as ServerEvent);
}
