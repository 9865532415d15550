// How a judge run's events and stored report fold into its live job (pure; the fold itself is live-job-reducer.ts),
// and the report the Judge page shows while it runs. A verdict (or a compared case) is one keyed result; the
// per-model reports (per model pair for a comparison) arrive as `judge_report` events and are merged by model.
// The job ends (job_completed / _failed / _cancelled) before the server's finish has written the report's status and
// grade, so judge_complete / compare_complete's figures are kept as `completion` and win over a stored read that
// raced them.

import type { JudgeReportDetail, JudgeVerdict, ModelReport } from "./judge-types.ts";
import type { LiveEvent } from "./live-events.ts";
import type { LiveJobKind, LiveJobState } from "./live-job-reducer.ts";

export type JudgeMode = JudgeReportDetail["mode"];

/** What the server's finish said (judge_complete / compare_complete). */
export interface JudgeCompletion {
  status: string | null;
  overall_grade: string | null;
  overall_score: number | null;
  /** Comparisons only. */
  wins_a: number | null;
  wins_b: number | null;
  ties: number | null;
  sign_test_p: number | null;
}

export interface JudgeExtras {
  mode: JudgeMode | null;
  /** The judge's display name (judge_start); compare_start names the compared models instead. */
  judgeModel: string;
  /** Results to judge (compare: matched cases). */
  cases: number;
  /** Per-model reports (per model pair for a comparison), stored and live, one per model. */
  reports: ModelReport[];
  /** The report as last read from the server (the final read once the job is over). */
  stored: JudgeReportDetail | null;
  completion: JudgeCompletion | null;
}

export type JudgeLiveState = LiveJobState<JudgeVerdict, JudgeExtras>;

/** One report per model (post-eval) or model pair (compare). */
const reportKey = (r: ModelReport & { provider_key?: string }) =>
  r.model_a !== undefined ? `pair\u0000${r.model_a}\u0000${r.model_b ?? ""}` : `model\u0000${r.provider_key ?? ""}\u0000${r.model_id ?? ""}`;

/** Reports merged by model, first-seen order; a later copy of the same model's report replaces the earlier one. */
export function mergeReports(known: readonly ModelReport[], more: readonly ModelReport[]): ModelReport[] {
  const byKey = new Map(known.map((r) => [reportKey(r), r]));
  for (const r of more) byKey.set(reportKey(r), r);
  return [...byKey.values()];
}

function verdictOf(event: LiveEvent): JudgeVerdict | null {
  if (event.type === "judge_verdict")
    return {
      id: event.verdict_id,
      judge_role: event.judge_role === "second" ? "second" : "primary",
      judge_model: "",
      test_case_id: event.test_case_id,
      provider_key: event.provider_key,
      model_id: event.model_id,
      model_name: event.model_name,
      automated_passed: event.automated_passed,
      quality_score: event.quality_score,
      verdict: event.verdict,
      summary: event.summary,
      reasoning: event.reasoning,
      tool_selection_assessment: event.tool_selection_assessment,
      param_assessment: event.param_assessment,
      disagrees_with_scorer: event.disagrees_with_scorer,
      comparison: null,
      error: event.error,
      override_verdict: null,
      override_reason: null,
    };
  if (event.type === "compare_case")
    return {
      id: event.verdict_id,
      judge_role: "compare",
      judge_model: "",
      test_case_id: event.test_case_id,
      provider_key: event.provider_key,
      model_id: event.model_id_a,
      model_name: event.model_name,
      automated_passed: null,
      quality_score: 0,
      verdict: event.winner,
      summary: event.reasoning,
      reasoning: event.reasoning,
      tool_selection_assessment: "",
      param_assessment: "",
      disagrees_with_scorer: false,
      comparison: {
        winner: event.winner,
        confidence: event.confidence,
        order_disagreement: event.order_disagreement,
        model_id_b: event.model_id_b,
      },
      error: event.error,
      override_verdict: null,
      override_reason: null,
    };
  return null;
}

