/**
 * The Judge page's live view in plain Node: the judge's fold (src/web/src/lib/judge-live-fold.ts) on the shared
 * live-job reducer, and the report the page shows while it follows a run (`judgeReportView`); then the form's
 * defaults from the saved judge settings (src/web/src/lib/judge-defaults.ts). Every event goes through the hub's
 * schema first, so the test's events are the wire's. Covered: verdicts as they arrive (a duplicate changes nothing,
 * a stored read merges by id), the job's progress, per-model reports, completion racing the stored read, failure,
 * cancel, and a comparison's wins counted live until the server's figures arrive.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServerEventSchema } from "../../src/shared/events.ts";
import type { JobView } from "../../src/shared/jobs.ts";
import { autoJudgeDefault, judgeFormDefaults } from "../../src/web/src/lib/judge-defaults.ts";
import { judgeLive, judgeReportView, mergeReports } from "../../src/web/src/lib/judge-live-fold.ts";
import type { JudgeReportDetail, JudgeVerdict } from "../../src/web/src/lib/judge-types.ts";
import type { LiveEvent } from "../../src/web/src/lib/live-events.ts";
import { createLiveJobReducer } from "../../src/web/src/lib/live-job-reducer.ts";

const T0 = Date.parse("2026-12-07T09:00:00Z");
const JOB = "job_judge1";
const REPORT = "rep_1";
const SIM = "local_simulator";
const MODEL = { provider_key: SIM, model_id: "sim-sloppy", model_name: "Sim sloppy" };

const ev = (e: Record<string, unknown>) => ServerEventSchema.parse(e) as LiveEvent;
const reducer = createLiveJobReducer(judgeLive);
type Facts = ReturnType<typeof reducer.empty>;
const fold = (events: readonly LiveEvent[], start: Facts = reducer.attach(JOB, undefined, T0)) =>
  events.reduce((s, e, i) => reducer.event(s, e, T0 + 1000 * (i + 1)), start);
const viewOf = (f: Facts) => reducer.view(f, T0 + 60_000);

/** Case i: the judge passes even cases; the scorer passes multiples of three. */
function verdictEvent(i: number, extra: Record<string, unknown> = {}) {
  const verdict = i % 2 === 0 ? "pass" : "fail";
  const automated = i % 3 === 0;
  return ev({
    type: "judge_verdict",
    job_id: JOB,
    judge_report_id: REPORT,
    verdict_id: `v${i}`,
    test_case_id: `case${i}`,
    provider_key: MODEL.provider_key,
    model_id: MODEL.model_id,
    model_name: MODEL.model_name,
    judge_role: "primary",
    quality_score: verdict === "pass" ? 5 : 1,
    verdict,
    summary: `case ${i}`,
    reasoning: "",
    tool_selection_assessment: "correct",
    param_assessment: "correct",
    automated_passed: automated,
    disagrees_with_scorer: (verdict === "pass") !== automated,
    error: null,
    ...extra,
  });
}

const modelReport = { overall_grade: "B", overall_score: 72, model_id: MODEL.model_id, model_name: MODEL.model_name, provider_key: SIM };

/** The report as GET /api/tool-eval/judge/reports/{id} shows it: `verdicts` of the events with these ids. */
function stored(ids: number[], over: Partial<JudgeReportDetail> = {}): JudgeReportDetail {
  const verdicts: JudgeVerdict[] = ids.map((i) => {
    const e = verdictEvent(i) as Extract<LiveEvent, { type: "judge_verdict" }>;
    return {
      id: e.verdict_id,
      judge_role: "primary",
      judge_model: "sim-judge",
      test_case_id: e.test_case_id,
      provider_key: e.provider_key,
      model_id: e.model_id,
      model_name: e.model_name,
      automated_passed: e.automated_passed,
      quality_score: e.quality_score,
      verdict: e.verdict,
      summary: e.summary,
      reasoning: e.reasoning,
      tool_selection_assessment: e.tool_selection_assessment,
      param_assessment: e.param_assessment,
      disagrees_with_scorer: e.disagrees_with_scorer,
      comparison: null,
      error: null,
      override_verdict: null,
      override_reason: null,
    };
  });
  return {
    id: REPORT,
    job_id: JOB,
    eval_run_id: "eval_1",
    eval_run_id_b: null,
    experiment_id: null,
    suite_name: "Smart home",
    judge_model: "sim-judge",
    judge_provider_key: SIM,
    judge_model_name: "Sim judge",
    second_judge_model: null,
    mode: "post_eval",
    prompt_version: "v1",
    overall_grade: null,
    overall_score: null,
    status: "running",
    timestamp: "2026-12-07T09:00:00Z",
    completed_at: null,
    custom_instructions: "",
    concurrency: 1,
    concurrency_note: null,
    reports: [],
    verdicts,
    calibration: null,
    comparison: null,
    wins_a: null,
    wins_b: null,
    ties: null,
    sign_test_p: null,
    overrides: 0,
    ...over,
  };
}

