// One experiment: baseline and best cards, "run best", a link to run an eval linked to it, archive/unarchive,
// delete, and the timeline (chart.js, loaded lazily by ChartCanvas, with a table of the same numbers). Refreshes
// when a linked run ends (`experiment_updated`, `job_completed`).

import { $, component$, type QRL, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import { Link } from "@builder.io/qwik-city";
import { Badge, type BadgeTone } from "~/components/badge";
import { ChartCanvas } from "~/components/charts/chart-canvas";
import { ErrorBanner } from "~/components/error-banner";
import { ShareButton } from "~/components/share/share-button";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { onLiveEvent } from "~/lib/event-bus";
import { timelineChart } from "~/lib/experiment-chart";
import { ENTRY_LABEL, type Experiment, type ExperimentTimeline, type SignificanceLabel } from "~/lib/experiment-types";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
const pts = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${(x * 100).toFixed(1)} pts`);

const LABEL_TONE: Record<SignificanceLabel, BadgeTone> = { significant: "lime", "not significant": "grey", "insufficient evidence": "amber" };
const SOURCE_LABEL: Record<string, string> = { eval: "an eval", param_tune: "a param tune", prompt_tune: "a prompt tune" };

/** Where a linked run's kind is listed (its history). */
const RUN_PAGE: Record<string, string> = {
  eval: "/tool-eval/history/",
  param_tune: "/tool-eval/param-tune/",
  prompt_tune: "/tool-eval/prompt-tune/",
};

export interface ExperimentDetailProps {
  id: string;
  onChanged$: QRL<() => void>;
  onDeleted$: QRL<() => void>;
}

export const ExperimentDetail = component$<ExperimentDetailProps>((props) => {
  const experiment = useSignal<Experiment | null>(null);
  const timeline = useSignal<ExperimentTimeline | null>(null);
  const error = useSignal("");
  const busy = useSignal("");
  const view = useSignal<"chart" | "table">("chart");

  const load = $(async () => {
    try {
      const [e, t] = await Promise.all([
        api.get<Experiment>(`/api/experiments/${encodeURIComponent(props.id)}`),
        api.get<ExperimentTimeline>(`/api/experiments/${encodeURIComponent(props.id)}/timeline`),
      ]);
      experiment.value = e;
      timeline.value = t;
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
      timer = setTimeout(() => void load(), 250);
    };
    cleanup(onLiveEvent("experiment_updated", (e) => e.experiment_id === props.id && reload()));
    cleanup(onLiveEvent("job_completed", reload));
    cleanup(onLiveEvent("job_created", reload));
    cleanup(() => clearTimeout(timer));
  });

  const runBest = $(async () => {
    busy.value = "run-best";
    try {
      await api.post<{ job_id: string; eval_id: string }>(`/api/experiments/${encodeURIComponent(props.id)}/run-best`, {});
      showToast("success", "Submitted an eval with the best config; it joins the timeline when it ends.");
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      busy.value = "";
    }
  });

  const setStatus = $(async (status: "active" | "archived") => {
    busy.value = "status";
    try {
      experiment.value = await api.put<Experiment>(`/api/experiments/${encodeURIComponent(props.id)}`, { status });
      await props.onChanged$();
    } catch (err) {
      toastError(err);
    } finally {
      busy.value = "";
    }
  });

  const remove = $(async () => {
    const e = experiment.value;
    if (!e) return;
    const ok = await confirmAction({
      title: "Delete this experiment?",
      message: `“${e.name}” is deleted; its ${e.run_count} linked runs stay in history, unlinked.`,
      confirmLabel: "Delete experiment",
    });
    if (!ok) return;
    busy.value = "delete";
    try {
      await api.del(`/api/experiments/${encodeURIComponent(props.id)}`);
      await props.onDeleted$();
    } catch (err) {
      toastError(err);
    } finally {
      busy.value = "";
    }
  });

  const e = experiment.value;
  const t = timeline.value;
  if (error.value && !e) return <ErrorBanner message={error.value} onAction$={load} testId="experiment-error" />;
  if (!e || !t) return <div class="skeleton-card" aria-hidden="true" />;
  const chart = timelineChart(t);
  const archived = e.status === "archived";
  const evalHref = `/tool-eval/evaluate/?suite=${encodeURIComponent(e.suite_id)}&experiment=${encodeURIComponent(e.id)}`;

  return (
    <section class="experiment-detail" data-testid="experiment-detail" aria-label={`Experiment ${e.name}`}>
      <header class="page-header">
        <div>
          <h2 data-testid="experiment-name">
            {e.name} {archived && <Badge tone="outline">archived</Badge>}
          </h2>
          <p class="muted small">
            Suite <strong class="text-strong">{e.suite_name}</strong>
            {e.description && ` · ${e.description}`}
          </p>
        </div>
        <div class="te-row-actions">
          {!archived && (
            <Link href={evalHref} class="btn btn-ghost btn-sm" data-testid="experiment-run-eval">
              Run an eval
            </Link>
          )}
          {!archived && (
            <button
              type="button"
              class="btn btn-primary btn-sm"
              data-testid="experiment-run-best"
              disabled={!e.best_config || busy.value !== ""}
              title={e.best_config ? "Evaluate the suite with the best config found so far" : "No best config yet"}
              onClick$={runBest}
            >
              {busy.value === "run-best" ? "Submitting…" : "Run best"}
            </button>
          )}
          <ShareButton resourceType="experiment" resourceId={e.id} what="this experiment's timeline" testId="experiment-share" />
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid="experiment-archive"
            disabled={busy.value !== ""}
            onClick$={() => setStatus(archived ? "active" : "archived")}
          >
            {archived ? "Unarchive" : "Archive"}
          </button>
          <button type="button" class="btn btn-danger-ghost btn-sm" data-testid="experiment-delete" disabled={busy.value !== ""} onClick$={remove}>
            Delete
          </button>
        </div>
      </header>

      <div class="experiment-cards">
        <div class="card" data-testid="experiment-baseline">
          <p class="card-title">Baseline</p>
          <p class="stat-value">{pct(e.baseline_score)}</p>
          <p class="muted small">
            {e.baseline_eval_id
              ? e.baseline_score === null
                ? "The baseline eval is still running."
                : "The eval every delta is measured against."
              : "None yet: the first linked eval becomes the baseline."}
          </p>
        </div>
        <div class="card" data-testid="experiment-best">
          <p class="card-title">Best</p>
          <p class="stat-value">{pct(e.best_score)}</p>
          <p class="muted small">
            {e.best_config
              ? `From ${SOURCE_LABEL[e.best_source ?? ""] ?? "a run"}: ${e.best_config.targets.map((x) => x.model_id).join(", ")}, temp ${e.best_config.temperature}, tool_choice ${e.best_config.tool_choice}${e.best_config.system_prompt ? ", with a system prompt" : ""}`
              : "None yet."}
          </p>
        </div>
      </div>

      <section class="card" aria-label="Timeline" data-testid="experiment-timeline">
        <div class="te-toolbar">
          <h3 class="te-subtitle">Timeline · {t.entries.length} linked runs</h3>
          <div class="push-right">
            <button
              type="button"
              class={`btn btn-ghost btn-sm${view.value === "chart" ? " is-active" : ""}`}
              aria-pressed={view.value === "chart"}
              data-testid="timeline-view-chart"
              onClick$={() => (view.value = "chart")}
            >
              Chart
            </button>
            <button
              type="button"
              class={`btn btn-ghost btn-sm${view.value === "table" ? " is-active" : ""}`}
              aria-pressed={view.value === "table"}
              data-testid="timeline-view-table"
              onClick$={() => (view.value = "table")}
            >
              Table
            </button>
          </div>
        </div>
        {!t.entries.length ? (
          <p class="muted" data-testid="timeline-empty">
            No linked runs yet. Pick this experiment on Evaluate, Param Tuner or Prompt Tuner, or use “Run an eval”.
          </p>
        ) : view.value === "chart" && chart ? (
          <ChartCanvas
            testId="experiment-timeline-chart"
            spec={chart}
            height={260}
            label="Score of each linked run, oldest first, against the baseline"
          />
        ) : (
          <div class="table-wrap">
            <table class="table" data-testid="experiment-timeline-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Run</th>
                  <th>When</th>
                  <th>Status</th>
                  <th class="num">Score</th>
                  <th class="num">Δ baseline</th>
                  <th>Significance</th>
                  <th>Config</th>
                </tr>
              </thead>
              <tbody>
                {t.entries.map((x, i) => {
                  const href = RUN_PAGE[x.type];
                  return (
                    <tr key={x.id} data-testid={`timeline-row-${x.id}`} data-type={x.type}>
                      <td class="num">{i + 1}</td>
                      <td>
                        {href ? <Link href={href}>{ENTRY_LABEL[x.type] ?? x.type}</Link> : (ENTRY_LABEL[x.type] ?? x.type)}{" "}
                        {x.is_baseline && <Badge tone="blue">baseline</Badge>} {x.is_best && <Badge tone="lime">best</Badge>}
                      </td>
                      <td class="nowrap muted">{fmtDateTime(x.timestamp)}</td>
                      <td>{x.status}</td>
                      <td class="num mono">{pct(x.score)}</td>
                      <td
                        class={`num mono${x.delta !== null && x.delta > 0 ? " text-accent" : x.delta !== null && x.delta < 0 ? " text-danger" : ""}`}
                      >
                        {pts(x.delta)}
                      </td>
                      <td>
                        {x.significance_label ? (
                          <Badge tone={LABEL_TONE[x.significance_label]} title={x.significance?.statement} testId={`timeline-significance-${x.id}`}>
                            {x.significance_label}
                          </Badge>
                        ) : (
                          <span class="muted">—</span>
                        )}
                      </td>
                      <td class="small">{x.config_summary}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {view.value === "chart" && t.entries.length > 0 && (
          <p class="muted small">
            Significance: the paired test per test case against the baseline (the same test the tuners use); the table view lists each run's verdict.
          </p>
        )}
      </section>
    </section>
  );
});
