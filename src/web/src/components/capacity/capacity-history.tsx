// Past capacity probes (GET /api/capacity/history): open one (its stored run, the same view as a live probe),
// export it as CSV (one row per level) or JSON (the run with its raw samples), delete it (with the confirm dialog).
// Refreshes when a probe starts or a job ends.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { capacityTargets } from "~/lib/capacity-live-fold";
import type { CapacityRunDetail, CapacityRunSummary } from "~/lib/capacity-types";
import { confirmAction } from "~/lib/confirm";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import { ExportButton } from "../analytics/export-button";
import { Badge } from "../badge";
import { CapacityRunView } from "./capacity-run-view";

const ACTIVE = ["pending", "queued", "running"];

/** A stored run as the run view reads it (the live fold's per-target picture, from the stored targets). */
export function storedTargets(d: CapacityRunDetail) {
  return capacityTargets({
    targets: d.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id, display_name: t.display_name, provider: t.provider_key })),
    results: d.targets.flatMap((t) => t.levels),
    stops: d.targets.flatMap((t) => (t.stopped ? [{ provider_key: t.provider_key, model_id: t.model_id, ...t.stopped }] : [])),
    summaries: d.targets.map((t) => ({
      provider_key: t.provider_key,
      model_id: t.model_id,
      knee_level: t.knee_level,
      max_level_meeting_slo: t.max_level_meeting_slo,
    })),
    timelines: d.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id, points: t.timeline })),
    slo: d.config.slo,
  });
}

export const CapacityHistory = component$(() => {
  const runs = useSignal<CapacityRunSummary[]>([]);
  const details = useSignal<Record<string, CapacityRunDetail>>({});
  const state = useStore({ loading: true, error: "", open: "", busy: "" });

  const load = $(async () => {
    try {
      runs.value = (await api.get<{ runs: CapacityRunSummary[] }>("/api/capacity/history?limit=50")).runs;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  const readDetail = $(async (id: string) => {
    try {
      const d = await api.get<CapacityRunDetail>(`/api/capacity/history/${encodeURIComponent(id)}`);
      details.value = { ...details.value, [id]: d };
    } catch (err) {
      toastError(err);
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      void load();
      cleanup(onLiveEvent("capacity_init", () => void load()));
      for (const type of ["job_completed", "job_failed", "job_cancelled"] as const) {
        cleanup(
          onLiveEvent(type, () => {
            // A moment later, and again after the job's finish step, so the stored run has its final status; an
            // open run is read again.
            for (const delay of [300, 2000]) {
              setTimeout(() => {
                void load();
                if (state.open) void readDetail(state.open);
              }, delay);
            }
          }),
        );
      }
    },
    // The list is below the fold: load it with the page, not when it scrolls into view.
    { strategy: "document-ready" },
  );

  const toggle = $(async (id: string) => {
    if (state.open === id) {
      state.open = "";
      return;
    }
    state.open = id;
    if (!details.value[id]) await readDetail(id);
  });

  const remove = $(async (id: string) => {
    const run = runs.value.find((r) => r.id === id);
    if (!run) return;
    const ok = await confirmAction({
      title: "Delete this probe?",
      message: `The capacity probe from ${fmtDateTime(run.created_at)} and all of its levels and samples are deleted permanently.`,
      confirmLabel: "Delete probe",
    });
    if (!ok) return;
    state.busy = id;
    try {
      await api.del(`/api/capacity/history/${encodeURIComponent(id)}`);
      runs.value = runs.value.filter((r) => r.id !== id);
      if (state.open === id) state.open = "";
      showToast("success", "Probe deleted.");
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  return (
    <section class="card capacity-history" aria-labelledby="capacity-history-heading" data-testid="capacity-history">
      <div class="card-head">
        <h2 id="capacity-history-heading" class="card-title">
          Past probes
        </h2>
      </div>
      {state.error && (
        <p class="field-error" role="alert">
          {state.error}
        </p>
      )}
      {state.loading ? (
        <span class="skeleton-row" aria-hidden="true" />
      ) : runs.value.length === 0 ? (
        <p class="muted small" data-testid="capacity-history-empty">
          No probes yet.
        </p>
      ) : (
        <ul class="history-list">
          {runs.value.map((run) => {
            const open = state.open === run.id;
            const detail = details.value[run.id];
            const active = ACTIVE.includes(run.status);
            const path = `/api/capacity/history/${encodeURIComponent(run.id)}/export`;
            return (
              <li key={run.id} class={`history-row${open ? " is-expanded" : ""}`} data-testid={`capacity-history-row-${run.id}`}>
                <div class="history-summary tune-history-summary">
                  <button
                    type="button"
                    class="icon-btn"
                    aria-expanded={open}
                    aria-label={open ? "Close probe" : "Open probe"}
                    data-testid={`capacity-history-open-${run.id}`}
                    onClick$={() => toggle(run.id)}
                  >
                    {open ? "▾" : "▸"}
                  </button>
                  <div class="history-main">
                    <div class="history-line">
                      <span class="muted small">{fmtDateTime(run.created_at)}</span>{" "}
                      <Badge tone={run.status === "completed" ? "teal" : active ? "blue" : "grey"} testId={`capacity-history-status-${run.id}`}>
                        {run.status}
                      </Badge>{" "}
                      <span class="muted small">
                        {run.loop} loop · levels {run.levels.join(", ")}
                      </span>
                    </div>
                    <ul class="capacity-history-targets small">
                      {run.targets.map((t) => (
                        <li key={`${t.provider_key}::${t.model_id}`} data-testid={`capacity-history-target-${run.id}-${t.model_id}`}>
                          <span class="text-strong">{t.display_name}</span>
                          <span class="muted">
                            {" "}
                            · {t.levels_done} levels · knee {t.knee_level ?? "—"} · SLO met up to {t.max_level_meeting_slo ?? "—"}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                  <div class="history-actions">
                    <ExportButton
                      path={`${path}?format=csv`}
                      filename={`capacity-${run.id}.csv`}
                      label="CSV"
                      testId={`capacity-export-csv-${run.id}`}
                    />
                    <ExportButton
                      path={`${path}?format=json`}
                      filename={`capacity-${run.id}.json`}
                      label="JSON"
                      title="The run with every request's raw timings"
                      testId={`capacity-export-json-${run.id}`}
                    />
                    <button
                      type="button"
                      class="btn btn-sm btn-danger-ghost"
                      data-testid={`capacity-history-delete-${run.id}`}
                      disabled={state.busy === run.id || active}
                      title={active ? "Cancel the running probe before deleting it" : undefined}
                      onClick$={() => remove(run.id)}
                    >
                      Delete
                    </button>
                  </div>
                </div>
                {open &&
                  (detail ? (
                    <CapacityRunView targets={storedTargets(detail)} ladder={detail.config.levels} slo={detail.config.slo} live={active} />
                  ) : (
                    <span class="skeleton-row" aria-hidden="true" />
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});
