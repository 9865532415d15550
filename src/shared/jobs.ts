/**
 * The job state machine, shared by the registry (UserHub), the API and the web app.
 * pending → queued | running | cancelled; queued → running | cancelled;
 * running → done | failed | cancelled | interrupted; the last four are terminal.
 *
 * No zod here: the web app's first load imports this module, and a module-level schema would bring all of zod
 * (~26 KB gz) with it. The queue messages and their schemas are in job-messages.ts.
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

/** Seconds from a run's start to its end, to a tenth; null while it runs. */
export function runDurationS(createdAt: string, completedAt: string | null): number | null {
  const duration = completedAt ? (Date.parse(completedAt) - Date.parse(createdAt)) / 1000 : null;
  return duration === null || Number.isNaN(duration) ? null : Math.round(duration * 10) / 10;
}
