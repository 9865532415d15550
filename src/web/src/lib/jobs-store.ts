// Background jobs keyed by job_id (fed by WS job events and GET /api/jobs); the header bell renders this.
import type { JobStatus, JobType } from "../../../shared/jobs.ts";

export interface ActiveJob {
  job_id: string;
  /** API job type, e.g. "benchmark" (empty when unknown). */
  job_type: JobType | "";
  status: JobStatus;
  progress_pct: number;
  progress_detail: string;
  /** Short human label, e.g. "Benchmark · 4 models". */
  label: string;
  /** Where the bell links to for this job, e.g. "/benchmark/?job=…". */
  href: string | null;
  /** Benchmark run id (job.params.run_id / result_ref), when known. */
  run_id: string | null;
  /** Error message of a failed job, or the summary of the failed calls of a job that finished with some. */
  error: string;
  /** Calls (runs, cases) that failed in a job that still finished. */
  error_count?: number;
  created_at: number;
  finished_at: number | null;
  updated_at: number;
}

export type JobPatch = Partial<Omit<ActiveJob, "job_id" | "updated_at">> & { job_id: string };

type JobsListener = (jobs: ActiveJob[]) => void;

/** How many finished jobs the bell keeps. */
export const MAX_RECENT_JOBS = 10;

const jobs = new Map<string, ActiveJob>();
const listeners = new Set<JobsListener>();

const FINISHED: ReadonlySet<string> = new Set(["done", "failed", "cancelled", "interrupted"]);
const STATUS_ORDER: Record<string, number> = { running: 0, queued: 1, pending: 2 };

export function isJobFinished(job: Pick<ActiveJob, "status">): boolean {
  return FINISHED.has(job.status);
}

/** Newest first. */
export function listJobs(): ActiveJob[] {
  return [...jobs.values()].sort((a, b) => b.updated_at - a.updated_at);
}

/** Running first, then queued, then pending; oldest first within a status. */
export function activeJobs(list: readonly ActiveJob[] = listJobs()): ActiveJob[] {
  return list
    .filter((j) => !isJobFinished(j))
    .sort((a, b) => (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) || a.created_at - b.created_at);
}

/** Finished jobs, most recently finished first (at most MAX_RECENT_JOBS). */
export function recentJobs(list: readonly ActiveJob[] = listJobs()): ActiveJob[] {
  return list
    .filter(isJobFinished)
    .sort((a, b) => (b.finished_at ?? b.updated_at) - (a.finished_at ?? a.updated_at))
    .slice(0, MAX_RECENT_JOBS);
}

export function getJob(jobId: string): ActiveJob | undefined {
  return jobs.get(jobId);
}

export function upsertJob(patch: JobPatch): ActiveJob {
  const previous = jobs.get(patch.job_id);
  const now = Date.now();
  const status = patch.status ?? previous?.status ?? "pending";
  const finished = FINISHED.has(status);
  const next: ActiveJob = {
    job_id: patch.job_id,
    job_type: patch.job_type ?? previous?.job_type ?? "",
    status,
    progress_pct: clampPct(patch.progress_pct ?? previous?.progress_pct ?? 0),
    progress_detail: patch.progress_detail ?? previous?.progress_detail ?? "",
    label: patch.label ?? previous?.label ?? "Job",
    href: patch.href !== undefined ? patch.href : (previous?.href ?? null),
    run_id: patch.run_id !== undefined ? patch.run_id : (previous?.run_id ?? null),
    error: patch.error ?? previous?.error ?? "",
    created_at: patch.created_at ?? previous?.created_at ?? now,
    finished_at: finished ? (patch.finished_at ?? previous?.finished_at ?? now) : null,
    updated_at: now,
  };
  jobs.set(next.job_id, next);
  pruneFinished();
  notify();
  return next;
}

export function removeJob(jobId: string): void {
  if (jobs.delete(jobId)) notify();
}

export function clearFinishedJobs(): void {
  let changed = false;
  for (const [id, job] of jobs) {
    if (isJobFinished(job)) changed = jobs.delete(id) || changed;
  }
  if (changed) notify();
}

export function onJobsChange(listener: JobsListener): () => void {
  listeners.add(listener);
  listener(listJobs());
  return () => listeners.delete(listener);
}

function pruneFinished(): void {
  const keep = new Set(recentJobs([...jobs.values()]).map((j) => j.job_id));
  for (const [id, job] of jobs) {
    if (isJobFinished(job) && !keep.has(id)) jobs.delete(id);
  }
}

function notify(): void {
  const snapshot = listJobs();
  for (const listener of listeners) listener(snapshot);
}

function clampPct(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}
