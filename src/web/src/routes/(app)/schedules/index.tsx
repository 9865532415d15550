// Schedules: recurring benchmarks and tool evals (interval, or cron in a time zone) with regression alerts. The
// list (last and next run, last status, enable, run now, edit, delete), the create/edit form, and one schedule's
// trend (?id=…). Runs are ordinary jobs: they show in the jobs bell and in History.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation, useNavigate } from "@builder.io/qwik-city";
import { Badge } from "~/components/badge";
import { ErrorBanner } from "~/components/error-banner";
import { ScheduleForm } from "~/components/schedules/schedule-form";
import { ScheduleTrendView } from "~/components/schedules/schedule-trend";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { timingLabel } from "~/lib/schedule-trend";
import type { Schedule } from "~/lib/schedule-types";
import { showToast, toastError } from "~/lib/toast";

const PAGE = "/schedules/";

export default component$(() => {
  const loc = useLocation();
  const nav = useNavigate();
  const schedules = useSignal<Schedule[]>([]);
  const state = useStore({ loading: true, error: "", selectedId: "", editing: "" as "" | "new" | string, busy: "" });

  const load = $(async () => {
    try {
      schedules.value = (await api.get<{ schedules: Schedule[] }>("/api/schedules")).schedules;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      void load();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let late: ReturnType<typeof setTimeout> | undefined;
      const reload = () => {
        clearTimeout(timer);
        timer = setTimeout(() => void load(), 300);
        // The schedule's last status is written by the outcome path just after the job ends: read it again then.
        clearTimeout(late);
        late = setTimeout(() => void load(), 2000);
      };
      cleanup(onLiveEvent("job_completed", reload));
      cleanup(onLiveEvent("job_created", reload));
      cleanup(onLiveEvent("schedule_alert", reload));
      cleanup(() => {
        clearTimeout(timer);
        clearTimeout(late);
      });
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      state.selectedId = new URL(location.href).searchParams.get("id") ?? "";
    },
    { strategy: "document-ready" },
  );

  const open = $((id: string) => nav(id ? `${PAGE}?id=${encodeURIComponent(id)}` : PAGE));

  const runNow = $(async (s: Schedule) => {
    state.busy = s.id;
    try {
      const r = await api.post<{ job_id: string; run_id?: string; eval_id?: string }>(`/api/schedules/${encodeURIComponent(s.id)}/trigger`);
      showToast("success", `“${s.name}” submitted: it shows in the jobs bell and then in History.`);
      void r;
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  const toggle = $(async (s: Schedule) => {
    state.busy = s.id;
    try {
      await api.post(`/api/schedules/${encodeURIComponent(s.id)}/${s.enabled ? "disable" : "enable"}`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  const remove = $(async (s: Schedule) => {
    const ok = await confirmAction({
      title: "Delete this schedule?",
      message: `“${s.name}” and its alerts are deleted; its runs stay in History.`,
      confirmLabel: "Delete schedule",
    });
    if (!ok) return;
    try {
      await api.del(`/api/schedules/${encodeURIComponent(s.id)}`);
      if (state.selectedId === s.id) await open("");
      await load();
    } catch (err) {
      toastError(err);
    }
  });

  const saved = $(async (s: Schedule) => {
    state.editing = "";
    showToast("success", `Saved “${s.name}”. Next run ${fmtDateTime(s.next_run)}.`);
    await load();
  });

  const selected = schedules.value.find((s) => s.id === state.selectedId) ?? null;
  const editingSchedule = state.editing && state.editing !== "new" ? (schedules.value.find((s) => s.id === state.editing) ?? null) : null;

  return (
    <section class="page schedules-page">
      <header class="page-header">
        <div>
          <h1>Schedules</h1>
          <p class="page-lede">
            Re-run a benchmark or a tool eval on your own prompts and tools, every few hours or on a cron expression, and get an alert when a provider
            gets slower, dearer or worse.
          </p>
        </div>
        {!state.editing && (
          <button type="button" class="btn btn-primary" data-testid="schedule-new" onClick$={() => (state.editing = "new")}>
            New schedule
          </button>
        )}
      </header>

      {state.error && <ErrorBanner message={state.error} onAction$={load} />}

      {state.editing && (
        <ScheduleForm
          key={state.editing}
          schedule={editingSchedule}
          onSaved$={saved}
          onCancel$={$(() => {
            state.editing = "";
          })}
        />
      )}

      {!state.loading && !schedules.value.length && !state.editing && (
        <p class="muted" data-testid="schedules-empty">
          No schedules yet. Create one to track a model's speed, cost or tool accuracy over time.
        </p>
      )}

      {schedules.value.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="schedules-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Runs</th>
                <th>Models</th>
                <th>When</th>
                <th>Last run</th>
                <th>Next run</th>
                <th>Status</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {schedules.value.map((s) => (
                <tr key={s.id} data-testid={`schedule-row-${s.id}`} class={s.id === state.selectedId ? "is-selected" : ""}>
                  <td>
                    <button type="button" class="link-btn" data-testid={`schedule-open-${s.id}`} onClick$={() => open(s.id)}>
                      {s.name}
                    </button>
                  </td>
                  <td>{s.kind === "benchmark" ? "benchmark" : "tool eval"}</td>
                  <td class="small">{s.models.map((m) => m.split("::").pop()).join(", ")}</td>
                  <td class="small mono">{timingLabel(s)}</td>
                  <td class="nowrap small">
                    {fmtDateTime(s.last_run)}{" "}
                    {s.last_status && (
                      <Badge
                        tone={s.last_status === "completed" ? "lime" : s.last_status === "skipped" || s.last_status === "failed" ? "coral" : "grey"}
                        testId={`schedule-status-${s.id}`}
                      >
                        {s.last_status}
                      </Badge>
                    )}
                    {s.last_error && <span class="muted small"> {s.last_error}</span>}
                  </td>
                  <td class="nowrap small" data-testid={`schedule-next-${s.id}`}>
                    {s.enabled ? fmtDateTime(s.next_run) : "—"}
                  </td>
                  <td>
                    <label class="check-row">
                      <input
                        type="checkbox"
                        data-testid={`schedule-enabled-${s.id}`}
                        checked={s.enabled}
                        disabled={state.busy === s.id}
                        onChange$={() => toggle(s)}
                      />
                      <span class="small">{s.enabled ? "on" : "off"}</span>
                    </label>
                  </td>
                  <td class="nowrap">
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      data-testid={`schedule-run-${s.id}`}
                      disabled={state.busy === s.id}
                      onClick$={() => runNow(s)}
                    >
                      Run now
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" data-testid={`schedule-edit-${s.id}`} onClick$={() => (state.editing = s.id)}>
                      Edit
                    </button>
                    <button type="button" class="btn btn-danger-ghost btn-sm" data-testid={`schedule-delete-${s.id}`} onClick$={() => remove(s)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {selected && (
        <>
          <h2 class="te-subtitle" data-testid="schedule-detail-name">
            {selected.name}
          </h2>
          <ScheduleTrendView id={selected.id} />
        </>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "Schedules" };
