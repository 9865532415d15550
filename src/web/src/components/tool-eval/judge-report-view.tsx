// One judge report: grade and per-model reports (strengths, weaknesses, analysis, recommendations), the calibration
// panel (judge vs the automated scorer: kappa and the confusion table; a second judge; overrides), and the per-case
// verdicts with disagreements first, each overridable. A comparison shows wins, ties and the sign test instead.
// While the run is followed live (`live`), verdicts arrive one by one, the calibration waits for the server's figures
// over every verdict, and overrides wait for the stored report.
import { $, component$, type PropFunction } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { type Agreement, fmtKappa, fmtRate, gradeTone, type JudgeReportDetail, type JudgeVerdict } from "~/lib/judge-types";
import { toastError } from "~/lib/toast";
import { Badge } from "../badge";

const AgreementTable = component$<{ a: Agreement; rowsLabel: string; colsLabel: string; testId: string }>((props) => {
  const { a } = props;
  return (
    <div class="judge-agreement" data-testid={props.testId}>
      <p>
        <strong>κ = {fmtKappa(a.kappa)}</strong>
        {a.kappa_ci && (
          <span class="muted small">
            {" "}
            [{a.kappa_ci[0].toFixed(2)}, {a.kappa_ci[1].toFixed(2)}]
          </span>
        )}{" "}
        <span class="muted small">
          on {a.n} cases · agreement {fmtRate(a.observed_agreement)} · false pass {fmtRate(a.false_pass_rate)} · false fail{" "}
          {fmtRate(a.false_fail_rate)}
        </span>
      </p>
      {a.n > 0 && (
        <table class="table judge-confusion" aria-label={`${props.rowsLabel} (rows) against ${props.colsLabel} (columns)`}>
          <thead>
            <tr>
              <th scope="col">
                {props.rowsLabel} ↓ / {props.colsLabel} →
              </th>
              {a.labels.map((l) => (
                <th key={l} scope="col">
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {a.table.map((row, i) => (
              <tr key={a.labels[i]}>
                <th scope="row">{a.labels[i]}</th>
                {row.map((n, j) => (
                  <td
                    key={a.labels[j]}
                    class={i === j ? "mono text-strong" : "mono"}
                    data-testid={`${props.testId}-cell-${a.labels[i]}-${a.labels[j]}`}
                  >
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
});

export interface JudgeReportViewProps {
  report: JudgeReportDetail;
  /** The report's job is still being followed: no calibration or overrides yet. */
  live?: boolean;
  onChanged$: PropFunction<() => Promise<void>>;
}

export const JudgeReportView = component$<JudgeReportViewProps>((props) => {
  const r = props.report;
  const compare = r.mode === "comparative";
  const live = props.live ?? false;

  const override = $(async (v: JudgeVerdict, verdict: string) => {
    try {
      const path = `/api/tool-eval/judge/reports/${encodeURIComponent(r.id)}/verdicts/${encodeURIComponent(v.id)}/override`;
      if (verdict) await api.put(path, { verdict });
      else await api.del(path);
      await props.onChanged$();
    } catch (err) {
      toastError(err);
    }
  });

  return (
    <div class="judge-report" data-testid="judge-report">
      <div class="card">
        <div class="card-head">
          <p class="card-title">
            {compare ? "Comparison" : "Judge report"} · {r.suite_name}
          </p>
          <Badge tone={gradeTone(compare ? null : r.overall_grade)} testId="judge-report-grade">
            {r.overall_grade ?? "—"}
          </Badge>
        </div>
        <p class="muted small">
          {r.mode} · judge {r.judge_model_name} ({r.prompt_version}){r.second_judge_model ? ` · second judge ${r.second_judge_model}` : ""} · score{" "}
          {r.overall_score ?? "—"}/100 · {r.status}
          {r.custom_instructions ? ` · instructions: “${r.custom_instructions}”` : ""}
        </p>
        {r.concurrency_note && <p class="field-hint">{r.concurrency_note}</p>}
      </div>

      {compare && (
        <div class="card" data-testid="judge-compare-summary">
          <p class="card-title">Wins and ties</p>
          <p>
            Run A won <strong data-testid="judge-wins-a">{r.wins_a ?? 0}</strong>, run B won{" "}
            <strong data-testid="judge-wins-b">{r.wins_b ?? 0}</strong>, <strong data-testid="judge-ties">{r.ties ?? 0}</strong> ties · sign test p ={" "}
            {r.sign_test_p === null ? "—" : r.sign_test_p.toFixed(3)}
          </p>
          <p class="muted small">Each case was judged twice, A shown first and B shown first; when the two orders disagree the case is a tie.</p>
          {r.reports.map((p) => (
            <p key={`${p.model_a}:${p.model_b}`} class="small">
              <strong>
                {p.model_a}
                {p.model_b !== p.model_a ? ` vs ${p.model_b}` : ""}
              </strong>
              : {p.wins_a} / {p.wins_b} / {p.ties} (A / B / tie) — {p.summary}
            </p>
          ))}
        </div>
      )}

      {!compare &&
        r.reports.map((m) => (
          <div key={m.model_id} class="card judge-model-report" data-testid={`judge-model-report-${m.model_id}`}>
            <div class="card-head">
              <p class="card-title">{m.model_name ?? m.model_id}</p>
              <Badge tone={gradeTone(m.overall_grade ?? null)}>
                {m.overall_grade} · {m.overall_score}/100
              </Badge>
            </div>
            <p>{m.cross_case_analysis}</p>
            {(["strengths", "weaknesses", "recommendations"] as const).map((k) =>
              m[k]?.length ? (
                <div key={k}>
                  <p class="text-strong small">{k[0]!.toUpperCase() + k.slice(1)}</p>
                  <ul class="small" data-testid={`judge-${k}`}>
                    {m[k]!.map((x) => (
                      <li key={x}>{x}</li>
                    ))}
                  </ul>
                </div>
              ) : null,
            )}
          </div>
        ))}

      {live && !compare && !r.calibration && (
        <p class="muted small" data-testid="judge-calibration-pending">
          The calibration panel (the judge against the automated scorer) and overrides follow once every case is judged.
        </p>
      )}

      {r.calibration && (
        <div class="card" data-testid="judge-calibration">
          <p class="card-title">Calibration: can this judge be trusted?</p>
          <p class="muted small">
            The judge's pass/fail against the automated scorer's ({r.calibration.disagreements} disagreements, listed first below
            {r.calibration.errors ? `; ${r.calibration.errors} cases without a verdict left out` : ""}).
          </p>
          <AgreementTable a={r.calibration.judge_vs_scorer} rowsLabel="scorer" colsLabel="judge" testId="judge-kappa-scorer" />
          {r.calibration.second_judge && (
            <>
              <p class="text-strong small">Second judge: {r.calibration.second_judge.judge_model}</p>
              <AgreementTable a={r.calibration.second_judge.vs_primary} rowsLabel="second judge" colsLabel="judge" testId="judge-kappa-second" />
            </>
          )}
          <p class="small" data-testid="judge-override-count">
            {r.calibration.overrides.count} overrides (stored as your labels, never applied to automated scores)
          </p>
          {r.calibration.overrides.judge_vs_overrides && (
            <AgreementTable a={r.calibration.overrides.judge_vs_overrides} rowsLabel="you" colsLabel="judge" testId="judge-kappa-overrides" />
          )}
        </div>
      )}

      <div class="card card-flush table-wrap">
        <table class="table" data-testid="judge-verdicts">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Case</th>
              {compare ? <th scope="col">Winner</th> : <th scope="col">Judge</th>}
              {compare ? <th scope="col">Orders</th> : <th scope="col">Scorer</th>}
              <th scope="col">Summary</th>
              {!compare && <th scope="col">Your verdict</th>}
            </tr>
          </thead>
          <tbody>
            {r.verdicts.map((v) => (
              <tr key={v.id} class={v.disagrees_with_scorer ? "is-highlighted" : ""} data-testid={`judge-verdict-${v.id}`}>
                <td class="small">
                  {v.model_name}
                  {v.judge_role === "second" && <span class="muted"> (second judge)</span>}
                </td>
                <td class="mono small">{v.test_case_id?.slice(0, 8) ?? "—"}</td>
                {compare ? (
                  <td>
                    {v.verdict}
                    {v.comparison?.confidence !== undefined && <span class="muted small"> ({v.comparison.confidence.toFixed(2)})</span>}
                  </td>
                ) : (
                  <td>
                    <Badge tone={v.verdict === "pass" ? "lime" : v.verdict === "marginal" ? "amber" : v.verdict === "error" ? "grey" : "coral"}>
                      {v.verdict} {v.quality_score ? `${v.quality_score}/5` : ""}
                    </Badge>
                  </td>
                )}
                {compare ? (
                  <td class="small">{v.comparison?.order_disagreement ? "disagree → tie" : "agree"}</td>
                ) : (
                  <td class="small">{v.automated_passed === null ? "—" : v.automated_passed ? "passed" : "failed"}</td>
                )}
                <td class="small" title={v.reasoning}>
                  {v.error ?? v.summary}
                </td>
                {!compare && (
                  <td>
                    {v.judge_role === "primary" && !live && (
                      <select
                        aria-label="Your verdict"
                        data-testid={`judge-override-${v.id}`}
                        value={v.override_verdict ?? ""}
                        onChange$={(_, el) => override(v, el.value)}
                      >
                        <option value="" selected={!v.override_verdict}>
                          —
                        </option>
                        {["pass", "marginal", "fail"].map((o) => (
                          <option key={o} value={o} selected={v.override_verdict === o}>
                            {o}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
