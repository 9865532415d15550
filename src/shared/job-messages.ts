/**
 * The job runtime's queue messages and their zod schemas (Worker and Durable Object only). Kept out of jobs.ts,
 * which the web app imports: a module-level schema would put zod in the browser's first load.
 */
import { z } from "zod";
import { JOB_TYPES } from "./jobs.ts";

/**
 * Queue messages of the job runtime, validated by the consumer (a trust boundary). They carry ids and small
 * facts, never payloads: the consumer loads the rest by id.
 */
export const JobGroupMessageSchema = z.object({
  kind: z.literal("job_group"),
  job_id: z.string().min(1).max(64),
  user_id: z.string().min(1).max(64),
  group_key: z.string().min(1).max(128),
  /** Which delivery of the group this is: the hub sends a group again, as attempt n + 1, when its worker was lost. */
  attempt: z.number().int().min(1).max(100).default(1),
  /**
   * Which time slice of the attempt: a worker that used up its time budget hands the group back and the hub
   * sends it again as slice n + 1 of the same attempt (a continuation, not a lost attempt).
   */
  slice: z.number().int().min(0).max(1_000_000).default(0),
});
export type JobGroupMessage = z.infer<typeof JobGroupMessageSchema>;

/** Sent by the hub when a job reaches a terminal status: the job's kind records the outcome on its run row. */
export const JobFinishedMessageSchema = z.object({
  kind: z.literal("job_finished"),
  job_id: z.string().min(1).max(64),
  user_id: z.string().min(1).max(64),
  job_type: z.enum(JOB_TYPES),
  status: z.enum(["done", "failed", "cancelled", "interrupted"]),
  result_ref: z.string().min(1).max(64).nullable(),
  completed_at: z.string().max(40).nullable(),
});
export type JobFinishedMessage = z.infer<typeof JobFinishedMessageSchema>;

/** What the hub sends to the jobs queue. */
export type JobQueueMessage = z.input<typeof JobGroupMessageSchema> | JobFinishedMessage;
