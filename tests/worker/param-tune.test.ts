/** The parameter tuner end to end: API → hub → queue → consumer → simulator → scorer → D1 → sockets → answer. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import smartHome from "../fixtures/examples/smart_home_suite.json";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent as waitFor } from "./sockets.ts";

const TOOLS = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
];

/** A suite of `n` weather cases on the built-in simulator provider, and a fast simulator model added to it. */
async function setUp(n: number, model = "sim-ttft1-tps2000-len4") {
  const u = await signUp();
  const suiteId = (await call("/api/tool-suites", { token: u.token, body: { name: "Weather", tools: TOOLS } })).json.suite_id;
  const cases = Array.from({ length: n }, (_, i) => ({
    prompt: `Weather in city ${i}?`,
    expected_tool: "get_weather",
    expected_params: { city: `City ${i}` },
  }));
  expect((await call(`/api/tool-suites/${suiteId}/cases`, { token: u.token, body: { cases } })).status).toBe(201);
  const sim = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === "local_simulator");
  await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: model } });
  return { u, suiteId, target: { provider_key: "local_simulator", model_id: model } };
}

describe("parameter tuner: requests", () => {
  it("refuses bad search spaces with a 400 naming the field", async () => {
    const { u, suiteId, target } = await setUp(2);
    const tune = (search_space: unknown, extra: Record<string, unknown> = {}) =>
      call("/api/tool-eval/param-tune", { token: u.token, body: { suite_id: suiteId, targets: [target], search_space, ...extra } });

    const empty = await tune({ temperature: [] });
    expectEnvelope(empty, 400, "validation_failed");
    expect(empty.json.details).toContainEqual(expect.objectContaining({ path: "search_space.temperature" }));

    const zeroStep = await tune({ temperature: { min: 0, max: 1, step: 0 } });
    expectEnvelope(zeroStep, 400, "validation_failed");
    expect(zeroStep.json.details).toContainEqual(expect.objectContaining({ path: "search_space.temperature.step" }));

    const inverted = await tune({ top_p: { min: 0.9, max: 0.1, step: 0.1 } });
    expect(inverted.json.details).toContainEqual(
      expect.objectContaining({ path: "search_space.top_p.min", message: expect.stringContaining("greater than max") }),
    );

    // 501 temperatures × 3 tool choices × 4 top_p = 6012 combos: over the grid cap, and the message says what to do.
    const huge = await tune({ temperature: { min: 0, max: 1, step: 0.002 }, tool_choice: ["auto", "required", "none"], top_p: [0.25, 0.5, 0.75, 1] });
    expectEnvelope(huge, 400, "validation_failed");
    expect(huge.json.error).toContain("6,012 combos");
    expect(huge.json.error).toContain("halving");

    const badTool = await tune({ tool_choice: ["sometimes"] });
    expect(badTool.json.details[0].path).toBe("search_space.tool_choice.0");
    expectEnvelope(await tune({ temperature: [0] }, { repeats: 9 }), 400, "validation_failed");
    expectEnvelope(await tune({ temperature: [0] }, { strategy: "bayesian" }), 400, "validation_failed");
  });

  it("scopes tunes to their owner: another account's suite, run and cancel are 404", async () => {
    const { u, suiteId, target } = await setUp(1);
    const other = await signUp();
    expectEnvelope(
      await call("/api/tool-eval/param-tune", {
        token: other.token,
        body: { suite_id: suiteId, targets: [target], search_space: { temperature: [0] } },
      }),
      404,
    );
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: { suite_id: suiteId, targets: [target], search_space: { temperature: [0] } },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitFor(s, "tune_complete", submit.json.job_id);
    expectEnvelope(await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { token: other.token }), 404);
    expectEnvelope(await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { method: "DELETE", token: other.token }), 404);
    expect((await call("/api/tool-eval/param-tune/history", { token: other.token })).json.runs).toEqual([]);
  });
});

