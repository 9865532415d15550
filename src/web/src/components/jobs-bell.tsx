// Notifications bell: active jobs (progress, Cancel) and recent finished ones, fed by the jobs store.
// Job links are plain <a> (a full load of the linked page; the router keeps ?job= / ?run= too since the Worker
// serves page data with the query, src/worker/page-data.ts).
import { $, component$, type JSXOutput, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { fmtRelative } from "~/lib/bench-format";
import { type ActiveJob, activeJobs, clearFinishedJobs, onJobsChange, recentJobs } from "~/lib/jobs-store";
import { cancelJob, isBenchmarkType, jobTypeLabel, startJobsSync } from "~/lib/jobs-sync";
import { toastError } from "~/lib/toast";

const STATUS_LABEL: Record<string, string> = {
  pending: "pending",
  queued: "queued",
  running: "running",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
  interrupted: "interrupted",
};

function JobIcon({ type }: { type: string }): JSXOutput {
  const path = isBenchmarkType(type)
    ? "M13 3 5 14h6l-1 7 8-11h-6l1-7Z" // bolt: speed benchmark
    : type === "tool_eval"
      ? "M14.7 6.3a4 4 0 0 0-5.4 5.1L4 16.7 7.3 20l5.3-5.3a4 4 0 0 0 5.1-5.4l-2.5 2.5-2.3-.7-.7-2.3 2.5-2.5Z"
      : "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z";
  return (
    <span class={`job-icon job-icon-${isBenchmarkType(type) ? "bench" : type || "other"}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
        <path d={path} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
    </span>
  );
}

/** A job's icon, label (a link when it has a page) and status, shared by the active and recent lists. */
function jobTop(job: ActiveJob): JSXOutput {
  const label = job.label || jobTypeLabel(job.job_type);
  return (
    <div class="job-top">
      <JobIcon type={job.job_type} />
      {job.href ? (
        <a href={job.href} class="job-label">
          {label}
        </a>
      ) : (
        <span class="job-label">{label}</span>
      )}
      <span class={`job-status job-status-${job.status}`}>{STATUS_LABEL[job.status] ?? job.status}</span>
    </div>
  );
}

export const JobsBell = component$(() => {
  const open = useSignal(false);
  const rootRef = useSignal<HTMLElement>();
  const cancelling = useSignal<string | null>(null);
  const state = useStore<{ jobs: ActiveJob[]; now: number }>({ jobs: [], now: 0 });

  useVisibleTask$(
    ({ cleanup }) => {
      startJobsSync();
      cleanup(
        onJobsChange((jobs) => {
          if (!jobs.length && !state.jobs.length) return; // nothing to show: no re-render, no render code to fetch
          state.jobs = jobs.map((j) => ({ ...j }));
        }),
      );
    },
    { strategy: "document-ready" },
  );

  const cancel = $(async (jobId: string) => {
    cancelling.value = jobId;
    try {
      await cancelJob(jobId);
    } catch (err) {
      toastError(err);
    } finally {
      cancelling.value = null;
    }
  });

  const active = activeJobs(state.jobs);
  const recent = recentJobs(state.jobs);
  const count = active.length;

  return (
    <div
      class="bell"
      ref={rootRef}
      document:onClick$={(event) => {
        if (open.value && rootRef.value && !rootRef.value.contains(event.target as Node)) open.value = false;
      }}
      window:onKeyDown$={(event) => {
        if (open.value && event.key === "Escape") open.value = false;
      }}
    >
      <button
        type="button"
        class="icon-btn"
        data-testid="jobs-bell"
        data-count={count}
        aria-haspopup="true"
        aria-expanded={open.value}
        aria-controls="jobs-panel"
        aria-label={count ? `Notifications: ${count} active job${count === 1 ? "" : "s"}` : "Notifications"}
        onClick$={() => {
          open.value = !open.value;
          state.now = Date.now();
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            d="M12 3a6 6 0 0 0-6 6v3.6l-1.6 2.7A1 1 0 0 0 5.3 17h13.4a1 1 0 0 0 .9-1.7L18 12.6V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        {count > 0 && (
          <span class="bell-count" data-testid="jobs-bell-count">
            {count}
          </span>
        )}
      </button>
      <div id="jobs-panel" class="dropdown jobs-panel" hidden={!open.value} data-testid="jobs-panel">
        <div class="dropdown-header">
          <span>Jobs</span>
          <span class="muted small">{count ? `${count} active` : "Nothing running"}</span>
        </div>

        {active.length === 0 && recent.length === 0 && <p class="dropdown-empty">No active jobs</p>}

        {active.length > 0 && (
          <ul class="job-list" aria-label="Active jobs">
            {active.map((job) => (
              <li key={job.job_id} class="job-item" data-testid={`job-${job.job_id}`} data-status={job.status}>
                {jobTop(job)}
                <div
                  class={`progress${job.status === "running" ? "" : " progress-idle"}`}
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(job.progress_pct)}
                  aria-label={`${job.label} progress`}
                >
                  <span class="progress-fill" style={{ width: `${job.progress_pct}%` }} />
                </div>
                <div class="job-bottom">
                  <span class="muted small job-detail" title={job.progress_detail}>
                    {job.status === "running"
                      ? `${Math.round(job.progress_pct)}%${job.progress_detail ? ` · ${job.progress_detail}` : ""}`
                      : job.status === "queued"
                        ? "Waiting for a free slot"
                        : "Starting…"}
                  </span>
                  <button
                    type="button"
                    class="link-btn small job-cancel"
                    data-testid={`job-cancel-${job.job_id}`}
                    disabled={cancelling.value === job.job_id}
                    onClick$={() => cancel(job.job_id)}
                  >
                    {cancelling.value === job.job_id ? "Cancelling…" : "Cancel"}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}

        {recent.length > 0 && (
          <>
            <div class="dropdown-subheader">
              <span>Recent</span>
              <button type="button" class="link-btn small" onClick$={() => clearFinishedJobs()}>
                Clear
              </button>
            </div>
            <ul class="job-list job-list-recent" aria-label="Recent jobs">
              {recent.map((job) => (
                <li key={job.job_id} class="job-item job-item-done" data-testid={`job-${job.job_id}`} data-status={job.status}>
                  {jobTop(job)}
                  <div class="job-bottom">
                    <span class="muted small job-detail" title={job.error || undefined}>
                      {job.status === "failed" && job.error
                        ? job.error
                        : fmtRelative(new Date(job.finished_at ?? job.updated_at).toISOString(), state.now || Date.now())}
                      {job.status === "done" && (job.error_count ?? 0) > 0 && (
                        <span class="text-danger" data-testid="job-error-count">
                          {" · "}
                          {job.error_count} failed call{job.error_count === 1 ? "" : "s"}
                        </span>
                      )}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
});
