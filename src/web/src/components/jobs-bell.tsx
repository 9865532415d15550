// Notifications bell: dropdown of active jobs from the jobs store ("No active jobs" when empty).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { Link } from "@builder.io/qwik-city";
import { isJobFinished, onJobsChange, removeJob, type ActiveJob } from "~/lib/jobs-store";

export const JobsBell = component$(() => {
  const open = useSignal(false);
  const rootRef = useSignal<HTMLElement>();
  const state = useStore<{ jobs: ActiveJob[] }>({ jobs: [] });

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onJobsChange((jobs) => (state.jobs = jobs.map((j) => ({ ...j })))));
    },
    { strategy: "document-ready" },
  );

  const close = $(() => {
    open.value = false;
  });

  const running = state.jobs.filter((j) => !isJobFinished(j)).length;

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
        aria-haspopup="true"
        aria-expanded={open.value}
        aria-controls="jobs-panel"
        aria-label={running ? `Notifications: ${running} active job${running === 1 ? "" : "s"}` : "Notifications"}
        onClick$={() => (open.value = !open.value)}
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
        {running > 0 && <span class="bell-count">{running}</span>}
      </button>
      <div id="jobs-panel" class="dropdown jobs-panel" hidden={!open.value} data-testid="jobs-panel">
        <div class="dropdown-header">
          <span>Active jobs</span>
          {running > 0 && <span class="muted small">{running} running</span>}
        </div>
        {state.jobs.length === 0 ? (
          <p class="dropdown-empty">No active jobs</p>
        ) : (
          <ul class="job-list">
            {state.jobs.map((job) => (
              <li key={job.job_id} class="job-item" data-testid={`job-${job.job_id}`}>
                <div class="job-top">
                  {job.href ? (
                    <Link href={job.href} class="job-label" onClick$={close}>
                      {job.label}
                    </Link>
                  ) : (
                    <span class="job-label">{job.label}</span>
                  )}
                  <span class={`job-status job-status-${job.status}`}>{job.status}</span>
                </div>
                <div
                  class="progress"
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(job.progress_pct)}
                  aria-label={`${job.label} progress`}
                >
                  <span class="progress-fill" style={{ width: `${job.progress_pct}%` }} />
                </div>
                <div class="job-bottom">
                  <span class="muted small">{job.progress_detail || `${Math.round(job.progress_pct)}%`}</span>
                  {isJobFinished(job) && (
                    <button type="button" class="link-btn small" onClick$={() => removeJob(job.job_id)}>
                      Dismiss
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
});
