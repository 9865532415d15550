// Active background jobs keyed by job_id (fed by WS job events); the header bell renders this.

export type JobStatus = "pending" | "queued" | "running" | "done" | "failed" | "cancelled" | (string & {});

export interface ActiveJob {
  job_id: string;
  status: JobStatus;
  progress_pct: number;
  progress_detail: string;
  /** Short human label, e.g. "Benchmark · 4 models". */
  label: string;
  /** Where the bell links to for this job, e.g. "/benchmark/". */
  href: string | null;
  updated_at: number;
}

export type JobPatch = Partial<Omit<ActiveJob, "job_id" | "updated_at">> & { job_id: string };

type JobsListener = (jobs: ActiveJob[]) => void;

const jobs = new Map<string, ActiveJob>();
const listeners = new Set<JobsListener>();

const FINISHED: ReadonlySet<string> = new Set(["done", "failed", "cancelled"]);

export function isJobFinished(job: Pick<ActiveJob, "status">): boolean {
  return FINISHED.has(job.status);
}

/** Newest first. */
export function listJobs(): ActiveJob[] {
  return [...jobs.values()].sort((a, b) => b.updated_at - a.updated_at);
}

export function upsertJob(patch: JobPatch): ActiveJob {
  const previous = jobs.get(patch.job_id);
  const next: ActiveJob = {
    job_id: patch.job_id,
    status: patch.status ?? previous?.status ?? "pending",
    progress_pct: clampPct(patch.progress_pct ?? previous?.progress_pct ?? 0),
    progress_detail: patch.progress_detail ?? previous?.progress_detail ?? "",
    label: patch.label ?? previous?.label ?? "Job",
    href: patch.href !== undefined ? patch.href : (previous?.href ?? null),
    updated_at: Date.now(),
  };
  jobs.set(next.job_id, next);
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

function notify(): void {
  const snapshot = listJobs();
  for (const listener of listeners) listener(snapshot);
}

function clampPct(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}
