// Past capacity probes (GET /api/capacity/history): open one (its stored run, the same view as a live probe),
// export it as CSV (one row per level) or JSON (the run with its raw samples), delete it (with the confirm dialog).
// Refreshes when a probe starts or a job ends.
import { $, component$, useVisibleTask$ } from "@builder.io/qwik";
import { fmtDateTime } from "~/lib/bench-format";
import { capacityTargets } from "~/lib/capacity-live-fold";
import type { CapacityRunDetail, CapacityRunSummary } from "~/lib/capacity-types";
import { onLiveEvent } from "~/lib/event-bus";
import { isActiveRun, useHistoryList } from "~/lib/use-history-list";
import { ExportButton } from "../analytics/export-button";
import { HistoryCard, type HistoryKind, HistoryRow } from "../history/history-list";
import { CapacityRunView } from "./capacity-run-view";

// Its rows are laid out like the Param Tuner's (tune-history-summary).
const KIND: HistoryKind = {
  name: "capacity-history",
  title: "Past probes",
  empty: "No probes yet.",
  noun: "probe",
  summaryClass: "tune-history-summary",
};

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
  const list = useHistoryList<CapacityRunSummary, CapacityRunDetail>({
    path: "/api/capacity/history",
    confirm$: $((run: CapacityRunSummary) => ({
      title: "Delete this probe?",
      message: `The capacity probe from ${fmtDateTime(run.created_at)} and all of its levels and samples are deleted permanently.`,
      confirmLabel: "Delete probe",
    })),
    deleted: "Probe deleted.",
  });
  const { runs, state, load, readDetail } = list;

  useVisibleTask$(
    ({ cleanup }) => {
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
    { strategy: "document-ready" },
  );

  return (
    <HistoryCard list={list} kind={KIND}>
      {runs.value.map((run) => {
        const path = `/api/capacity/history/${encodeURIComponent(run.id)}/export`;
        return (
          <HistoryRow
            key={run.id}
            list={list}
            kind={KIND}
            run={run}
            when={fmtDateTime(run.created_at)}
            line={
              <span class="muted small">
                {run.loop} loop · levels {run.levels.join(", ")}
              </span>
            }
            actions={
              <>
                <ExportButton path={`${path}?format=csv`} filename={`capacity-${run.id}.csv`} label="CSV" testId={`capacity-export-csv-${run.id}`} />
                <ExportButton
                  path={`${path}?format=json`}
                  filename={`capacity-${run.id}.json`}
                  label="JSON"
                  title="The run with every request's raw timings"
                  testId={`capacity-export-json-${run.id}`}
                />
              </>
            }
            view={(detail) => (
              <CapacityRunView targets={storedTargets(detail)} ladder={detail.config.levels} slo={detail.config.slo} live={isActiveRun(run.status)} />
            )}
          >
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
          </HistoryRow>
        );
      })}
    </HistoryCard>
  );
});