const job = (status: JobView["status"], pct: number): JobView => ({
  id: JOB,
  job_type: "judge",
  status,
  progress_pct: pct,
  progress_detail: `Judge Sim sloppy: ${Math.round((pct / 100) * 4)}/4`,
  params: { judge_report_id: REPORT, eval_run_id: "eval_1" },
  result_ref: REPORT,
  error_class: null,
  error_msg: null,
  created_at: "2026-12-07T09:00:00Z",
  started_at: "2026-12-07T09:00:01Z",
  completed_at: null,
  timeout_at: null,
  timeout_seconds: 7200,
  error_count: 0,
});

const start = ev({
  type: "judge_start",
  job_id: JOB,
  mode: "post_eval",
  judge_model: "Sim judge",
  cases_to_review: 4,
  judge_report_id: REPORT,
  concurrency: 1,
});
const progress = (k: number) => ev({ type: "job_progress", job_id: JOB, progress_pct: k * 25, progress_detail: `Judge Sim sloppy: ${k}/4` });
const reportEvent = ev({ type: "judge_report", job_id: JOB, eval_id: "eval_1", judge_report_id: REPORT, report: modelReport });
const complete = ev({ type: "judge_complete", job_id: JOB, judge_report_id: REPORT, status: "completed", overall_grade: "B", overall_score: 72 });

