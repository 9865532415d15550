/**
 * Queues consumer. A message that fails validation is acknowledged and logged (retrying garbage never helps);
 * a message whose work throws is retried with backoff, and after max_retries lands on the dead-letter queue,
 * whose consumer records the failure. Job work goes to the job runtime (src/worker/jobs/): a group to the
 * runner with its kind, a finished job to the outcome recorder.
 */

import { makeDb } from "../db/client.ts";
import { kindOf } from "../jobs/kinds.ts";
import { recordJobOutcome } from "../jobs/outcome.ts";
import { runGroup } from "../jobs/runner.ts";
import { hubFor } from "../lib/hub.ts";
import { describeError, makeLogger } from "../lib/log.ts";
import { d1LogSink } from "../lib/log-store.ts";
import { handleScheduleDue } from "../schedules/fire.ts";
import { deliverAlertWebhook } from "../schedules/webhook.ts";
import { JOBS_DLQ, type QueueMessage, QueueMessageSchema } from "./messages.ts";

async function handle(message: QueueMessage, env: Env): Promise<void> {
  switch (message.kind) {
    case "probe":
      await hubFor(env, message.user_id).broadcast({
        type: "queue_probe",
        probe_id: message.probe_id,
        sent_at: message.sent_at,
        received_at: Date.now(),
      });
      return;
    case "job_group": {
      const hub = hubFor(env, message.user_id);
      // Finished, cancelled, superseded by a newer attempt or slice, or held by another delivery: nothing to do.
      const claim = await hub.claimJobGroup(message.job_id, message.group_key, message.attempt, message.slice);
      if (!claim?.granted) return;
      const group = {
        jobId: message.job_id,
        userId: message.user_id,
        groupKey: message.group_key,
        attempt: message.attempt,
        slice: message.slice,
        runId: claim.result_ref ?? "",
      };
      const delivery = { attempt: group.attempt, slice: group.slice };
      const kind = kindOf(claim.job_type);
      if (!kind || !claim.result_ref) {
        await hub.jobGroupFinished(group.userId, group.jobId, group.groupKey, { ok: false, error: `No runner for ${claim.job_type} jobs` }, delivery);
        return;
      }
      try {
        await runGroup(env, kind, group);
      } catch (err) {
        // Let go of the lease, so the queue's retry of this same delivery can claim the group at once.
        await hub.releaseJobGroup(group.jobId, group.groupKey, group.attempt, group.slice).catch(() => {});
        throw err;
      }
      return;
    }
    case "job_finished":
      await recordJobOutcome(env, makeDb(env.DB), message);
      return;
    case "schedule_due":
      await handleScheduleDue(env, makeDb(env.DB), message);
      return;
    case "alert_webhook":
      await deliverAlertWebhook(env, makeDb(env.DB), message);
      return;
  }
}

/**
 * After max_retries a group's message lands here: the group failed, so the job can still finish. Only if the
 * message is still the group's current delivery: a dead letter of an older slice or attempt changes nothing.
 */
async function handleDeadLetter(message: QueueMessage, env: Env): Promise<void> {
  if (message.kind !== "job_group") return;
  await hubFor(env, message.user_id).jobGroupFinished(
    message.user_id,
    message.job_id,
    message.group_key,
    { ok: false, error: "The worker failed repeatedly on this provider group" },
    { attempt: message.attempt, slice: message.slice },
  );
}

export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env, _ctx?: ExecutionContext): Promise<void> {
  const stored: Array<Promise<unknown>> = []; // warning/error lines on their way to the admin log store
  const log = makeLogger(
    env.LOG_LEVEL,
    { queue: batch.queue },
    d1LogSink(env.DB, (p) => stored.push(p)),
  );
  // Messages of one batch are different provider groups: run them concurrently, never one after another.
  await Promise.all(batch.messages.map((msg) => handleMessage(msg, batch.queue, env, log)));
  await Promise.allSettled(stored);
}

async function handleMessage(msg: Message<unknown>, queue: string, env: Env, log: ReturnType<typeof makeLogger>): Promise<void> {
  const parsed = QueueMessageSchema.safeParse(msg.body);
  if (!parsed.success) {
    log.error("invalid queue message dropped", { message_id: msg.id, issues: parsed.error.issues.length });
    msg.ack();
    return;
  }
  if (queue === JOBS_DLQ) {
    log.error("message dead-lettered", { message_id: msg.id, kind: parsed.data.kind, attempts: msg.attempts });
    try {
      await handleDeadLetter(parsed.data, env);
      msg.ack();
    } catch (err) {
      log.error("dead-letter handling failed", { message_id: msg.id, ...describeError(err) });
      msg.retry({ delaySeconds: 30 });
    }
    return;
  }
  try {
    await handle(parsed.data, env);
    msg.ack();
  } catch (err) {
    log.warn("queue message failed; will retry", { message_id: msg.id, attempts: msg.attempts, ...describeError(err) });
    msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
  }
}
