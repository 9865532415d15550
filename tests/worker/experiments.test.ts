/**
 * Experiments end to end: API → hub → queue → consumer → simulator → scorer → D1 → the outcome path, which keeps
 * the experiment's baseline and best (experiments/bookkeeping.ts). The simulator's tool-callers are
 * deterministic: `sim-careful` gets almost every smart-home case right, the placeholder caller (a plain `sim-…`
 * model calls the first tool with placeholder values) almost none, so the deltas and their labels are known.
 */
import { describe, expect, it } from "vitest";
import smartHome from "../fixtures/examples/smart_home_suite.json";
import { waitForJob } from "./fixtures.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent } from "./sockets.ts";

const SIM = "local_simulator";
const WEAK = "sim-ttft1-tps5000-len4";
const STRONG = "sim-careful-ttft1-tps5000";
const TUNABLE = "sim-tunable-ttft1-tps5000";
const WRITER = "sim-writer-ttft5-tps5000";
const target = (model_id: string) => ({ provider_key: SIM, model_id });

type Account = Awaited<ReturnType<typeof signUp>>;

async function addModel(token: string, modelId: string) {
  const sim = (await call("/api/v2/providers", { token })).json.providers.find((p: any) => p.provider_key === SIM);
  const r = await call(`/api/v2/providers/${sim.id}/models`, { token, body: { model_id: modelId } });
  expect(r.status, r.text).toBe(201);
}

/**
 * An account with `n` smart-home cases and the simulator models these tests use. The cases start after the
 * get_time ones: those the placeholder caller gets right by calling the first tool.
 */
async function setUp(n: number, u?: Account) {
  const user = u ?? (await signUp());
  const imported = await call("/api/tool-eval/import", {
    token: user.token,
    body: { ...smartHome, test_cases: smartHome.test_cases.slice(10, 10 + n) },
  });
  expect(imported.status, imported.text).toBe(201);
  if (!u) for (const m of [WEAK, STRONG, TUNABLE, WRITER]) await addModel(user.token, m);
  return { u: user, suiteId: imported.json.suite_id as string };
}

async function createExperiment(token: string, body: Record<string, unknown>) {
  const r = await call("/api/experiments", { token, body: { name: "Exp", ...body } });
  expect(r.status, r.text).toBe(201);
  return r.json.experiment_id as string;
}

/** Runs an eval (linked when `experimentId` is given) to its end; returns the eval run id. */
async function runEval(token: string, suiteId: string, model: string, experimentId?: string, extra: Record<string, unknown> = {}) {
  const r = await call("/api/tool-eval", {
    token,
    body: { suite_id: suiteId, targets: [target(model)], tool_choice: "auto", ...(experimentId ? { experiment_id: experimentId } : {}), ...extra },
  });
  expect(r.status, r.text).toBe(200);
  expect(await waitForJob(token, r.json.job_id, 60_000)).toBe("done");
  return r.json.eval_id as string;
}