describe("judge live fold: a post-eval run", () => {
  it("shows each verdict as it arrives with the job's progress, then the server's grade once the judge finished", () => {
    const midway = fold([
      start,
      ev({ type: "job_started", job_id: JOB, job_type: "judge" }),
      verdictEvent(0),
      progress(1),
      verdictEvent(1),
      progress(2),
    ]);
    const mid = viewOf(midway);
    expect(mid).toMatchObject({
      runId: REPORT,
      phase: "running",
      progressPct: 50,
      progressDetail: "Judge Sim sloppy: 2/4",
      mode: "post_eval",
      cases: 4,
    });
    expect(mid.results.map((v) => v.id)).toEqual(["v0", "v1"]);
    // The page's own read of the report (status running, nothing judged yet) under the live verdicts.
    const shownMid = judgeReportView(mid, stored([]))!;
    expect(shownMid).toMatchObject({ status: "running", calibration: null, overall_grade: null, suite_name: "Smart home" });
    expect(shownMid.verdicts.map((v) => [v.id, v.model_name, v.disagrees_with_scorer])).toEqual([
      ["v0", MODEL.model_name, false],
      ["v1", MODEL.model_name, false],
    ]);

    // The job ends before the server's finish wrote the grade: a final read that raced it still says running.
    const ended = fold(
      [verdictEvent(2), verdictEvent(3), reportEvent, progress(4), ev({ type: "job_completed", job_id: JOB, result_ref: REPORT })],
      midway,
    );
    const racing = reducer.run(ended, stored([0, 1, 2, 3], { reports: [modelReport], calibration: { reference: "scorer" } as never }), true);
    const beforeFinish = judgeReportView(viewOf(racing), stored([]))!;
    expect(beforeFinish).toMatchObject({ status: "completed", overall_grade: null, calibration: { reference: "scorer" } });
    expect(beforeFinish.reports).toEqual([modelReport]);
    const finished = judgeReportView(viewOf(reducer.event(racing, complete, T0 + 30_000)), stored([]))!;
    expect(finished).toMatchObject({ status: "completed", overall_grade: "B", overall_score: 72 });
    expect(finished.verdicts).toHaveLength(4);
  });

  it("keeps one row per verdict whatever arrives twice, in any order, and merges a stored read by id", () => {
    const events = [start, verdictEvent(0), verdictEvent(1), verdictEvent(2), reportEvent, progress(3)];
    const once = viewOf(fold(events));
    fc.assert(
      fc.property(fc.shuffledSubarray([...events, ...events], { minLength: 2 * events.length }), (shuffled) => {
        const view = viewOf(fold(shuffled));
        expect(view.results.map((v) => v.id).sort()).toEqual(["v0", "v1", "v2"]);
        expect(view.reports).toEqual(once.reports);
        expect(view.progressPct).toBe(75);
      }),
      { numRuns: 50 },
    );
    // After a reconnect the shell reads the report again: its verdicts join the live ones, none twice.
    const reread = reducer.run(fold([start, verdictEvent(0)]), stored([0, 1, 2]), false);
    expect(viewOf(reread).results.map((v) => v.id)).toEqual(["v0", "v1", "v2"]);
    expect(mergeReports([modelReport], [{ ...modelReport, overall_grade: "A" }])).toEqual([{ ...modelReport, overall_grade: "A" }]);
  });

  it("says why a run failed, and keeps the verdicts of a cancelled one", () => {
    const failed = viewOf(
      fold([start, verdictEvent(0), ev({ type: "job_failed", job_id: JOB, error: "auth: Incorrect API key", error_class: "auth" })]),
    );
    expect(failed).toMatchObject({ phase: "failed", error: "auth: Incorrect API key" });
    expect(judgeReportView(failed, stored([]))!.status).toBe("failed");

    const cancelled = viewOf(fold([start, verdictEvent(0), verdictEvent(1), ev({ type: "job_cancelled", job_id: JOB }), progress(4)]));
    expect(cancelled.phase).toBe("cancelled");
    expect(cancelled.progressPct).toBe(100); // a late report still counts, but does not revive the job
    const shown = judgeReportView(cancelled, stored([]))!;
    expect(shown).toMatchObject({ status: "cancelled" });
    expect(shown.verdicts.map((v) => v.id)).toEqual(["v0", "v1"]);
    // An error verdict says what went wrong.
    const withError = viewOf(fold([start, verdictEvent(0, { verdict: "error", quality_score: 0, error: "timeout: no answer in 120 s" })]));
    expect(withError.results[0]).toMatchObject({ verdict: "error", error: "timeout: no answer in 120 s" });
  });

  it("takes the job's state and the stored report when a page attaches to a running job (after a reload)", () => {
    const attached = reducer.run(reducer.job(reducer.attach(JOB, undefined, T0), job("running", 50)), stored([0, 1], { reports: [] }), false);
    const view = viewOf(attached);
    expect(view).toMatchObject({ runId: REPORT, phase: "running", progressPct: 50 });
    expect(judgeReportView(view, null)!.verdicts.map((v) => v.id)).toEqual(["v0", "v1"]);
    // Nothing read yet: nothing to show.
    expect(judgeReportView(viewOf(reducer.attach(JOB, undefined, T0)), null)).toBeNull();
  });
});

