/**
 * Queues consumer. A message that fails validation is acknowledged and logged (retrying garbage never helps);
 * a message whose work throws is retried with backoff, and after max_retries lands on the dead-letter queue,
 * whose consumer records the failure. The job engine adds its message kinds here.
 */
import { makeLogger } from "../lib/log.ts";
import { hubFor } from "../lib/hub.ts";
import { JOBS_DLQ, QueueMessageSchema, type QueueMessage } from "./messages.ts";

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
  }
}

export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env, _ctx?: ExecutionContext): Promise<void> {
  const log = makeLogger(env.LOG_LEVEL, { queue: batch.queue });
  for (const msg of batch.messages) {
    const parsed = QueueMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      log.error("invalid queue message dropped", { message_id: msg.id, issues: parsed.error.issues.length });
      msg.ack();
      continue;
    }
    if (batch.queue === JOBS_DLQ) {
      log.error("message dead-lettered", { message_id: msg.id, kind: parsed.data.kind, attempts: msg.attempts });
      msg.ack();
      continue;
    }
    try {
      await handle(parsed.data, env);
      msg.ack();
    } catch (err) {
      log.warn("queue message failed; will retry", { message_id: msg.id, attempts: msg.attempts, err: String(err) });
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}
