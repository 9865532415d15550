// Admin → Jobs: every user's pending, queued and running jobs, with a cancel that goes to the owner's hub.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { AdminJob } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import { Badge } from "../badge";

/** Active jobs change on their own; the list refreshes while the tab is open. */
const REFRESH_MS = 3000;

export const JobsPanel = component$(() => {
  const state = useStore({ loading: true, error: "", jobs: [] as AdminJob[], busy: "" });

  const load = $(async () => {
    try {
      state.jobs = (await api.get<{ jobs: AdminJob[] }>("/api/admin/jobs")).jobs;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });
  useVisibleTask$(({ cleanup }) => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    cleanup(() => clearInterval(timer));
  });

  const cancel = $(async (job: AdminJob) => {
    const ok = await confirmAction({
      title: "Cancel this job?",
      message: `The ${job.job_type.replace(/_/g, " ")} of ${job.user_email} stops; results so far are kept.`,
      confirmLabel: "Cancel job",
    });
    if (!ok) return;
    state.busy = job.id;
    try {
      await api.post(`/api/admin/jobs/${job.id}/cancel`);
      showToast("success", `Cancelled the job of ${job.user_email}.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  return (
    <div class="settings-panel" data-testid="admin-jobs">
      <div class="panel-head">
        <div>
          <h2>Active jobs</h2>
          <p class="muted small">Every user's running and queued jobs. Cancelling one is recorded in the audit log.</p>
        </div>
      </div>
      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}
        </div>
      )}
      <div class="table-wrap card card-flush">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">User</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Detail</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Cancel</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {!state.loading && state.jobs.length === 0 && (
              <tr>
                <td colSpan={7} class="muted" data-testid="admin-jobs-empty">
                  No active jobs.
                </td>
              </tr>
            )}
            {state.jobs.map((j) => (
              <tr key={j.id} data-testid={`admin-job-${j.id}`}>
                <td>{j.job_type.replace(/_/g, " ")}</td>
                <td>{j.user_email}</td>
                <td>
                  <Badge tone={j.status === "running" ? "lime" : "amber"}>{j.status}</Badge>
                </td>
                <td class="num">{j.progress_pct}%</td>
                <td class="small">{j.progress_detail}</td>
                <td class="nowrap">{fmtDateTime(j.created_at)}</td>
                <td>
                  <button
                    type="button"
                    class="btn btn-danger-ghost btn-sm"
                    disabled={state.busy === j.id}
                    data-testid={`admin-cancel-${j.id}`}
                    onClick$={() => cancel(j)}
                  >
                    Cancel
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
