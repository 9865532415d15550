import { z } from "zod";

/**
 * The job state machine, shared by the registry (UserHub), the API and the web app.
 * pending → queued | running | cancelled; queued → running | cancelled;
 * running → done | failed | cancelled | interrupted; the last four are terminal.
 */
export const JOB_STATUSES = ["pending", "queued", "running", "done", "failed", "cancelled", "interrupted"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_TYPES = [
  "benchmark",
  "tool_eval",
  "param_tune",
  "prompt_tune",
  "judge",
  "judge_compare",
  "scheduled_benchmark",
  "capacity",
] as const;
export type JobType = (typeof JOB_TYPES)[number];

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  pending: ["queued", "running", "cancelled"],
  queued: ["running", "cancelled"],
  running: ["done", "failed", "cancelled", "interrupted"],
  done: [],
  failed: [],
  cancelled: [],
  interrupted: [],
};

/** Default timeout per job type (seconds); the hub's alarm enforces it. */
export const JOB_TIMEOUT_SECONDS: Record<JobType, number> = {
  benchmark: 7200,
  scheduled_benchmark: 7200,
  tool_eval: 7200,
  param_tune: 4 * 3600,
  prompt_tune: 4 * 3600,
  judge: 3600,
  judge_compare: 3600,
  capacity: 2 * 3600,
};

/** The status a run row (benchmark, eval…) shows for its job; active jobs show "running". */
export function runStatusOf(job: JobStatus): "running" | "completed" | "failed" | "cancelled" | "interrupted" {
  return job === "done" ? "completed" : job === "failed" || job === "cancelled" || job === "interrupted" ? job : "running";
}

export const ACTIVE_STATUSES: readonly JobStatus[] = ["pending", "queued", "running"];
export const TERMINAL_STATUSES: readonly JobStatus[] = ["done", "failed", "cancelled", "interrupted"];

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The job row as the API and the `sync` event show it (the original's field names). */
export interface JobView {
  id: string;
  job_type: JobType;
  status: JobStatus;
  progress_pct: number;
  progress_detail: string;
  params: Record<string, unknown>;
  result_ref: string | null;
  error_class: string | null;
  error_msg: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  timeout_at: string | null;
  timeout_seconds: number;
  /** Failed units of work (runs, cases); a `done` job with failures also says which in `error_msg`. */
  error_count: number;
}

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

/** Seconds from a run's start to its end, to a tenth; null while it runs. */
export function runDurationS(createdAt: string, completedAt: string | null): number | null {
  const duration = completedAt ? (Date.parse(completedAt) - Date.parse(createdAt)) / 1000 : null;
  return duration === null || Number.isNaN(duration) ? null : Math.round(duration * 10) / 10;
}