/** The experiment once `ready` holds (the outcome path records a finished run just after the job ends). */
async function experimentWhen(token: string, id: string, ready: (e: any) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(`/api/experiments/${id}`, { token });
    expect(r.status, r.text).toBe(200);
    if (ready(r.json)) return r.json;
    if (Date.now() > deadline) throw new Error(`experiment ${id} never reached the expected state: ${r.text}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function timeline(token: string, id: string) {
  const r = await call(`/api/experiments/${id}/timeline`, { token });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

describe("experiments: baseline, best and the timeline", () => {
  it("the first linked eval is the baseline; a better one becomes the best, with a significant delta; an equal one does not", async () => {
    const { u, suiteId } = await setUp(12);
    const exp = await createExperiment(u.token, { suite_id: suiteId, description: "weak vs careful" });
    expect((await call(`/api/experiments/${exp}`, { token: u.token })).json).toMatchObject({ baseline_score: null, best_score: null, run_count: 0 });

    const weak = await runEval(u.token, suiteId, WEAK, exp);
    const afterWeak = await experimentWhen(u.token, exp, (e) => e.best_score !== null);
    expect(afterWeak).toMatchObject({ baseline_eval_id: weak, best_source: "eval", best_source_id: weak, run_count: 1 });
    expect(afterWeak.best_score).toBe(afterWeak.baseline_score);

    const strong = await runEval(u.token, suiteId, STRONG, exp);
    const afterStrong = await experimentWhen(u.token, exp, (e) => e.best_source_id === strong);
    expect(afterStrong.baseline_eval_id).toBe(weak); // the baseline does not move
    expect(afterStrong.best_score).toBeGreaterThan(afterStrong.baseline_score + 0.2);
    expect(afterStrong.best_config).toMatchObject({ targets: [target(STRONG)], tool_choice: "auto", promoted_from: { type: "eval", id: strong } });

    const again = await runEval(u.token, suiteId, WEAK, exp);
    // Equal to the baseline, below the best: neither moves (wait for the run to be recorded, then check).
    const t = await (async () => {
      for (let i = 0; i < 200; i++) {
        const tl = await timeline(u.token, exp);
        if (tl.entries.find((e: any) => e.id === again)?.status === "completed") return tl;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error("the third eval never completed on the timeline");
    })();
    expect(t.best).toMatchObject({ source: "eval", source_id: strong });
    expect(t.baseline).toEqual({ eval_id: weak, score: afterWeak.baseline_score });
    expect(t.entries.map((e: any) => e.id)).toEqual([weak, strong, again]);
    const [base, better, same] = t.entries;
    expect(base).toMatchObject({ type: "eval", is_baseline: true, delta: 0, significance: null, significance_label: null });
    expect(better).toMatchObject({ is_best: true, significance_label: "significant" });
    expect(better.delta).toBeCloseTo(better.score - afterWeak.baseline_score, 4);
    expect(better.significance).toMatchObject({ verdict: "better", compared_with: "baseline", n_cases: 12 });
    expect(better.significance.ci[0]).toBeGreaterThan(0);
    // The same model again scores the same on every case: a tie, not a difference.
    expect(same).toMatchObject({ delta: 0, significance_label: "not significant" });
    expect(same.significance.verdict).toBe("not_distinguishable");
    expect(same.config_summary).toBe("temp=0, tool_choice=auto");
  }, 120_000);

  it("a big delta on three cases is 'insufficient evidence', not significant", async () => {
    const { u, suiteId } = await setUp(3);
    const weak = await runEval(u.token, suiteId, WEAK);
    // A baseline chosen from history at creation (not linked itself).
    const exp = await createExperiment(u.token, { suite_id: suiteId, baseline_eval_id: weak });
    // Every tab hears that the linked run moved the experiment's best.
    const socket = await openSocket(u.token);
    const submitted = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [target(STRONG)], tool_choice: "auto", experiment_id: exp },
    });
    expect(submitted.status, submitted.text).toBe(200);
    const strong = submitted.json.eval_id as string;
    const event = await waitForJobEvent(socket, "experiment_updated", submitted.json.job_id, 30_000);
    expect(event).toMatchObject({ experiment_id: exp, best_updated: true, baseline_set: false });
    await experimentWhen(u.token, exp, (e) => e.best_source_id === strong);
    const t = await timeline(u.token, exp);
    expect(t.entries).toHaveLength(1);
    const [entry] = t.entries;
    expect(entry.delta).toBeGreaterThan(0.2);
    expect(entry).toMatchObject({ is_baseline: false, significance_label: "insufficient evidence" });
    expect(entry.significance.verdict).toBe("insufficient_evidence");
    expect(entry.significance.more_cases_needed).toBeGreaterThan(0);
  }, 90_000);

  it("a baseline given as a config is run as the baseline eval", async () => {
    const { u, suiteId } = await setUp(4);
    const r = await call("/api/experiments", {
      token: u.token,
      body: { name: "From a config", suite_id: suiteId, baseline_config: { targets: [target(WEAK)], temperature: 0.3, tool_choice: "auto" } },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.baseline_score).toBeNull();
    expect(await waitForJob(u.token, r.json.baseline_job_id, 60_000)).toBe("done");
    const e = await experimentWhen(u.token, r.json.experiment_id, (x) => x.baseline_score !== null);
    expect(e.baseline_eval_id).toBe(r.json.baseline_eval_id);
    const run = (await call(`/api/tool-eval/history/${r.json.baseline_eval_id}`, { token: u.token })).json;
    expect(run).toMatchObject({ temperature: 0.3, tool_choice: "auto", models: [target(WEAK)] });
  }, 90_000);
});

describe("experiments: tunes and run best", () => {
  it("a param tune's best combo becomes the best, and 'run best' evaluates exactly that config, linked", async () => {
    const { u, suiteId } = await setUp(12);
    const exp = await createExperiment(u.token, { suite_id: suiteId });
    await runEval(u.token, suiteId, WEAK, exp);
    await experimentWhen(u.token, exp, (e) => e.baseline_score !== null);
    const tune = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: {
        suite_id: suiteId,
        targets: [target(TUNABLE)],
        // sim-tunable is best at temperature 0.2, top_p 0.9, auto; the baseline (1.5, required) is far off it.
        search_space: { temperature: [0.2, 1.0], top_p: [0.9], tool_choice: ["auto"] },
        baseline: { temperature: 1.5, tool_choice: "required" },
        experiment_id: exp,
        seed: 5,
      },
    });
    expect(tune.status, tune.text).toBe(200);
    expect(await waitForJob(u.token, tune.json.job_id, 90_000)).toBe("done");
    const e = await experimentWhen(u.token, exp, (x) => x.best_source === "param_tune");
    const answer = (await call(`/api/tool-eval/param-tune/history/${tune.json.tune_id}`, { token: u.token })).json.answer;
    const best = answer.targets[0].combos.find((c: any) => c.combo === answer.targets[0].best_combo);
    expect(e.best_source_id).toBe(tune.json.tune_id);
    expect(e.best_score).toBeCloseTo(answer.best_score, 4);
    expect(e.best_config).toMatchObject({ targets: [target(TUNABLE)], temperature: best.temperature, tool_choice: best.tool_choice });
    expect(e.best_config.provider_params).toEqual(best.provider_params);

    const t = await timeline(u.token, exp);
    const tuneEntry = t.entries.find((x: any) => x.id === tune.json.tune_id);
    expect(tuneEntry).toMatchObject({ type: "param_tune", is_best: true, score: e.best_score });
    expect(tuneEntry.config_summary).toMatch(/^best: temp=/);
    expect(["significant", "not significant", "insufficient evidence"]).toContain(tuneEntry.significance_label);

    const runBest = await call(`/api/experiments/${exp}/run-best`, { token: u.token, body: {} });
    expect(runBest.status, runBest.text).toBe(200);
    expect(runBest.json.config_used).toMatchObject({ targets: [target(TUNABLE)], temperature: best.temperature, tool_choice: best.tool_choice });
    expect(await waitForJob(u.token, runBest.json.job_id, 60_000)).toBe("done");
    const run = (await call(`/api/tool-eval/history/${runBest.json.eval_id}`, { token: u.token })).json;
    expect(run).toMatchObject({ suite_id: suiteId, temperature: best.temperature, tool_choice: best.tool_choice, models: [target(TUNABLE)] });
    expect(run.config.provider_params).toEqual(best.provider_params);
    const after = await timeline(u.token, exp);
    expect(after.entries.map((x: any) => x.id)).toContain(runBest.json.eval_id);
  }, 180_000);

  it("a prompt tune's best prompt becomes the best, and 'run best' sends it as the system prompt", async () => {
    const { u, suiteId } = await setUp(24);
    const exp = await createExperiment(u.token, { suite_id: suiteId });
    await runEval(u.token, suiteId, WEAK, exp);
    await experimentWhen(u.token, exp, (e) => e.baseline_score !== null);
    const tune = await call("/api/tool-eval/prompt-tune", {
      token: u.token,
      body: {
        suite_id: suiteId,
        target_targets: [target(TUNABLE)],
        meta_model: `${SIM}::${WRITER}`,
        base_prompt: "You are an assistant with tools. Be creative.",
        // Far from sim-tunable's best temperature, so the prompts' keywords make differences (no tie at the top).
        config: { temperature: 1.5, tool_choice: "auto", population_size: 3 },
        seed: 11,
        experiment_id: exp,
      },
    });
    expect(tune.status, tune.text).toBe(200);
    expect(await waitForJob(u.token, tune.json.job_id, 90_000)).toBe("done");
    const answer = (await call(`/api/tool-eval/prompt-tune/history/${tune.json.tune_id}`, { token: u.token })).json.answer;
    expect(answer.best_prompt, "this seed names one best prompt").toBeTruthy();
    const e = await experimentWhen(u.token, exp, (x) => x.best_source === "prompt_tune");
    expect(e.best_config).toMatchObject({ system_prompt: answer.best_prompt, temperature: 1.5, tool_choice: "auto", targets: [target(TUNABLE)] });
    const entry = (await timeline(u.token, exp)).entries.find((x: any) => x.id === tune.json.tune_id);
    expect(entry.detail.prompt_preview).toBe(answer.best_prompt.slice(0, 80));

    const runBest = await call(`/api/experiments/${exp}/run-best`, { token: u.token, body: {} });
    expect(runBest.status, runBest.text).toBe(200);
    const run = (await call(`/api/tool-eval/history/${runBest.json.eval_id}`, { token: u.token })).json;
    expect(run.config.system_prompt).toBe(answer.best_prompt);
    expect(await waitForJob(u.token, runBest.json.job_id, 60_000)).toBe("done");
  }, 180_000);

  it("'run best' without a best, or on an archived experiment, is a clear 409", async () => {
    const { u, suiteId } = await setUp(2);
    const exp = await createExperiment(u.token, { suite_id: suiteId });
    expectEnvelope(await call(`/api/experiments/${exp}/run-best`, { token: u.token, body: {} }), 409, "conflict");
    await runEval(u.token, suiteId, WEAK, exp);
    await experimentWhen(u.token, exp, (e) => e.best_score !== null);
    expect((await call(`/api/experiments/${exp}`, { method: "PUT", token: u.token, body: { status: "archived" } })).status).toBe(200);
    expectEnvelope(await call(`/api/experiments/${exp}/run-best`, { token: u.token, body: {} }), 409, "conflict");
  }, 60_000);
});

describe("experiments: linking and ownership", () => {
  it("experiment_id on the eval, param-tune and prompt-tune submits: another user's or unknown → 404, archived → 409, other suite → 400", async () => {
    const { u, suiteId } = await setUp(2);
    const { suiteId: otherSuite } = await setUp(2, u);
    const other = await setUp(2);
    const mine = await createExperiment(u.token, { suite_id: suiteId });
    const archived = await createExperiment(u.token, { suite_id: suiteId });
    await call(`/api/experiments/${archived}`, { method: "PUT", token: u.token, body: { status: "archived" } });
    const theirs = await createExperiment(other.u.token, { suite_id: other.suiteId });
    const bodies = {
      "/api/tool-eval": { targets: [target(WEAK)] },
      "/api/tool-eval/param-tune": { targets: [target(WEAK)], search_space: { temperature: [0, 1] } },
      "/api/tool-eval/prompt-tune": { target_targets: [target(WEAK)], meta_model: `${SIM}::${WRITER}` },
    };
    for (const [path, body] of Object.entries(bodies)) {
      const submit = (experiment_id: string, suite_id = suiteId) => call(path, { token: u.token, body: { ...body, suite_id, experiment_id } });
      expectEnvelope(await submit(theirs), 404, "not_found");
      expectEnvelope(await submit("0".repeat(32)), 404, "not_found");
      const arch = await submit(archived);
      expectEnvelope(arch, 409, "conflict");
      expect(arch.json.error).toContain("archived");
      const wrongSuite = await submit(mine, otherSuite);
      expectEnvelope(wrongSuite, 400, "bad_request");
      expect(wrongSuite.json.details).toContainEqual(expect.objectContaining({ path: "experiment_id" }));
      expectEnvelope(await call(path, { token: u.token, body: { ...body, suite_id: suiteId, experiment_id: "" } }), 400, "validation_failed");
    }
    // None of the refused submits left a run behind or linked anything.
    expect((await call(`/api/experiments/${mine}`, { token: u.token })).json.run_count).toBe(0);
    expect((await call("/api/tool-eval/history", { token: u.token })).json.runs).toHaveLength(0);
  }, 60_000);

  it("another user's experiment is 404 on every route; ids they own in bodies too", async () => {
    const owner = await setUp(2);
    const intruder = await setUp(2);
    const ownerEval = await runEval(owner.u.token, owner.suiteId, WEAK);
    const intruderEval = await runEval(intruder.u.token, intruder.suiteId, WEAK);
    const exp = await createExperiment(owner.u.token, { suite_id: owner.suiteId, baseline_eval_id: ownerEval });
    const own = await createExperiment(intruder.u.token, { suite_id: intruder.suiteId });
    const t = intruder.u.token;
    const attempts = [
      call(`/api/experiments/${exp}`, { token: t }),
      call(`/api/experiments/${exp}`, { method: "PUT", token: t, body: { name: "mine now" } }),
      call(`/api/experiments/${exp}`, { method: "PUT", token: t, body: { status: "archived" } }),
      call(`/api/experiments/${exp}/baseline`, { method: "PUT", token: t, body: { eval_run_id: intruderEval } }),
      call(`/api/experiments/${exp}/timeline`, { token: t }),
      call(`/api/experiments/${exp}/run-best`, { token: t, body: {} }),
      call(`/api/experiments/${exp}`, { method: "DELETE", token: t }),
      // The owner's ids inside the intruder's own requests.
      call("/api/experiments", { token: t, body: { name: "x", suite_id: owner.suiteId } }),
      call("/api/experiments", { token: t, body: { name: "x", suite_id: intruder.suiteId, baseline_eval_id: ownerEval } }),
      call(`/api/experiments/${own}/baseline`, { method: "PUT", token: t, body: { eval_run_id: ownerEval } }),
    ];
    for (const r of await Promise.all(attempts)) expectEnvelope(r, 404, "not_found");
    expect((await call("/api/experiments?status=all", { token: t })).json.experiments.map((x: any) => x.id)).toEqual([own]);
    // Untouched.
    expect((await call(`/api/experiments/${exp}`, { token: owner.u.token })).json).toMatchObject({
      name: "Exp",
      status: "active",
      baseline_eval_id: ownerEval,
    });
  }, 60_000);

  it("list, rename, archive and unarchive, set the baseline, delete (runs stay in history, unlinked)", async () => {
    const { u, suiteId } = await setUp(2);
    const { suiteId: otherSuite } = await setUp(2, u);
    const a = await runEval(u.token, suiteId, WEAK);
    const b = await runEval(u.token, suiteId, STRONG);
    const elsewhere = await runEval(u.token, otherSuite, WEAK);
    const exp = await createExperiment(u.token, { suite_id: suiteId, baseline_eval_id: a });
    expectEnvelope(
      await call("/api/experiments", { token: u.token, body: { name: "x", suite_id: suiteId, baseline_eval_id: elsewhere } }),
      400,
      "bad_request",
    );
    expectEnvelope(
      await call("/api/experiments", {
        token: u.token,
        body: { name: "x", suite_id: suiteId, baseline_eval_id: a, baseline_config: { targets: [target(WEAK)] } },
      }),
      400,
    );
    expectEnvelope(await call("/api/experiments", { token: u.token, body: { name: "", suite_id: suiteId } }), 400, "validation_failed");

    const list = (await call("/api/experiments", { token: u.token })).json.experiments;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: exp, suite_id: suiteId, suite_name: smartHome.name, baseline_eval_id: a, status: "active", run_count: 0 });

    const renamed = await call(`/api/experiments/${exp}`, { method: "PUT", token: u.token, body: { name: "Renamed", description: "why" } });
    expect(renamed.json).toMatchObject({ name: "Renamed", description: "why" });
    await call(`/api/experiments/${exp}`, { method: "PUT", token: u.token, body: { status: "archived" } });
    expect((await call("/api/experiments", { token: u.token })).json.experiments).toHaveLength(0);
    expect((await call("/api/experiments?status=archived", { token: u.token })).json.experiments.map((x: any) => x.id)).toEqual([exp]);
    await call(`/api/experiments/${exp}`, { method: "PUT", token: u.token, body: { status: "active" } });
    expect((await call("/api/experiments", { token: u.token })).json.experiments).toHaveLength(1);

    expectEnvelope(await call(`/api/experiments/${exp}/baseline`, { method: "PUT", token: u.token, body: { eval_run_id: elsewhere } }), 400);
    const set = await call(`/api/experiments/${exp}/baseline`, { method: "PUT", token: u.token, body: { eval_run_id: b } });
    expect(set.status, set.text).toBe(200);
    expect(set.json.baseline_eval_id).toBe(b);
    expect(set.json.baseline_score).toBeGreaterThan(0);

    const linked = await runEval(u.token, suiteId, WEAK, exp);
    await experimentWhen(u.token, exp, (e) => e.best_source_id === linked);
    expect((await call(`/api/experiments/${exp}`, { method: "DELETE", token: u.token })).status).toBe(200);
    expectEnvelope(await call(`/api/experiments/${exp}`, { token: u.token }), 404, "not_found");
    expect((await call(`/api/tool-eval/history/${linked}`, { token: u.token })).status).toBe(200);
  }, 90_000);
});
