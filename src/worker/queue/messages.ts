/** Queue messages carry ids, never payloads; zod validates each one at the consumer (a trust boundary). */
import { z } from "zod";

export const QueueProbeMessage = z.object({
  kind: z.literal("probe"),
  user_id: z.string().min(1).max(64),
  probe_id: z.string().min(1).max(64),
  sent_at: z.number(),
});

/** One provider group of a job; the consumer loads everything else by id. */
export const JobGroupMessage = z.object({
  kind: z.literal("job_group"),
  job_id: z.string().min(1).max(64),
  user_id: z.string().min(1).max(64),
  group_key: z.string().min(1).max(128),
  /** Which delivery of the group this is: the hub sends a group again, as attempt n + 1, when its worker was lost. */
  attempt: z.number().int().min(1).max(100).default(1),
});

export const QueueMessageSchema = z.discriminatedUnion("kind", [QueueProbeMessage, JobGroupMessage]);
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

export const JOBS_QUEUE = "llm-bench-jobs";
export const JOBS_DLQ = "llm-bench-jobs-dlq";
