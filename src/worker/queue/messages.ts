/** Queue messages carry ids, never payloads; zod validates each one at the consumer (a trust boundary). */
import { z } from "zod";
import { JobFinishedMessageSchema, JobGroupMessageSchema } from "../../shared/jobs.ts";

export const QueueProbeMessage = z.object({
  kind: z.literal("probe"),
  user_id: z.string().min(1).max(64),
  probe_id: z.string().min(1).max(64),
  sent_at: z.number(),
});

export const QueueMessageSchema = z.discriminatedUnion("kind", [QueueProbeMessage, JobGroupMessageSchema, JobFinishedMessageSchema]);
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

export const JOBS_QUEUE = "llm-bench-jobs";
export const JOBS_DLQ = "llm-bench-jobs-dlq";
