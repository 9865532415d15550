/** Queue messages carry ids, never payloads; zod validates each one at the consumer (a trust boundary). */
import { z } from "zod";
import { JobFinishedMessageSchema, JobGroupMessageSchema } from "../../shared/job-messages.ts";

export const QueueProbeMessage = z.object({
  kind: z.literal("probe"),
  user_id: z.string().min(1).max(64),
  probe_id: z.string().min(1).max(64),
  sent_at: z.number(),
});

/** A schedule's timer fired in its owner's hub (schedules/fire.ts claims and submits the run). */
export const ScheduleDueMessage = z.object({
  kind: z.literal("schedule_due"),
  user_id: z.string().min(1).max(64),
  schedule_id: z.string().min(1).max(64),
  due_at: z.number(),
});

/** One delivery attempt of an alert's webhook (schedules/webhook.ts); a failure sends attempt n + 1 with a delay. */
export const AlertWebhookMessage = z.object({
  kind: z.literal("alert_webhook"),
  user_id: z.string().min(1).max(64),
  alert_id: z.string().min(1).max(64),
  attempt: z.number().int().min(1).max(20),
});

export const QueueMessageSchema = z.discriminatedUnion("kind", [
  QueueProbeMessage,
  JobGroupMessageSchema,
  JobFinishedMessageSchema,
  ScheduleDueMessage,
  AlertWebhookMessage,
]);
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

export const JOBS_QUEUE = "llm-bench-jobs";
export const JOBS_DLQ = "llm-bench-jobs-dlq";
