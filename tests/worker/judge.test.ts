/**
 * The LLM judge end to end: API → hub → queue → consumer → simulator (sim-judge answers by a known rule,
 * src/simulator/README.md "Judge") → D1 → sockets → report detail with its calibration. The tool-callers are
 * deterministic, so every verdict the judge should give is computed here from the eval's own stored results
 * with the simulator's rule, and the calibration figures from those with the shared statistics module.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { JUDGE_INSTRUCTIONS_MAX_CHARS } from "../../src/shared/judge/limits.ts";
import { binaryOf } from "../../src/shared/judge/parse.ts";
import { calibration, cohenKappa } from "../../src/shared/stats/index.ts";
import { answerMerit, simVerdict } from "../../src/simulator/judge/judge.ts";
import smartHome from "../fixtures/examples/smart_home_suite.json";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, type TestSocket, waitForJobEvent as waitFor } from "./sockets.ts";

const SIM = "local_simulator";
const CAREFUL = "sim-careful-ttft1-tps5000";
const SLOPPY = "sim-sloppy-ttft1-tps5000";
const TUNABLE = "sim-tunable-ttft1-tps5000";
const JUDGE = "sim-judge-ttft1-tps5000";
const target = (model_id: string) => ({ provider_key: SIM, model_id });

async function addModel(token: string, modelId: string) {
  const sim = (await call("/api/v2/providers", { token })).json.providers.find((p: any) => p.provider_key === SIM);
  const r = await call(`/api/v2/providers/${sim.id}/models`, { token, body: { model_id: modelId } });
  expect(r.status, r.text).toBe(201);
}

async function setUp(n: number, models: string[]) {
  const u = await signUp();
  const imported = await call("/api/tool-eval/import", {
    token: u.token,
    body: { ...smartHome, test_cases: smartHome.test_cases.slice(10, 10 + n) },
  });
  expect(imported.status, imported.text).toBe(201);
  for (const m of models) await addModel(u.token, m);
  return { u, suiteId: imported.json.suite_id as string, s: await openSocket(u.token) };
}

async function evalRun(s: TestSocket, token: string, suiteId: string, models: string[], extra: Record<string, unknown> = {}) {
  const submit = await call("/api/tool-eval", { token, body: { suite_id: suiteId, targets: models.map(target), tool_choice: "auto", ...extra } });
  expect(submit.status, submit.text).toBe(200);
  await waitFor(s, "job_completed", submit.json.job_id, 120_000);
  const run = await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token });
  return { id: submit.json.eval_id as string, results: run.json.results as any[] };
}

async function judge(s: TestSocket, token: string, body: Record<string, unknown>, path = "/api/tool-eval/judge") {
  const submit = await call(path, { token, body });
  expect(submit.status, submit.text).toBe(200);
  await waitFor(s, path.endsWith("compare") ? "compare_complete" : "judge_complete", submit.json.job_id, 120_000);
  const detail = await call(`/api/tool-eval/judge/reports/${submit.json.judge_report_id}`, { token });
  expect(detail.status, detail.text).toBe(200);
  return { submit: submit.json, report: detail.json };
}

const caseOf = (r: any) => ({
  expected_tool: r.expected_tool,
  expected_params: r.expected_params,
  called_tool: r.actual_tool,
  called_params: r.actual_params,
});
const key = (x: { test_case_id: string | null; model_id: string }) => `${x.model_id}|${x.test_case_id}`;

describe("judge: post-eval", () => {
  it("gives every case the rule's verdict, one report per model, and calibration against the scorer", async () => {
    const { u, suiteId, s } = await setUp(24, [CAREFUL, SLOPPY, JUDGE]);
    const run = await evalRun(s, u.token, suiteId, [CAREFUL, SLOPPY]);
    const { submit, report } = await judge(s, u.token, { eval_run_id: run.id, judge_model: JUDGE, custom_instructions: "Units matter." });
    // The judge is served by the same simulator as the models it judges: one call at a time.
    expect(submit).toMatchObject({ concurrency: 1, cases_to_review: 48 });
    expect(submit.concurrency_note).toContain("forced to 1");
    expect(report).toMatchObject({
      mode: "post_eval",
      status: "completed",
      judge_model: JUDGE,
      custom_instructions: "Units matter.",
      prompt_version: "v1",
    });

    const byKey = new Map(run.results.map((r) => [key(r), r]));
    expect(report.verdicts).toHaveLength(48);
    const items: Array<{ reference: string; judged: string }> = [];
    for (const v of report.verdicts) {
      const r = byKey.get(key(v))!;
      const expected = simVerdict(caseOf(r));
      expect(v, key(v)).toMatchObject({ verdict: expected.verdict, quality_score: expected.quality_score, automated_passed: r.passed });
      items.push({ reference: r.passed ? "pass" : "fail", judged: binaryOf(expected.verdict)! });
    }
    // Disagreements with the scorer come first.
    const flags = report.verdicts.map((v: any) => v.disagrees_with_scorer);
    expect(flags).toEqual([...flags].sort((a: boolean, b: boolean) => Number(b) - Number(a)));
    const want = calibration(items, { seed: 14, resamples: 500 });
    const cal = report.calibration;
    expect(cal.judge_vs_scorer.table).toEqual(want.table);
    expect(cal.judge_vs_scorer.kappa).toBeCloseTo(cohenKappa(want.table)!, 10);
    expect(cal.disagreements).toBe(flags.filter(Boolean).length);
    expect(cal.errors).toBe(0);
    // The judge accepts half of the arguments where the scorer wants all: on these cases it passes some the scorer fails.
    expect(cal.judge_vs_scorer.false_pass_rate).toBeGreaterThan(0);
    expect(cal.judge_vs_scorer.false_fail_rate).toBe(0);
    console.log(
      `calibration of report ${report.id}: labels ${JSON.stringify(cal.judge_vs_scorer.labels)}, table ${JSON.stringify(cal.judge_vs_scorer.table)}, ${cal.judge_vs_scorer.statement}`,
    );

    // One cross-case report per model, graded by the simulator's scale; the report's grade is the best model's.
    expect(report.reports.map((r: any) => r.model_id).sort()).toEqual([CAREFUL, SLOPPY].sort());
    for (const m of report.reports) {
      expect(m.overall_grade).toMatch(/^[A-F][+-]?$/);
      expect(m.cross_case_analysis).toContain("passed");
    }
    const best = [...report.reports].sort((a: any, b: any) => b.overall_score - a.overall_score)[0];
    expect(report).toMatchObject({ overall_grade: best.overall_grade, overall_score: best.overall_score });
    const careful = report.reports.find((r: any) => r.model_id === CAREFUL);
    const sloppy = report.reports.find((r: any) => r.model_id === SLOPPY);
    expect(careful.overall_score).toBeGreaterThanOrEqual(sloppy.overall_score);
    // Live: a verdict per case and a report per model reached the socket.
    const mine = s.messages.filter((m) => m.job_id === submit.job_id);
    expect(mine.filter((m) => m.type === "judge_verdict")).toHaveLength(48);
    expect(mine.filter((m) => m.type === "judge_report")).toHaveLength(2);
    expect(mine.findIndex((m) => m.type === "judge_start")).toBeLessThan(mine.findIndex((m) => m.type === "judge_verdict"));
    // Each live verdict is the stored one, with what a page needs to show it as it arrives (the report's id for it,
    // the model's name, the scorer flag that orders the list, the error).
    const storedById = new Map(report.verdicts.map((v: any) => [v.id, v]));
    for (const e of mine.filter((m) => m.type === "judge_verdict")) {
      const v: any = storedById.get(e.verdict_id);
      expect(v, e.verdict_id).toBeDefined();
      expect(e).toMatchObject({
        judge_report_id: report.id,
        provider_key: v.provider_key,
        model_id: v.model_id,
        model_name: v.model_name,
        judge_role: v.judge_role,
        verdict: v.verdict,
        quality_score: v.quality_score,
        automated_passed: v.automated_passed,
        disagrees_with_scorer: v.disagrees_with_scorer,
        error: null,
      });
    }
    expect(mine.filter((m) => m.type === "judge_verdict" && m.disagrees_with_scorer)).toHaveLength(cal.disagreements);

    const list = await call("/api/tool-eval/judge/reports", { token: u.token });
    expect(list.json.reports[0]).toMatchObject({ id: report.id, eval_run_id: run.id, overall_grade: report.overall_grade, mode: "post_eval" });
    s.ws.close(1000);
  });

  it("reads fenced and partial answers, turns unreadable ones and failed calls into error verdicts, and still completes", async () => {
    const models = [`${JUDGE}-jsonfenced`, `${JUDGE}-jsonpartial`, `${JUDGE}-jsonbroken`, `${JUDGE}-fault401-faultafter2`];
    const { u, suiteId, s } = await setUp(4, [CAREFUL, ...models]);
    const run = await evalRun(s, u.token, suiteId, [CAREFUL]);
    const byKey = new Map(run.results.map((r) => [key(r), r]));

    const fenced = (await judge(s, u.token, { eval_run_id: run.id, judge_model: models[0] })).report;
    for (const v of fenced.verdicts) {
      expect(v).toMatchObject({ answer_format: "fenced", verdict: simVerdict(caseOf(byKey.get(key(v)))).verdict });
      expect(v.reasoning).not.toBe("");
    }
    const partial = (await judge(s, u.token, { eval_run_id: run.id, judge_model: models[1] })).report;
    for (const v of partial.verdicts) {
      const want = simVerdict(caseOf(byKey.get(key(v))));
      expect(v).toMatchObject({
        verdict: want.verdict,
        quality_score: want.quality_score,
        summary: "",
        tool_selection_assessment: "unknown",
        param_assessment: "unknown",
      });
    }
    const broken = (await judge(s, u.token, { eval_run_id: run.id, judge_model: models[2] })).report;
    expect(broken.status).toBe("completed");
    expect(broken.verdicts.every((v: any) => v.verdict === "error" && v.quality_score === 0 && v.answer_format === "invalid")).toBe(true);
    expect(broken.reports[0]).toMatchObject({ overall_grade: "?", overall_score: 0, cross_case_analysis: "Judge model could not generate analysis" });
    expect(broken.calibration).toMatchObject({ errors: 4, judge_vs_scorer: { n: 0, kappa: null } });

    // The judge answers twice, then refuses (401, not retried): two verdicts, two error verdicts, the run goes on.
    const failingRun = await judge(s, u.token, { eval_run_id: run.id, judge_model: models[3] });
    const failing = failingRun.report;
    expect(failing.status).toBe("completed");
    const errors = failing.verdicts.filter((v: any) => v.verdict === "error");
    expect(errors).toHaveLength(2);
    expect(errors[0].error).toMatch(/^auth: /);
    // The live verdicts say why they are errors, as the stored ones do.
    const live = s.messages.filter((m) => m.job_id === failingRun.submit.job_id && m.type === "judge_verdict");
    expect(live.map((e) => [e.verdict_id, e.verdict, e.error]).sort()).toEqual(failing.verdicts.map((v: any) => [v.id, v.verdict, v.error]).sort());
    expect(failing.verdicts.filter((v: any) => v.verdict !== "error")).toHaveLength(2);
    expect(failing.reports[0].overall_grade).toBe("?");
    s.ws.close(1000);
  });
});

describe("judge: retries", () => {
  it("retries a transient failure with backoff, then falls back without failing the run", async () => {
    // The first call (the verdict) succeeds; every later one is a 500: the report is asked three times, 2 s then 4 s apart.
    const flaky = `${JUDGE}-fault500-faultafter1-tagretry`;
    const { u, suiteId, s } = await setUp(1, [CAREFUL, flaky]);
    const run = await evalRun(s, u.token, suiteId, [CAREFUL]);
    const t0 = Date.now();
    const { report } = await judge(s, u.token, { eval_run_id: run.id, judge_model: flaky });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(6000);
    expect(report.status).toBe("completed");
    expect(report.verdicts).toHaveLength(1);
    expect(report.verdicts[0].verdict).not.toBe("error");
    expect(report.reports[0]).toMatchObject({ overall_grade: "?", cross_case_analysis: "Judge model could not generate analysis" });
    const log = await (await fetch(`${env.SIMULATOR_BASE_URL}/__sim/log?limit=2000`)).json();
    expect((log as any).records.filter((r: any) => r.model === flaky)).toHaveLength(4);
    s.ws.close(1000);
  }, 60_000);
});

describe("judge: live inline", () => {
  it("judges each case as its result arrives, inside the eval job, and reports per model when the eval ends", async () => {
    const { u, suiteId, s } = await setUp(6, [CAREFUL, SLOPPY, JUDGE]);
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: {
        suite_id: suiteId,
        targets: [target(CAREFUL), target(SLOPPY)],
        tool_choice: "auto",
        judge: { judge_model: JUDGE, custom_instructions: "Inline." },
      },
    });
    expect(submit.status, submit.text).toBe(200);
    const reportId = submit.json.judge_report_id;
    expect(reportId).toMatch(/^[0-9a-f]{32}$/);
    const jobId = submit.json.job_id;
    // The eval's job names the report it fills, so a page following the report can find it from the job.
    expect((await call(`/api/jobs/${jobId}`, { token: u.token })).json.params).toMatchObject({
      eval_id: submit.json.eval_id,
      judge_report_id: reportId,
    });
    await waitFor(s, "judge_complete", jobId, 120_000);
    const mine = s.messages.filter((m) => m.job_id === jobId).map((m) => m.type);
    // Verdicts stream during the eval, each after its case's result; the reports come after the eval's end.
    expect(mine.indexOf("judge_start")).toBeLessThan(mine.indexOf("tool_eval_result"));
    expect(mine.indexOf("judge_verdict")).toBeLessThan(mine.lastIndexOf("tool_eval_result"));
    expect(mine.indexOf("tool_eval_result")).toBeLessThan(mine.indexOf("judge_verdict"));
    expect(mine.filter((t) => t === "judge_verdict")).toHaveLength(12);
    expect(mine.lastIndexOf("judge_verdict")).toBeLessThan(mine.indexOf("job_completed"));
    expect(mine.indexOf("job_completed")).toBeLessThan(mine.indexOf("judge_report"));

    const results = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json.results as any[];
    const byKey = new Map(results.map((r) => [key(r), r]));
    const report = (await call(`/api/tool-eval/judge/reports/${reportId}`, { token: u.token })).json;
    expect(report).toMatchObject({
      mode: "live_inline",
      status: "completed",
      eval_run_id: submit.json.eval_id,
      custom_instructions: "Inline.",
      job_id: jobId,
    });
    expect(report.verdicts).toHaveLength(12);
    for (const v of report.verdicts) expect(v.verdict, key(v)).toBe(simVerdict(caseOf(byKey.get(key(v)))).verdict);
    expect(report.reports).toHaveLength(2);
    expect(report.overall_grade).toMatch(/^[A-F][+-]?$/);
    expect(report.calibration.judge_vs_scorer.n).toBe(12);
    // An unknown judge is refused before anything runs, naming the field.
    const bad = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [target(CAREFUL)], judge: { judge_model: "nope" } },
    });
    expectEnvelope(bad, 400, "validation_failed");
    expect(bad.json.details).toContainEqual(expect.objectContaining({ path: "judge.judge_model" }));
    s.ws.close(1000);
  });
});

describe("judge: overrides, second judge and judge cards", () => {
  it("stores overrides as labels without touching scores; cards measure each judge configuration against them", async () => {
    const { u, suiteId, s } = await setUp(10, [SLOPPY, JUDGE, `${JUDGE}-jsonpartial`]);
    const run = await evalRun(s, u.token, suiteId, [SLOPPY]);
    const { report } = await judge(s, u.token, { eval_run_id: run.id, judge_model: JUDGE, second_judge_model: `${JUDGE}-jsonpartial` });
    expect(report.verdicts.filter((v: any) => v.judge_role === "second")).toHaveLength(10);
    // The second judge gives the same pass/fail (its answers lack only the prose): full inter-judge agreement.
    const second = report.calibration.second_judge;
    expect(second.judge_model).toBe(`${JUDGE}-jsonpartial`);
    expect(second.vs_primary.observed_agreement).toBe(1);
    expect(second.vs_scorer.table).toEqual(report.calibration.judge_vs_scorer.table);

    // A judged pass the user fails (a false pass) and a judged fail the user agrees with.
    const primary = report.verdicts.filter((v: any) => v.judge_role === "primary");
    const first = primary.find((v: any) => v.verdict === "pass");
    const other = primary.find((v: any) => binaryOf(v.verdict) === "fail");
    expect(first && other, "sim-sloppy gets some cases right and some wrong").toBeTruthy();
    const base = `/api/tool-eval/judge/reports/${report.id}/verdicts`;
    const o1 = await call(`${base}/${first.id}/override`, { token: u.token, method: "PUT", body: { verdict: "fail", reason: "I checked" } });
    expect(o1.status, o1.text).toBe(200);
    expect(o1.json).toMatchObject({ override_verdict: "fail", override_reason: "I checked", verdict: "pass" });
    expect((await call(`${base}/${other.id}/override`, { token: u.token, method: "PUT", body: { verdict: "fail" } })).status).toBe(200);
    const bad = await call(`${base}/${other.id}/override`, { token: u.token, method: "PUT", body: { verdict: "great" } });
    expectEnvelope(bad, 400, "validation_failed");
    expect(bad.json.details).toContainEqual(expect.objectContaining({ path: "verdict" }));

    const after = (await call(`/api/tool-eval/judge/reports/${report.id}`, { token: u.token })).json;
    expect(after.overrides).toBe(2);
    expect(after.calibration.overrides).toMatchObject({ count: 2, judge_vs_overrides: { n: 2, observed_agreement: 0.5 } });
    // Never applied to automated scores.
    const rerun = (await call(`/api/tool-eval/history/${run.id}`, { token: u.token })).json.results;
    expect(rerun.map((r: any) => [r.overall_score, r.passed])).toEqual(run.results.map((r) => [r.overall_score, r.passed]));

    // A changed judge (other instructions) is a new card, checked against the same labels.
    await judge(s, u.token, { eval_run_id: run.id, judge_model: JUDGE, custom_instructions: "Be lenient." });
    const cards = (await call("/api/tool-eval/judge/cards", { token: u.token })).json.cards;
    const mine = cards.filter((c: any) => c.judge_model === JUDGE);
    expect(mine).toHaveLength(2);
    for (const c of mine) expect(c).toMatchObject({ labelled: 2, prompt_version: "v1", false_pass_rate: 0.5, false_fail_rate: null });
    expect(mine.map((c: any) => c.custom_instructions).sort()).toEqual(["", "Be lenient."]);
    expect(cards.find((c: any) => c.judge_model === `${JUDGE}-jsonpartial`)).toMatchObject({ verdicts: 10, labelled: 2 });

    // Clearing an override removes the label.
    expect((await call(`${base}/${first.id}/override`, { token: u.token, method: "DELETE" })).json.override_verdict).toBeNull();
    const cleared = (await call("/api/tool-eval/judge/cards", { token: u.token })).json.cards.filter((c: any) => c.judge_model === JUDGE);
    expect(cleared.every((c: any) => c.labelled === 1)).toBe(true);
    s.ws.close(1000);
  });
});

describe("judge compare", () => {
  it("matches two multi-model runs per (model, case), judges both orders, and catches the position-biased judge", async () => {
    const { u, suiteId, s } = await setUp(8, [CAREFUL, TUNABLE, JUDGE, `${JUDGE}-biased`]);
    // sim-tunable improves at temperature 0.2; sim-careful does not care: B should win on tunable only.
    const a = await evalRun(s, u.token, suiteId, [CAREFUL, TUNABLE], { temperature: 1 });
    const b = await evalRun(s, u.token, suiteId, [CAREFUL, TUNABLE], { temperature: 0.2 });
    const { submit, report } = await judge(
      s,
      u.token,
      { eval_run_id_a: a.id, eval_run_id_b: b.id, judge_model: JUDGE },
      "/api/tool-eval/judge/compare",
    );
    expect(submit).toMatchObject({ cases: 16, model_pairs: 2 });
    expect(report).toMatchObject({ mode: "comparative", eval_run_id: a.id, eval_run_id_b: b.id, calibration: null });
    const aBy = new Map(a.results.map((r) => [key(r), r]));
    const bBy = new Map(b.results.map((r) => [key(r), r]));
    let winsA = 0;
    let winsB = 0;
    for (const v of report.verdicts) {
      // Each verdict compares one model with itself on one case: never another model's answer.
      expect(v.comparison.model_id_b).toBe(v.model_id);
      const ma = answerMerit(caseOf(aBy.get(key(v))));
      const mb = answerMerit(caseOf(bBy.get(key(v))));
      const want = ma > mb ? "model_a" : mb > ma ? "model_b" : "tie";
      expect(v.verdict, key(v)).toBe(want);
      expect(v.comparison.order_disagreement).toBe(false);
      if (want === "model_a") winsA++;
      if (want === "model_b") winsB++;
    }
    expect(new Set(report.verdicts.map((v: any) => v.model_id))).toEqual(new Set([CAREFUL, TUNABLE]));
    // Live: each compared case is the stored verdict (by id), with its provider, model name and error.
    const byId = new Map(report.verdicts.map((v: any) => [v.id, v]));
    const cases = s.messages.filter((m) => m.job_id === submit.job_id && m.type === "compare_case");
    expect(cases).toHaveLength(16);
    for (const e of cases) {
      const v: any = byId.get(e.verdict_id);
      expect(v, e.verdict_id).toBeDefined();
      expect(e).toMatchObject({
        provider_key: v.provider_key,
        model_name: v.model_name,
        model_id_a: v.model_id,
        model_id_b: v.comparison.model_id_b,
        test_case_id: v.test_case_id,
        winner: v.verdict,
        error: v.error,
      });
    }
    // Progress counts compared cases over the whole report, up to all of them.
    const counts = s.messages
      .filter((m) => m.job_id === submit.job_id && m.type === "job_progress")
      .map((m) => /: (\d+)\/16 cases$/.exec(m.progress_detail)?.[1])
      .filter((n) => n !== undefined)
      .map(Number);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    expect(counts.at(-1)).toBe(16);
    expect(report).toMatchObject({ wins_a: winsA, wins_b: winsB, ties: 16 - winsA - winsB });
    expect(report.sign_test_p).toBeGreaterThan(0);
    expect(report.reports).toHaveLength(2);
    for (const pair of report.reports) expect(pair.model_a).toBe(pair.model_b);
    const careful = report.verdicts.filter((v: any) => v.model_id === CAREFUL);
    expect(careful.every((v: any) => v.verdict === "tie")).toBe(true); // the same answers at either temperature

    // The biased judge prefers whatever it sees first: its two orders disagree on every case, which end as ties.
    const biased = (
      await judge(s, u.token, { eval_run_id_a: a.id, eval_run_id_b: b.id, judge_model: `${JUDGE}-biased` }, "/api/tool-eval/judge/compare")
    ).report;
    expect(biased.verdicts).toHaveLength(16);
    for (const v of biased.verdicts)
      expect(v).toMatchObject({ verdict: "tie", comparison: { forward: "a", swapped: "b", order_disagreement: true, confidence: 0.1 } });
    expect(biased).toMatchObject({ wins_a: 0, wins_b: 0, ties: 16, sign_test_p: 1, comparison: { order_disagreements: 16, swap_consistency: 0 } });
    const cards = (await call("/api/tool-eval/judge/cards", { token: u.token })).json.cards;
    expect(cards.find((c: any) => c.judge_model === `${JUDGE}-biased`)).toMatchObject({ comparisons: 16, swap_consistency: 0 });
    expect(cards.find((c: any) => c.judge_model === JUDGE)).toMatchObject({ comparisons: 16, swap_consistency: 1 });
    s.ws.close(1000);
  });
});

describe("judge: requests and ownership", () => {
  it("refuses bad requests with a 400 naming the field, and gives 404 for other users' ids on every route", async () => {
    const { u, suiteId, s } = await setUp(2, [CAREFUL, JUDGE]);
    const run = await evalRun(s, u.token, suiteId, [CAREFUL]);
    const post = (body: Record<string, unknown>, path = "/api/tool-eval/judge") => call(path, { token: u.token, body });
    const field = async (body: Record<string, unknown>, path: string, where = "/api/tool-eval/judge") => {
      const r = await post(body, where);
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.details, JSON.stringify(body)).toContainEqual(expect.objectContaining({ path }));
    };
    await field({ eval_run_id: run.id }, "judge_model");
    await field({ eval_run_id: run.id, judge_model: "no-such-model" }, "judge_model");
    await field({ eval_run_id: run.id, judge_model: JUDGE, concurrency: 99 }, "concurrency");
    await field({ eval_run_id: run.id, judge_model: JUDGE, mode: "comparative" }, "mode");
    await field({ eval_run_id: run.id, judge_model: JUDGE, second_judge_model: "nope" }, "second_judge_model");
    await field(
      { eval_run_id: run.id, judge_model: JUDGE, custom_instructions: "x".repeat(JUDGE_INSTRUCTIONS_MAX_CHARS + 1) },
      "custom_instructions",
    );
    await field({ eval_run_id_a: run.id, judge_model: JUDGE }, "eval_run_id_b", "/api/tool-eval/judge/compare");
    await field({ eval_run_id_a: run.id, eval_run_id_b: run.id, judge_model: JUDGE }, "eval_run_id_b", "/api/tool-eval/judge/compare");
    expectEnvelope(await post({ eval_run_id: run.id, judge_model: JUDGE, mode: "live_inline" }), 400);
    expectEnvelope(await post({ eval_run_id: "0".repeat(32), judge_model: JUDGE }), 404);

    // Linked to an experiment, the report joins its timeline with its grade.
    const exp = await call("/api/experiments", { token: u.token, body: { name: "Judged", suite_id: suiteId, baseline_eval_id: run.id } });
    expect(exp.status, exp.text).toBe(201);
    const { report } = await judge(s, u.token, { eval_run_id: run.id, judge_model: JUDGE, experiment_id: exp.json.experiment_id });
    expect(report.experiment_id).toBe(exp.json.experiment_id);
    const timeline = (await call(`/api/experiments/${exp.json.experiment_id}/timeline`, { token: u.token })).json;
    const entry = timeline.entries.find((e: any) => e.type === "judge");
    expect(entry).toMatchObject({
      id: report.id,
      status: "completed",
      delta: null,
      detail: { grade: report.overall_grade, mode: "post_eval", eval_run_id: run.id },
    });
    expect((await call(`/api/experiments/${exp.json.experiment_id}`, { token: u.token })).json.run_count).toBe(1); // the baseline was chosen, not linked
    const other = await signUp();
    const as = (path: string, init: { method?: string; body?: unknown } = {}) => call(path, { token: other.token, ...init });
    expectEnvelope(await as("/api/tool-eval/judge", { body: { eval_run_id: run.id, judge_model: JUDGE } }), 404);
    expectEnvelope(await as("/api/tool-eval/judge/compare", { body: { eval_run_id_a: run.id, eval_run_id_b: run.id, judge_model: JUDGE } }), 404);
    expectEnvelope(await as(`/api/tool-eval/judge/reports/${report.id}`), 404);
    expectEnvelope(await as(`/api/tool-eval/judge/reports/${report.id}`, { method: "DELETE" }), 404);
    const v = report.verdicts[0].id;
    expectEnvelope(await as(`/api/tool-eval/judge/reports/${report.id}/verdicts/${v}/override`, { method: "PUT", body: { verdict: "pass" } }), 404);
    expectEnvelope(await as(`/api/tool-eval/judge/reports/${report.id}/verdicts/${v}/override`, { method: "DELETE" }), 404);
    expectEnvelope(await as("/api/tool-eval/judge/cancel", { body: { job_id: report.job_id } }), 404);
    expect((await as("/api/tool-eval/judge/reports")).json.reports).toEqual([]);
    expect((await as("/api/tool-eval/judge/cards")).json.cards).toEqual([]);

    expect((await call(`/api/tool-eval/judge/reports/${report.id}`, { token: u.token, method: "DELETE" })).status).toBe(200);
    expectEnvelope(await call(`/api/tool-eval/judge/reports/${report.id}`, { token: u.token }), 404);
    s.ws.close(1000);
  });
});
