// Keeps the jobs store in step with the server: GET /api/jobs on start, then `sync` and job lifecycle events.
import type { JobView } from "../../../shared/jobs.ts";
import { api } from "./api-client";
import { onLiveEvent } from "./event-bus";
import { getJob, isJobFinished, type JobPatch, listJobs, removeJob, upsertJob } from "./jobs-store";
import type { LiveEventOf } from "./live-events.ts";

const TYPE_LABELS: Record<string, string> = {
  benchmark: "Benchmark",
  scheduled_benchmark: "Scheduled benchmark",
  tool_eval: "Tool eval",
  param_tune: "Parameter tuning",
  prompt_tune: "Prompt tuning",
  judge: "Judge",
  judge_compare: "Judge comparison",
  capacity: "Capacity probe",
};

export function jobTypeLabel(type: string): string {
  return TYPE_LABELS[type] ?? (type ? type.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase()) : "Job");
}

export function isBenchmarkType(type: string): boolean {
  return type === "benchmark" || type === "scheduled_benchmark";
}

/** Benchmarks and tool evals link to their live view while active and to their History once finished; a tune to its page. */
export function jobHref(type: string, jobId: string, finished: boolean, runId: string | null): string | null {
  if (isBenchmarkType(type)) {
    return finished && runId ? `/history/?run=${encodeURIComponent(runId)}` : `/benchmark/?job=${encodeURIComponent(jobId)}`;
  }
  if (type === "tool_eval") {
    return finished && runId ? `/tool-eval/history/?run=${encodeURIComponent(runId)}` : `/tool-eval/evaluate/?job=${encodeURIComponent(jobId)}`;
  }
  if (type === "param_tune") return `/tool-eval/param-tune/?job=${encodeURIComponent(jobId)}`;
  if (type === "prompt_tune") return `/tool-eval/prompt-tune/?job=${encodeURIComponent(jobId)}`;
  if (type === "capacity") return `/capacity/?job=${encodeURIComponent(jobId)}`;
  return null;
}

function labelFor(type: string, models: unknown): string {
  const base = jobTypeLabel(type);
  return typeof models === "number" && models > 0 ? `${base} · ${models} model${models === 1 ? "" : "s"}` : base;
}

function time(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function patchFromView(view: JobView): JobPatch {
  const fromParams = view.params?.run_id ?? view.params?.eval_id ?? view.params?.tune_id; // benchmark run / tool-eval run / tune
  const runId = typeof fromParams === "string" ? fromParams : (view.result_ref ?? null);
  const finished = isJobFinished(view);
  return {
    job_id: view.id,
    job_type: view.job_type,
    status: view.status,
    progress_pct: view.progress_pct,
    progress_detail: view.progress_detail,
    label: labelFor(view.job_type, view.params?.models),
    run_id: runId,
    href: jobHref(view.job_type, view.id, finished, runId),
    error: view.error_msg ?? "",
    error_count: view.error_count ?? 0,
    created_at: time(view.created_at),
    finished_at: finished ? (time(view.completed_at) ?? undefined) : null,
  };
}

/** Applies a status change to a known (or new) job, recomputing its link. */
function setStatus(jobId: string, patch: Omit<JobPatch, "job_id">): void {
  const previous = getJob(jobId);
  const type = patch.job_type ?? previous?.job_type ?? "";
  const runId = patch.run_id !== undefined ? patch.run_id : (previous?.run_id ?? null);
  const status = patch.status ?? previous?.status ?? "pending";
  upsertJob({
    ...patch,
    job_id: jobId,
    href: jobHref(type, jobId, isJobFinished({ status }), runId),
    label: patch.label ?? previous?.label ?? jobTypeLabel(type),
  });
}

function applySync(event: LiveEventOf<"sync">): void {
  const active = event.active_jobs;
  const recent = event.recent_jobs;
  const activeIds = new Set(active.map((j) => j.id));
  const recentById = new Map(recent.map((j) => [j.id, j]));
  // Jobs we thought were active but the server no longer lists: take the finished view, or drop them.
  for (const job of listJobs()) {
    if (isJobFinished(job) || activeIds.has(job.job_id)) continue;
    if (!recentById.has(job.job_id)) removeJob(job.job_id);
  }
  for (const view of [...recent].reverse()) upsertJob(patchFromView(view));
  for (const view of active) upsertJob(patchFromView(view));
}

let started = false;

/** Starts (once) feeding the jobs store; safe to call from every page. */
export function startJobsSync(): void {
  if (started || typeof window === "undefined") return;
  started = true;
  onLiveEvent("sync", applySync);
  onLiveEvent("job_created", (e) => {
    setStatus(e.job_id, {
      job_type: e.job_type,
      status: e.status,
      progress_detail: e.progress_detail,
      created_at: time(e.created_at),
      label: getJob(e.job_id)?.label ?? jobTypeLabel(e.job_type),
    });
  });
  onLiveEvent("job_started", (e) => setStatus(e.job_id, { status: "running", job_type: e.job_type }));
  onLiveEvent("job_progress", (e) => {
    const previous = getJob(e.job_id);
    setStatus(e.job_id, {
      status: previous && isJobFinished(previous) ? previous.status : "running",
      progress_pct: e.progress_pct,
      progress_detail: e.progress_detail,
    });
  });
  onLiveEvent("job_completed", (e) =>
    setStatus(e.job_id, {
      status: "done",
      progress_pct: 100,
      run_id: e.result_ref || undefined,
      error: e.error ?? "",
      error_count: e.error_count ?? 0,
    }),
  );
  onLiveEvent("job_failed", (e) => setStatus(e.job_id, { status: "failed", error: e.error }));
  onLiveEvent("job_cancelled", (e) => setStatus(e.job_id, { status: "cancelled" }));
  onLiveEvent("benchmark_init", (e) => {
    const previous = getJob(e.job_id);
    setStatus(e.job_id, {
      job_type: previous?.job_type || "benchmark",
      run_id: e.data.run_id,
      label: labelFor(previous?.job_type || "benchmark", e.data.targets.length),
    });
  });
  onLiveEvent("tool_eval_init", (e) => {
    setStatus(e.job_id, { job_type: "tool_eval", run_id: e.data.eval_id, label: labelFor("tool_eval", e.data.targets.length) });
  });
  void hydrate();
}

async function hydrate(): Promise<void> {
  try {
    const { jobs } = await api.get<{ jobs: JobView[] }>("/api/jobs?status=pending,queued,running&limit=20");
    for (const view of jobs ?? []) {
      const known = getJob(view.id);
      if (known && isJobFinished(known)) continue; // a live event already finished it
      upsertJob(patchFromView(view));
    }
  } catch {
    // The bell stays empty; the WebSocket `sync` fills it once connected.
  }
}

/** Cancels any job; the store flips to "cancelled" right away (the server confirms with job_cancelled). */
export async function cancelJob(jobId: string): Promise<void> {
  await api.post(`/api/jobs/${encodeURIComponent(jobId)}/cancel`);
  setStatus(jobId, { status: "cancelled" });
}
