// One combo of one model opened: the adjustments the provider's rules made, the combos merged into it, and per
// case the expected call against the actual one, with score, latency and error (GET …/history/{id}/trials).
import { component$, type PropFunction, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { describeError } from "~/lib/http";
import type { ComboRow, ComboTrial } from "~/lib/param-tune-types";

const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

export const ComboDrilldown = component$<{ tuneId: string; row: ComboRow; onClose$: PropFunction<() => void> }>(({ tuneId, row, onClose$ }) => {
  const trials = useSignal<ComboTrial[] | null>(null);
  const error = useSignal("");

  useVisibleTask$(
    async ({ track }) => {
      const key = track(() => `${tuneId}|${row.provider_key}|${row.model_id}|${row.combo}|${row.trials}`);
      const q = new URLSearchParams({ provider_key: row.provider_key, model_id: row.model_id, combo: row.combo });
      try {
        const res = await api.get<{ trials: ComboTrial[] }>(`/api/tool-eval/param-tune/history/${encodeURIComponent(tuneId)}/trials?${q}`);
        if (key === `${tuneId}|${row.provider_key}|${row.model_id}|${row.combo}|${row.trials}`) trials.value = res.trials;
        error.value = "";
      } catch (err) {
        error.value = describeError(err).message;
      }
    },
    { strategy: "document-ready" },
  );

  const adjustments = row.adjustments ?? [];
  const merged = row.merged ?? [];
  return (
    <section class="card tune-drill" data-testid="combo-drilldown" aria-label={`Combo ${row.label}`}>
      <div class="card-head">
        <div>
          <h3 class="card-title">{row.label}</h3>
          <p class="muted small">
            <span class="mono">{row.model_id}</span> · {row.cases_passed}/{row.cases_run} cases passed · {row.trials} trials
          </p>
        </div>
        <button type="button" class="btn btn-sm btn-ghost" data-testid="combo-drill-close" onClick$={onClose$}>
          Close
        </button>
      </div>
      {row.temperature !== undefined && (
        <p class="small">
          Sent:{" "}
          <span class="mono">
            temperature {row.temperature} · tool_choice {row.tool_choice}
          </span>
          {row.provider_params && Object.keys(row.provider_params).length > 0 && (
            <span class="mono">
              {" · "}
              {Object.entries(row.provider_params)
                .map(([k, v]) => `${k} ${show(v)}`)
                .join(" · ")}
            </span>
          )}
        </p>
      )}
      {adjustments.length > 0 && (
        <ul class="param-note-list" data-testid="drill-adjustments">
          {adjustments.map((a, i) => (
            <li key={i}>
              <span class={`param-action param-${a.action}`}>{a.action}</span> <span class="mono">{a.param}</span>: {show(a.original)} →{" "}
              {show(a.adjusted)} <span class="muted">({a.reason})</span>
            </li>
          ))}
        </ul>
      )}
      {merged.length > 0 && (
        <p class="small muted" data-testid="drill-merged">
          Merged into this combo:{" "}
          {merged
            .map(
              (m) =>
                `${Object.entries(m.config)
                  .map(([k, v]) => `${k} ${show(v)}`)
                  .join(" · ")} (${m.reason})`,
            )
            .join("; ")}
        </p>
      )}
      {row.violations.length > 0 && <p class="field-warning">Over budget: {row.violations.join("; ")}</p>}
      {error.value && (
        <p class="field-error" role="alert">
          {error.value}
        </p>
      )}
      {trials.value === null && !error.value ? (
        <span class="skeleton-row" aria-hidden="true" />
      ) : (
        trials.value && (
          <div class="table-wrap">
            <table class="table tune-drill-table">
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Expected</th>
                  <th scope="col">Actual</th>
                  <th scope="col" class="num">
                    Score
                  </th>
                  <th scope="col" class="num">
                    Latency
                  </th>
                </tr>
              </thead>
              <tbody>
                {trials.value.map((t) => (
                  <tr key={`${t.case_id}-${t.repeat}`} data-testid={`drill-trial-${t.case_id}-${t.repeat}`} data-passed={t.passed ? "true" : "false"}>
                    <td>
                      {t.prompt ?? <span class="muted">(case deleted)</span>}
                      {t.repeat > 0 && <span class="muted small"> · repeat {t.repeat + 1}</span>}
                      {t.holdout && <span class="muted small"> · held-out</span>}
                    </td>
                    <td class="mono small">
                      {show(t.expected_tool)}
                      {t.expected_params !== null && <span class="muted"> {show(t.expected_params)}</span>}
                    </td>
                    <td class={`mono small ${t.passed ? "text-ok" : "text-danger"}`}>
                      {t.error
                        ? `error: ${t.error}`
                        : t.actual_calls.length
                          ? t.actual_calls.map((c) => `${c.name} ${show(c.arguments)}`).join("; ")
                          : "no call"}
                    </td>
                    <td class="num mono">{(t.score * 100).toFixed(0)}%</td>
                    <td class="num mono">{t.latency_ms === null ? "—" : `${Math.round(t.latency_ms)} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
    </section>
  );
});
