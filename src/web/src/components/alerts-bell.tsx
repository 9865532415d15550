// Alerts bell (app header): schedules' regression alerts, the unacknowledged count, acknowledge one or all.
// Loads once the page is visible and again on every `schedule_alert` live event.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { fmtRelative } from "~/lib/bench-format";
import { onLiveEvent } from "~/lib/event-bus";
import { CAUSE_LABEL, METRIC_LABEL, type ScheduleAlert } from "~/lib/schedule-types";
import { toastError } from "~/lib/toast";

const change = (a: Pick<ScheduleAlert, "metric" | "change_pct">) =>
  a.metric === "error_rate" || a.metric === "tool_accuracy"
    ? `${a.change_pct > 0 ? "+" : ""}${a.change_pct.toFixed(1)} pts`
    : `${a.change_pct > 0 ? "+" : ""}${a.change_pct.toFixed(0)} %`;

interface AlertsState {
  alerts: ScheduleAlert[];
  unacknowledged: number;
  now: number;
}

// A plain function, not a $-closure: the load-time task imports it directly, so running it on every page does not
// fetch the bell's render code (Qwik groups a component's $-closures with it). The state is assigned only when
// something changed: with no alerts the bell never re-renders on load.
async function loadAlerts(state: AlertsState): Promise<void> {
  try {
    const r = await api.get<{ alerts: ScheduleAlert[]; unacknowledged: number }>("/api/alerts?limit=20");
    if (JSON.stringify(r.alerts) !== JSON.stringify(state.alerts)) state.alerts = r.alerts;
    if (r.unacknowledged !== state.unacknowledged) state.unacknowledged = r.unacknowledged;
  } catch {
    // signed out or offline: the bell stays as it was
  }
}

export const AlertsBell = component$(() => {
  const open = useSignal(false);
  const rootRef = useSignal<HTMLElement>();
  const state = useStore<AlertsState>({ alerts: [], unacknowledged: 0, now: 0 });

  useVisibleTask$(
    ({ cleanup }) => {
      void loadAlerts(state);
      cleanup(onLiveEvent("schedule_alert", () => void loadAlerts(state)));
    },
    { strategy: "document-ready" },
  );

  const acknowledge = $(async (ids: string[] | null) => {
    try {
      await api.post("/api/alerts/acknowledge", ids ? { ids } : { all: true });
      await loadAlerts(state);
    } catch (err) {
      toastError(err);
    }
  });

  const count = state.unacknowledged;
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
        data-testid="alerts-bell"
        data-count={count}
        aria-haspopup="true"
        aria-expanded={open.value}
        aria-controls="alerts-panel"
        aria-label={count ? `Alerts: ${count} unacknowledged` : "Alerts"}
        onClick$={() => {
          open.value = !open.value;
          state.now = Date.now();
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            d="M12 3 2 20h20L12 3Zm0 6v5m0 3v.5"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        {count > 0 && (
          <span class="bell-count bell-count-alert" data-testid="alerts-bell-count">
            {count}
          </span>
        )}
      </button>
      <div id="alerts-panel" class="dropdown alerts-panel" hidden={!open.value} data-testid="alerts-panel">
        <div class="dropdown-header">
          <span>Regression alerts</span>
          {count > 0 ? (
            <button type="button" class="link-btn small" data-testid="alerts-ack-all" onClick$={() => acknowledge(null)}>
              Acknowledge all
            </button>
          ) : (
            <span class="muted small">None open</span>
          )}
        </div>
        {!state.alerts.length && <p class="dropdown-empty">No alerts: your schedules' runs are within their baselines.</p>}
        <ul class="job-list" aria-label="Alerts">
          {state.alerts.map((a) => (
            <li key={a.id} class={`job-item alert-item${a.acknowledged_at ? " is-acked" : ""}`} data-testid={`alert-${a.id}`} data-metric={a.metric}>
              <div class="job-top">
                <a href={`/schedules/?id=${encodeURIComponent(a.schedule_id)}`} class="job-label">
                  {a.schedule_name}: {METRIC_LABEL[a.metric]} {change(a)}
                </a>
                {!a.acknowledged_at && (
                  <button type="button" class="link-btn small" data-testid={`alert-ack-${a.id}`} onClick$={() => acknowledge([a.id])}>
                    Acknowledge
                  </button>
                )}
              </div>
              <p class="muted small">
                {a.model_id} · {CAUSE_LABEL[a.cause] ?? a.cause} · {fmtRelative(a.created_at, state.now || Date.now())}
              </p>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
});