describe("parameter tuner: runs", () => {
  it("runs a grid, merges combos that clamp to the same call, and calls identical combos a tie, not a winner", async () => {
    const { u, suiteId, target } = await setUp(6);
    const s = await openSocket(u.token);
    // The simulator's default caller ignores temperature and top_p: every combo behaves the same.
    const submit = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: { suite_id: suiteId, targets: [target], search_space: { temperature: [0, 0.7], top_p: [0.5, 1] }, seed: 7 },
    });
    expect(submit.status, submit.text).toBe(200);
    expect(submit.json).toMatchObject({ strategy: "grid", seed: 7, search_cases: 6, holdout_cases: 0 });
    // 4 combos, plus the baseline (temperature 0 and no top_p: a call none of the combos makes).
    expect(submit.json.total_combos).toBe(5);
    expect(submit.json.planned_trials).toBe(30);
    await waitFor(s, "tune_start", submit.json.job_id);
    const done = await waitFor(s, "tune_complete", submit.json.job_id);
    expect(s.messages.filter((m) => m.type === "combo_result" && m.job_id === submit.json.job_id)).toHaveLength(5);
    expect(done).toMatchObject({ status: "completed", best_config: null, best_score: null });
    expect(done.significance).toMatchObject({ verdict: "not_distinguishable" });

    const detail = (await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { token: u.token })).json;
    expect(detail.status).toBe("completed");
    const t = detail.answer.targets[0];
    expect(t.combos).toHaveLength(5);
    expect(t.best_combo).toBeNull();
    expect(t.tied_for_best).toHaveLength(5);
    expect(t.statement).toContain("tie");
    for (const c of t.combos) expect(c).toMatchObject({ cases_run: 6, trials: 6, finalist: true, errors: 0 });
    expect(detail.answer.trials_run).toBe(30);

    // The drill-down: one combo's trials, each case's expected and actual calls.
    const trialsPath = `/api/tool-eval/param-tune/history/${submit.json.tune_id}/trials`;
    const q = `provider_key=local_simulator&model_id=${target.model_id}&combo=${t.combos[0].combo}`;
    const trials = await call(`${trialsPath}?${q}`, { token: u.token });
    expect(trials.status, trials.text).toBe(200);
    expect(trials.json.trials).toHaveLength(6);
    expect(trials.json.trials[0]).toMatchObject({ expected_tool: "get_weather", holdout: false, repeat: 0 });
    expect(trials.json.trials[0].prompt).toMatch(/^Weather in city \d\?$/);
    expect(trials.json.trials[0].actual_calls.length).toBeGreaterThan(0);
    expectEnvelope(await call(trialsPath, { token: u.token }), 400, "validation_failed");
    expectEnvelope(await call(`${trialsPath}?${q}`, { token: (await signUp()).token }), 404);

    const list = (await call("/api/tool-eval/param-tune/history", { token: u.token })).json.runs;
    expect(list[0]).toMatchObject({ id: submit.json.tune_id, strategy: "grid", total_combos: 5, planned_trials: 30, status: "completed" });
  });

  it("halving runs fewer trials than the grid and keeps the baseline to the last rung", async () => {
    const { u, suiteId, target } = await setUp(12);
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: {
        suite_id: suiteId,
        targets: [target],
        strategy: "halving",
        search_space: { temperature: { min: 0, max: 1.1, step: 0.1 } },
        baseline: { temperature: 0.05 },
        seed: 3,
      },
    });
    expect(submit.status, submit.text).toBe(200);
    expect(submit.json.planned_trials).toBeLessThan(submit.json.grid_trials);
    await waitFor(s, "tune_complete", submit.json.job_id);
    const detail = (await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { token: u.token })).json;
    const t = detail.answer.targets[0];
    expect(t.rungs.length).toBeGreaterThan(1);
    expect(t.rungs.at(-1).cases).toBe(12);
    const baseline = t.combos.find((c: any) => c.baseline);
    expect(baseline).toMatchObject({ finalist: true, cases_run: 12 });
    // Everything ties here, so every combo survives every cut (ties are never broken by order).
    expect(detail.answer.trials_run).toBe(t.combos.length * 12);
  });

  it("a held-out split keeps cases out of the search", async () => {
    const { u, suiteId, target } = await setUp(10);
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: { suite_id: suiteId, targets: [target], search_space: { temperature: [0, 1] }, holdout_fraction: 0.3, seed: 11 },
    });
    expect(submit.json).toMatchObject({ search_cases: 7, holdout_cases: 3 });
    await waitFor(s, "tune_complete", submit.json.job_id);
    const detail = (await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { token: u.token })).json;
    const holdout = new Set(detail.config.holdout_cases);
    expect(holdout.size).toBe(3);
    expect(detail.config.search_cases.some((id: string) => holdout.has(id))).toBe(false);
    for (const c of detail.answer.targets[0].combos) expect(c.cases_run).toBe(7);
  });

  it("deletes a finished tune with its trials; a running one must be cancelled first", async () => {
    const { u, suiteId, target } = await setUp(2);
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: { suite_id: suiteId, targets: [target], search_space: { temperature: [0] } },
    });
    await waitFor(s, "tune_complete", submit.json.job_id);
    expect((await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { method: "DELETE", token: u.token })).status).toBe(200);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM param_tune_trials WHERE tune_run_id = ?")
      .bind(submit.json.tune_id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    expectEnvelope(await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { token: u.token }), 404);
  });
});

describe("parameter tuner: against a known optimum", () => {
  it("finds sim-tunable's best temperature and tool choice on the example suite, and says how sure it is", async () => {
    // sim-tunable's documented error rate: 0.10 + 0.4·|T − 0.2| + 0.3·|top_p − 0.9| + 0.08·[required] (src/simulator/README.md).
    const u = await signUp();
    // The first 24 cases keep the test short; the gaps below are far wider than 24 cases' noise.
    const imported = await call("/api/tool-eval/import", { token: u.token, body: { ...smartHome, test_cases: smartHome.test_cases.slice(0, 24) } });
    expect(imported.status, imported.text).toBe(201);
    const target = { provider_key: "local_simulator", model_id: "sim-tunable" };
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: {
        suite_id: imported.json.suite_id,
        targets: [target],
        strategy: "halving",
        search_space: { temperature: [0.2, 1, 1.6], tool_choice: ["auto"] },
        baseline: { temperature: 1.6, tool_choice: "required" },
        seed: 5,
      },
    });
    expect(submit.status, submit.text).toBe(200);
    expect(submit.json.planned_trials).toBeLessThan(submit.json.grid_trials);
    const done = await waitFor(s, "tune_complete", submit.json.job_id, 240_000);
    expect(done.best_config).toEqual({ temperature: 0.2, tool_choice: "auto" });
    const detail = (await call(`/api/tool-eval/param-tune/history/${submit.json.tune_id}`, { token: u.token })).json;
    const t = detail.answer.targets[0];
    expect(t.best_label).toBe("temperature 0.2 · tool_choice auto");
    // Against the baseline (error ≈ 0.77 vs 0.13) the gain is large: the statistics call it better.
    const vsBaseline = t.comparisons.find((c: any) => c.compared_with === "current settings (temperature 1.6 · tool_choice required)");
    expect(vsBaseline).toMatchObject({ verdict: "better" });
    expect(vsBaseline.ci[0]).toBeGreaterThan(0);
    expect(vsBaseline.statement).toMatch(/^better than current settings/);
    // Halving cut the weak combos before the last rung.
    expect(t.combos.filter((c: any) => c.eliminated).length).toBeGreaterThan(0);
  }, 300_000);
});
