// A schedule's trend: per metric, each model's value per run with the baseline band and the runs that raised an
// alert (chart.js, lazy-loaded by ChartCanvas), or the same numbers as a table; the schedule's alerts below.
import { $, component$, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import { Badge } from "~/components/badge";
import { ChartCanvas } from "~/components/charts/chart-canvas";
import { ErrorBanner } from "~/components/error-banner";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { metricTrends } from "~/lib/schedule-trend";
import { CAUSE_LABEL, METRIC_LABEL, type ScheduleTrend, TEST_LABEL } from "~/lib/schedule-types";

export const ScheduleTrendView = component$<{ id: string }>((props) => {
  const trend = useSignal<ScheduleTrend | null>(null);
  const error = useSignal("");
  const view = useSignal<"chart" | "table">("chart");

  const load = $(async () => {
    try {
      trend.value = await api.get<ScheduleTrend>(`/api/schedules/${encodeURIComponent(props.id)}/trend`);
      error.value = "";
    } catch (err) {
      error.value = describeError(err).message;
    }
  });

  useVisibleTask$(({ track, cleanup }) => {
    track(() => props.id);
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 500);
    };
    cleanup(onLiveEvent("job_completed", reload));
    cleanup(onLiveEvent("schedule_alert", reload));
    cleanup(() => clearTimeout(timer));
  });

  if (error.value) return <ErrorBanner message={error.value} onAction$={load} testId="schedule-trend-error" />;
  const t = trend.value;
  if (!t) return <div class="skeleton-card" aria-hidden="true" />;
  const metrics = metricTrends(t);

  return (
    <section class="card schedule-trend" data-testid="schedule-trend" aria-label="Trend">
      <div class="te-toolbar">
        <h3 class="te-subtitle">Trend · band: {t.band}</h3>
        <div class="push-right">
          {(["chart", "table"] as const).map((v) => (
            <button
              key={v}
              type="button"
              class={`btn btn-ghost btn-sm${view.value === v ? " is-active" : ""}`}
              aria-pressed={view.value === v}
              data-testid={`trend-view-${v}`}
              onClick$={() => (view.value = v)}
            >
              {v === "chart" ? "Chart" : "Table"}
            </button>
          ))}
        </div>
      </div>
      {!metrics.length && <p class="muted">No finished scheduled runs yet: “Run now” or wait for the next run.</p>}
      {metrics.map((m) => (
        <div key={m.metric} class="schedule-metric" data-testid={`trend-${m.metric}`}>
          <h4>{m.label}</h4>
          {view.value === "chart" ? (
            m.charts.map((spec, i) => (
              <ChartCanvas
                key={`${m.metric}-${i}`}
                testId={`trend-chart-${m.metric}-${i}`}
                spec={spec}
                height={200}
                label={`${m.label} of each scheduled run with the baseline band and alerts`}
              />
            ))
          ) : (
            <div class="table-wrap">
              <table class="table" data-testid={`trend-table-${m.metric}`}>
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Model</th>
                    <th class="num">Value ({m.unit})</th>
                    <th>Baseline band</th>
                    <th>Alert</th>
                  </tr>
                </thead>
                <tbody>
                  {m.rows.map((r) => (
                    <tr key={`${r.run_id}-${r.model}`} data-alert={r.alert ? "1" : "0"}>
                      <td class="nowrap muted">{fmtDateTime(r.created_at)}</td>
                      <td class="mono small">{r.model}</td>
                      <td class="num mono">{r.value}</td>
                      <td class="mono small">{r.band}</td>
                      <td>{r.alert && <Badge tone="coral">alert</Badge>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
      <h3 class="te-subtitle">Alerts · {t.alerts.length}</h3>
      {!t.alerts.length ? (
        <p class="muted small">None.</p>
      ) : (
        <ul class="schedule-alert-list" data-testid="schedule-alerts">
          {t.alerts.map((a) => (
            <li key={a.id} data-testid={`schedule-alert-${a.id}`}>
              <strong>{METRIC_LABEL[a.metric]}</strong> {a.model_id}: {Number(a.baseline_value.toPrecision(4))} → {Number(a.value.toPrecision(4))} ·{" "}
              {CAUSE_LABEL[a.cause] ?? a.cause} <span class="muted small">({a.cause_detail})</span>
              <br />
              <span class="muted small">
                {fmtDateTime(a.created_at)} · {TEST_LABEL[a.test] ?? a.test} · {a.statement} · webhook {a.webhook_status}
                {a.webhook_attempts ? ` after ${a.webhook_attempts} attempt${a.webhook_attempts === 1 ? "" : "s"}` : ""}
                {a.acknowledged_at ? " · acknowledged" : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