export const judgeLive: LiveJobKind<JudgeVerdict, JudgeExtras, JudgeReportDetail> = {
  noun: "judge run",
  // A live-inline report is filled by its eval's job (the job names the report in its params).
  jobTypes: ["judge", "judge_compare", "tool_eval"],
  runIdParam: "judge_report_id",
  eventTypes: ["judge_start", "judge_verdict", "judge_report", "judge_complete", "compare_start", "compare_case", "compare_complete"],
  read(event) {
    switch (event.type) {
      case "judge_start":
        return {
          kind: "init",
          runId: event.judge_report_id,
          targets: [],
          extras: { mode: event.mode, judgeModel: event.judge_model, cases: event.cases_to_review },
        };
      case "compare_start":
        return { kind: "init", runId: event.judge_report_id, targets: [], extras: { mode: "comparative", cases: event.cases } };
      case "judge_verdict":
      case "compare_case": {
        const result = verdictOf(event);
        return result ? { kind: "result", result } : null;
      }
      case "judge_report": {
        const report = event.report as ModelReport;
        return { kind: "merge", merge: (x) => ({ reports: mergeReports(x.reports, [report]) }) };
      }
      case "judge_complete":
        return {
          kind: "extras",
          extras: {
            completion: {
              status: event.status,
              overall_grade: event.overall_grade,
              overall_score: event.overall_score,
              wins_a: null,
              wins_b: null,
              ties: null,
              sign_test_p: null,
            },
          },
        };
      case "compare_complete":
        // As the server stores it: the winner is the report's grade, the better side's score its score.
        return {
          kind: "extras",
          extras: {
            completion: {
              status: null,
              overall_grade: event.overall_winner,
              overall_score: event.score_a === null || event.score_b === null ? null : Math.max(event.score_a, event.score_b),
              wins_a: event.wins_a,
              wins_b: event.wins_b,
              ties: event.ties,
              sign_test_p: event.sign_test_p,
            },
          },
        };
      default:
        return null;
    }
  },
  etaSamples: 8,
  emptyExtras: () => ({ mode: null, judgeModel: "", cases: 0, reports: [], stored: null, completion: null }),
  resultKey: (v) => v.id,
  namesOf: (v) => ({ display_name: v.model_name }),
  // Progress comes from the job's own percentage (results judged of planned), not from counted rows.
  timing: () => null,
  fromRun: (run, extras) => ({
    results: run.verdicts,
    targets: null,
    extras: {
      stored: run,
      mode: run.mode,
      judgeModel: extras.judgeModel || run.judge_model_name,
      reports: mergeReports(run.reports, extras.reports),
    },
    finalExtras: {},
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  progressInput: () => ({ results: [], runs: 1, tiers: [0] }),
  liveExtras: () => ({}),
};

/** Wins and ties counted from the cases so far (a case whose judge call failed is no judgement). */
function countedWins(verdicts: readonly JudgeVerdict[]) {
  const judged = verdicts.filter((v) => v.judge_role === "compare" && !v.error);
  return {
    wins_a: judged.filter((v) => v.verdict === "model_a").length,
    wins_b: judged.filter((v) => v.verdict === "model_b").length,
    ties: judged.filter((v) => v.verdict === "tie").length,
  };
}

/**
 * The report as the Judge page shows it while its job is followed: the stored report (`base`, the page's own read,
 * until the live job has read one) with the live verdicts and reports, the job's phase as its status, and the
 * server's finish figures once they arrived. Calibration is the server's, computed over every verdict: shown from the
 * final read on. Null until something was read.
 */
export function judgeReportView(live: JudgeLiveState, base: JudgeReportDetail | null): JudgeReportDetail | null {
  const stored = live.stored ?? base;
  if (!stored) return null;
  const done = live.completion;
  const phaseStatus = live.phase === "idle" || live.phase === "loading" ? stored.status : live.phase;
  const compare = stored.mode === "comparative";
  const counted = compare && !live.final ? countedWins(live.results) : null;
  return {
    ...stored,
    status: done?.status ?? phaseStatus,
    overall_grade: done?.overall_grade ?? stored.overall_grade,
    overall_score: done?.overall_score ?? stored.overall_score,
    verdicts: live.results.slice(),
    reports: live.reports.slice(),
    calibration: live.final ? stored.calibration : null,
    wins_a: done?.wins_a ?? counted?.wins_a ?? stored.wins_a,
    wins_b: done?.wins_b ?? counted?.wins_b ?? stored.wins_b,
    ties: done?.ties ?? counted?.ties ?? stored.ties,
    sign_test_p: done?.sign_test_p ?? (live.final ? stored.sign_test_p : null),
  };
}