describe("judge live fold: a comparison", () => {
  const CJOB = "job_cmp1";
  const compareCase = (i: number, winner: string, error: string | null = null) =>
    ev({
      type: "compare_case",
      job_id: CJOB,
      judge_report_id: REPORT,
      verdict_id: `c${i}`,
      test_case_id: `case${i}`,
      provider_key: SIM,
      model_name: MODEL.model_name,
      model_id_a: MODEL.model_id,
      model_id_b: MODEL.model_id,
      winner,
      confidence: 0.8,
      order_disagreement: winner === "tie",
      reasoning: "B names the unit",
      error,
    });

  it("counts wins and ties from the cases so far, leaves failed cases out, then shows the server's figures", () => {
    const r = createLiveJobReducer(judgeLive);
    let s = r.attach(CJOB, { runId: REPORT, jobStatus: "running", targets: [], extras: { mode: "comparative" } }, T0);
    const events = [
      ev({ type: "compare_start", job_id: CJOB, judge_report_id: REPORT, model_a: MODEL.model_id, model_b: MODEL.model_id, cases: 4 }),
      compareCase(0, "model_b"),
      compareCase(1, "tie"),
      compareCase(2, "model_a"),
      compareCase(3, "tie", "timeout: no answer"),
    ];
    s = events.reduce((f, e, i) => r.event(f, e, T0 + i), s);
    const base = stored([], { mode: "comparative" });
    const live = judgeReportView(r.view(s, T0), base)!;
    expect(live).toMatchObject({ wins_a: 1, wins_b: 1, ties: 1, sign_test_p: null });
    expect(live.verdicts.map((v) => [v.id, v.judge_role, v.verdict, v.comparison?.order_disagreement, v.error])).toEqual([
      ["c0", "compare", "model_b", false, null],
      ["c1", "compare", "tie", true, null],
      ["c2", "compare", "model_a", false, null],
      ["c3", "compare", "tie", true, "timeout: no answer"],
    ]);
    s = r.event(
      s,
      ev({
        type: "compare_complete",
        job_id: CJOB,
        judge_report_id: REPORT,
        overall_winner: "tie",
        score_a: 50,
        score_b: 50,
        summary: "Even",
        tie_cases: 1,
        wins_a: 1,
        wins_b: 1,
        ties: 1,
        sign_test_p: 1,
      }),
      T0 + 10,
    );
    expect(judgeReportView(r.view(s, T0), base)).toMatchObject({ overall_grade: "tie", overall_score: 50, sign_test_p: 1, status: "running" });
  });
});

describe("the judge form's saved defaults", () => {
  const models = [
    { provider_key: SIM, model_id: "sim-judge-ttft100-tps400" },
    { provider_key: SIM, model_id: "sim-careful" },
    { provider_key: "other", model_id: "gpt-judge" },
  ];
  const saved = (over: Record<string, unknown>) => ({
    enabled: false,
    model_id: "",
    mode: "post_eval" as const,
    temperature: 0,
    max_tokens: 4096,
    custom_instructions: "",
    ...over,
  });

  it("prefills the saved judge (provider_key::model_id or a bare id) and instructions, and says so", () => {
    expect(judgeFormDefaults(saved({ model_id: "other::gpt-judge", custom_instructions: "Units matter." }), models)).toMatchObject({
      judge: "other::gpt-judge",
      instructions: "Units matter.",
      missingModel: null,
      notes: ["The judge model and custom instructions come from your saved judge defaults."],
    });
    expect(judgeFormDefaults(saved({ model_id: "sim-careful" }), models)).toMatchObject({
      judge: `${SIM}::sim-careful`,
      instructions: "",
      notes: ["The judge model comes from your saved judge defaults."],
    });
  });

  it("falls back to a model named judge when nothing (or an unknown model) was saved, and explains a live-inline mode", () => {
    expect(judgeFormDefaults(null, models)).toEqual({
      judge: `${SIM}::sim-judge-ttft100-tps400`,
      instructions: "",
      mode: "post_eval",
      missingModel: null,
      notes: [],
    });
    expect(judgeFormDefaults(saved({}), models).notes).toEqual([]);
    const gone = judgeFormDefaults(saved({ model_id: "deleted-model", mode: "live_inline" }), models);
    expect(gone).toMatchObject({ judge: `${SIM}::sim-judge-ttft100-tps400`, missingModel: "deleted-model", mode: "live_inline" });
    expect(gone.notes.join(" ")).toContain("“deleted-model” is not among your models");
    expect(gone.notes.join(" ")).toContain("live inline");
    expect(judgeFormDefaults(null, [])).toMatchObject({ judge: "" });
  });

  it("starts Evaluate's Auto-judge with the saved judge only in live-inline mode and only when the model exists", () => {
    expect(autoJudgeDefault(saved({ model_id: "sim-careful", mode: "live_inline" }), models)).toBe(`${SIM}::sim-careful`);
    expect(autoJudgeDefault(saved({ model_id: "other::gpt-judge", mode: "live_inline" }), models)).toBe("other::gpt-judge");
    expect(autoJudgeDefault(saved({ model_id: "sim-careful", mode: "post_eval" }), models)).toBe("");
    expect(autoJudgeDefault(saved({ model_id: "deleted-model", mode: "live_inline" }), models)).toBe("");
    expect(autoJudgeDefault(saved({ model_id: "", mode: "live_inline" }), models)).toBe("");
    expect(autoJudgeDefault(null, models)).toBe("");
  });
});
