// A tune's results, live or stored: the best-config card per model with the significance statement as the server
// words it, halving's rungs, the score chart (chart.js, lazy), the combo table and a combo's drill-down.
import { $, component$, type PropFunction, useSignal } from "@builder.io/qwik";
import type { ChartSpec } from "~/lib/chart-specs";
import { seriesColor } from "~/lib/chart-specs";
import type { TuneCurrent } from "~/lib/param-tune-live-fold";
import { type ComboRow, comboRowKey, type Significance, type TargetAnswer, type TuneAnswer } from "~/lib/param-tune-types";
import type { Adjustment } from "../../../../shared/provider-params.ts";
import { Badge, type BadgeTone } from "../badge";
import { ChartCanvas } from "../charts/chart-canvas";
import { ComboDrilldown } from "./combo-drilldown";

const VERDICT: Record<Significance["verdict"], { label: string; tone: BadgeTone }> = {
  better: { label: "Better", tone: "lime" },
  worse: { label: "Worse", tone: "coral" },
  not_distinguishable: { label: "Not distinguishable", tone: "grey" },
  insufficient_evidence: { label: "Insufficient evidence", tone: "amber" },
};

const pct = (x: number | null, dp = 1) => (x === null ? "—" : `${x.toFixed(dp)}%`);
const ms = (x: number | null) => (x === null ? "—" : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const usd = (x: number | null) => (x === null ? "—" : x === 0 ? "$0" : `$${x.toPrecision(2)}`);
const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;

/** The resolved call of the best combo (what really ran), for "Apply best config". */
export function bestCallOf(target: TargetAnswer): Record<string, unknown> | null {
  if (!target.best_combo) return null;
  const c = target.combos.find((x) => x.combo === target.best_combo);
  if (!c) return target.best_config;
  if (c.temperature === undefined) return target.best_config;
  return { temperature: c.temperature, tool_choice: c.tool_choice, ...(c.provider_params ?? {}) };
}

export const SignificanceLine = component$<{ s: Significance; testId: string }>(({ s, testId }) => {
  const v = VERDICT[s.verdict];
  return (
    <div class="tune-sig" data-testid={testId} data-verdict={s.verdict}>
      <Badge tone={v.tone} testId={`${testId}-verdict`}>
        {v.label}
      </Badge>{" "}
      <span data-testid={`${testId}-statement`}>{s.statement}</span>
      <p class="muted small mono">
        vs {s.compared_with} · diff {signed(s.diff)} pts · {Math.round(s.ci_level * 100)}% CI [{signed(s.ci[0])}, {signed(s.ci[1])}] · p ={" "}
        {s.p_value < 0.001 ? "< 0.001" : s.p_value.toFixed(3)} · {s.method}
      </p>
    </div>
  );
});

export const BestConfigCard = component$<{ target: TargetAnswer; final: boolean; onApply$?: PropFunction<(call: Record<string, unknown>) => void> }>(
  ({ target, final, onApply$ }) => {
    const s = target.significance;
    const proven = Boolean(target.best_combo) && s?.verdict === "better";
    const call = bestCallOf(target);
    const title = !target.best_combo
      ? `No single best: ${target.tied_for_best.length} combos tie`
      : proven
        ? "Best config"
        : "Top score, not a proven winner";
    return (
      <section
        class={`card tune-best${proven ? " is-proven" : ""}`}
        data-testid={`best-config-${target.model_id}`}
        data-verdict={s?.verdict ?? "none"}
        aria-label={`Best config for ${target.model_name}`}
      >
        <div class="card-head">
          <div>
            <p class="muted small">
              {target.model_name}
              {!final && " · so far"}
            </p>
            <h3 class="card-title" data-testid="best-title">
              {title}
            </h3>
          </div>
          {call && onApply$ && (
            <button type="button" class="btn btn-primary btn-sm" data-testid="best-apply" onClick$={() => onApply$(call)}>
              Apply to Evaluate
            </button>
          )}
        </div>
        {target.best_label && (
          <p class="tune-best-config">
            <span class="mono text-strong" data-testid="best-label">
              {target.best_label}
            </span>
            {target.best_score !== null && <span class="muted"> · score {(target.best_score * 100).toFixed(1)}%</span>}
          </p>
        )}
        {target.tied_for_best.length > 1 && <p class="small muted">Tied: {target.tied_for_best.join("; ")}</p>}
        {s && <SignificanceLine s={s} testId="best-significance" />}
        {target.holdout && (
          <div class="tune-holdout">
            <p class="small text-strong">On held-out cases the search never saw:</p>
            <SignificanceLine s={target.holdout} testId="best-holdout" />
          </div>
        )}
        {target.comparisons.length > 1 && (
          <details class="small">
            <summary>Every comparison ({target.comparisons.length}, Holm-adjusted together)</summary>
            {target.comparisons.map((c, i) => (
              <SignificanceLine key={i} s={c} testId={`best-comparison-${i}`} />
            ))}
          </details>
        )}
        {!s && <p class="muted small">{target.statement}</p>}
      </section>
    );
  },
);

function adjustmentBadges(adjustments: readonly Adjustment[] | undefined) {
  const kinds = [...new Set((adjustments ?? []).map((a) => a.action).filter((a) => a === "clamp" || a === "drop" || a === "passthrough"))];
  return kinds.map((k) => ({
    kind: k,
    title: (adjustments ?? [])
      .filter((a) => a.action === k)
      .map((a) => `${a.param}: ${a.reason}`)
      .join("\n"),
  }));
}

function statusOf(r: ComboRow, final: boolean, current: TuneCurrent | null): { text: string; tone: BadgeTone } {
  if (current && current.combo === r.combo && current.model_id === r.model_id) return { text: "running", tone: "blue" };
  if (r.eliminated && !r.finalist) return { text: `cut at rung ${r.rung_reached ?? "?"}`, tone: "grey" };
  if (r.trials === 0) return { text: final ? "not run" : "waiting", tone: "outline" };
  if (r.finalist) return { text: r.violations.length ? "over budget" : "done", tone: r.violations.length ? "amber" : "teal" };
  return { text: r.stage ?? `${r.cases_run} cases`, tone: "outline" };
}

export function scoreChart(rows: readonly ComboRow[], names: (r: ComboRow) => string): ChartSpec {
  const labels = [...new Set(rows.map((r) => r.label))];
  const models = [...new Map(rows.map((r) => [`${r.provider_key}::${r.model_id}`, r])).values()];
  return {
    kind: "bar",
    labels,
    series: models.map((m, i) => ({
      label: names(m),
      color: seriesColor(i),
      values: labels.map((l) => {
        const r = rows.find((x) => x.label === l && x.provider_key === m.provider_key && x.model_id === m.model_id);
        return r?.overall_score == null ? null : Math.round(r.overall_score * 1000) / 10;
      }),
    })),
    xTitle: "combo",
    yTitle: "overall score",
    unit: "%",
  };
}

export interface TuneRunViewProps {
  tuneId: string | null;
  rows: ComboRow[];
  answer: TuneAnswer | null;
  final: boolean;
  current: TuneCurrent | null;
  modelNames: Record<string, string>;
  onApply$?: PropFunction<(call: Record<string, unknown>) => void>;
}

export const TuneRunView = component$<TuneRunViewProps>((props) => {
  const opened = useSignal<string | null>(null);
  const rows = props.rows;
  const name = (r: { provider_key: string; model_id: string }) => props.modelNames[`${r.provider_key}::${r.model_id}`] ?? r.model_id;
  const openRow = rows.find((r) => comboRowKey(r) === opened.value) ?? null;
  const scored = rows.filter((r) => r.overall_score !== null);
  const chart = scoreChart(scored, name);
  const targets = props.answer?.targets ?? [];
  const close = $(() => {
    opened.value = null;
  });

  return (
    <div class="tune-run-view" data-testid="tune-run-view">
      {targets.length > 0 && (
        <div class="tune-best-grid">
          {targets.map((t) => (
            <BestConfigCard key={`${t.provider_key}::${t.model_id}`} target={t} final={props.final} onApply$={props.onApply$} />
          ))}
        </div>
      )}

      {targets
        .filter((t) => t.rungs.length > 1)
        .map((t) => (
          <div key={`rungs-${t.model_id}`} class="card card-flush tune-rungs" data-testid={`tune-rungs-${t.model_id}`}>
            <h3 class="te-subtitle">Halving rungs · {t.model_name}</h3>
            <ol class="tune-rung-list">
              {t.rungs.map((r, i) => {
                const ran = t.combos.filter((c) => (c.rung_reached ?? 0) >= i + 1 && c.trials > 0).length;
                return (
                  <li key={i} data-testid={`tune-rung-${t.model_id}-${i + 1}`}>
                    Rung {i + 1}: {r.cases} cases · {ran} combos ran · keep {r.keep}
                  </li>
                );
              })}
            </ol>
          </div>
        ))}

      {scored.length > 0 && <ChartCanvas testId="chart-tune-scores" spec={chart} label="Overall score per combo and model" height={260} />}

      <div class="card card-flush">
        <h3 class="te-subtitle">Combos</h3>
        {rows.length === 0 ? (
          <p class="muted small tune-empty" data-testid="tune-combos-empty">
            The first combo's figures appear here when it has run its cases.
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table results-table tune-combo-table" data-testid="tune-combo-table">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Combo</th>
                  <th scope="col" class="num">
                    Score
                  </th>
                  <th scope="col" class="num">
                    Tool %
                  </th>
                  <th scope="col" class="num">
                    Param %
                  </th>
                  <th scope="col" class="num">
                    Latency p50 / p95
                  </th>
                  <th scope="col" class="num">
                    Cost / case
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const key = comboRowKey(r);
                  const status = statusOf(r, props.final, props.current);
                  const target = targets.find((t) => t.provider_key === r.provider_key && t.model_id === r.model_id);
                  const best = target?.best_combo === r.combo;
                  return (
                    <tr
                      key={key}
                      class={best ? "is-best" : undefined}
                      data-testid={`combo-row-${r.model_id}-${r.combo}`}
                      data-status={status.text}
                      data-score={r.overall_score ?? ""}
                    >
                      <td class="mono small" title={name(r)}>
                        {r.model_id}
                      </td>
                      <td class="mono">
                        {r.label}
                        {r.baseline && (
                          <>
                            {" "}
                            <Badge tone="outline">baseline</Badge>
                          </>
                        )}
                        {r.pareto && (
                          <>
                            {" "}
                            <Badge tone="teal" title="Not beaten on score, latency and cost at once">
                              Pareto
                            </Badge>
                          </>
                        )}
                        {adjustmentBadges(r.adjustments).map((b) => (
                          <>
                            {" "}
                            <Badge key={b.kind} tone={b.kind === "drop" ? "coral" : b.kind === "clamp" ? "amber" : "blue"} title={b.title}>
                              {b.kind === "drop" ? "dropped" : b.kind === "clamp" ? "clamped" : "passthrough"}
                            </Badge>
                          </>
                        ))}
                        {(r.merged?.length ?? 0) > 0 && (
                          <span class="muted small" title={r.merged!.map((m) => m.reason).join("\n")}>
                            {" "}
                            +{r.merged!.length} merged
                          </span>
                        )}
                      </td>
                      <td class="num mono" data-testid="combo-score">
                        {r.overall_score === null ? "—" : `${(r.overall_score * 100).toFixed(1)}%`}
                      </td>
                      <td class="num mono">{pct(r.tool_accuracy)}</td>
                      <td class="num mono">{pct(r.param_accuracy)}</td>
                      <td class="num mono">
                        {ms(r.latency_p50_ms)} / {ms(r.latency_p95_ms)}
                      </td>
                      <td class="num mono">{usd(r.cost_per_case)}</td>
                      <td>
                        <Badge tone={status.tone}>{status.text}</Badge>
                        {best && (
                          <>
                            {" "}
                            <Badge tone="lime">top</Badge>
                          </>
                        )}
                      </td>
                      <td>
                        {props.tuneId && r.trials > 0 && (
                          <button
                            type="button"
                            class="link-btn"
                            data-testid={`combo-open-${r.model_id}-${r.combo}`}
                            aria-expanded={opened.value === key}
                            onClick$={() => (opened.value = opened.value === key ? null : key)}
                          >
                            Cases
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {openRow && props.tuneId && <ComboDrilldown tuneId={props.tuneId} row={openRow} onClose$={close} />}
    </div>
  );
});
