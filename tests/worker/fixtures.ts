/**
 * A user with one resource of every kind a path parameter can name (OWNED_KINDS in openapi.ts): a provider on
 * the loopback simulator with a model and a stored (canary) key, a tool suite with cases, a finished benchmark
 * and tool-eval run (with their jobs), a prompt template and non-default settings. `snapshot()` reads all of it
 * back through the API, so tests can prove hostile traffic changed nothing.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { CANARY } from "./canaries.ts";
import { call, signUp } from "./helpers.ts";
import type { OwnedKind } from "./openapi.ts";

export type Account = Awaited<ReturnType<typeof signUp>>;

export interface Fixture {
  account: Account;
  ids: Record<OwnedKind, string>;
  evalJob: string;
  providerKey: string;
  modelId: string;
  // Sharing (issue 16): the token of the fixture's link share (ids.share) of its benchmark run.
  shareToken: string;
}

/** Fast and tiny on the simulator: first token after 1 ms, 4 tokens. */
export const FIXTURE_MODEL = "sim-ttft1-tps2000-len4";
export const FIXTURE_PROVIDER = "fx_sim";
const TERMINAL = ["done", "failed", "cancelled", "interrupted"];

async function ok(r: Promise<{ status: number; json: any; text: string }>, status = 200) {
  const res = await r;
  expect(res.status, res.text).toBe(status);
  return res.json;
}

export async function waitForJob(token: string, jobId: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(`/api/jobs/${jobId}`, { token });
    if (TERMINAL.includes(r.json?.status)) return r.json.status;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${r.json?.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

export async function buildFixture(account?: Account): Promise<Fixture> {
  const a = account ?? (await signUp());
  const token = a.token;
  const provider = await ok(
    call("/api/v2/providers", {
      token,
      body: { provider_key: FIXTURE_PROVIDER, display_name: "Fixture simulator", api_base: `${env.SIMULATOR_BASE_URL}/v1`, is_local: true },
    }),
    201,
  );
  const providerId = provider.provider.id as string;
  const model = await ok(
    call(`/api/v2/providers/${providerId}/models`, { token, body: { model_id: FIXTURE_MODEL, display_name: "Fixture model", context_window: 4096 } }),
    201,
  );
  await ok(call("/api/keys", { method: "PUT", token, body: { provider_key: FIXTURE_PROVIDER, value: CANARY.USER_KEY } }));
  const suite = await ok(
    call("/api/tool-suites", {
      token,
      body: {
        name: "Fixture suite",
        system_prompt: "Use the tools.",
        tools: [
          {
            type: "function",
            function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
          },
        ],
      },
    }),
    201,
  );
  const suiteId = suite.suite_id as string;
  await ok(
    call(`/api/tool-suites/${suiteId}/cases`, {
      token,
      body: {
        cases: [
          { prompt: "Weather in Paris?", expected_tool: "get_weather", expected_params: { city: "Paris" } },
          { prompt: "Say hi", expected_tool: null },
        ],
      },
    }),
    201,
  );
  const cases = await ok(call(`/api/tool-suites/${suiteId}/cases`, { token }));
  const promptKey = `fx_prompt_${a.user.id.slice(0, 8)}`; // unique per user: another user has no such key
  await ok(call("/api/config/prompts", { token, body: { key: promptKey, label: "Fixture prompt", prompt: "Tell me a story." } }));
  await ok(
    call("/api/settings/phase10", {
      method: "PUT",
      token,
      body: {
        judge: { enabled: true, model_id: FIXTURE_MODEL },
        prompt_tuner: { generations: 4 },
        param_support: { provider_defaults: { fx_sim: { top_p: 0.9 } }, model_overrides: {} },
      },
    }),
  );
  await ok(call("/api/config/defaults", { method: "PUT", token, body: { max_tokens: 321, context_tiers: [0, 1000] } }));
  const target = { provider_key: FIXTURE_PROVIDER, model_id: FIXTURE_MODEL };
  const bench = await ok(call("/api/benchmark", { token, body: { targets: [target], runs: 1, warmup: false, max_tokens: 4 } }));
  expect(await waitForJob(token, bench.job_id)).toBe("done");
  const evalRun = await ok(call("/api/tool-eval", { token, body: { suite_id: suiteId, targets: [target], max_tokens: 64 } }));
  expect(await waitForJob(token, evalRun.job_id)).toBe("done");
  const tune = await ok(
    call("/api/tool-eval/param-tune", {
      token,
      body: { suite_id: suiteId, targets: [target], search_space: { temperature: [0, 1] }, max_tokens: 64 },
    }),
  );
  expect(await waitForJob(token, tune.job_id)).toBe("done");
  const promptTune = await ok(
    call("/api/tool-eval/prompt-tune", {
      token,
      body: {
        suite_id: suiteId,
        target_targets: [target],
        meta_model: "local_simulator::sim-writer-ttft200-tps400",
        config: { population_size: 3 },
        max_tokens: 64,
      },
    }),
  );
  expect(await waitForJob(token, promptTune.job_id)).toBe("done");
  // Sharing (issue 16)
  const share = await ok(call("/api/shares", { token, body: { resource_type: "benchmark_run", resource_id: bench.run_id } }), 201);
  // Experiments (issue 14): one on the fixture suite, the finished eval as its baseline.
  const experiment = await ok(
    call("/api/experiments", { token, body: { name: "Fixture experiment", suite_id: suiteId, baseline_eval_id: evalRun.eval_id } }),
    201,
  );
  // Schedules (issue 15): a daily benchmark, and one alert on its run (alerts come from regressions, so the
  // fixture writes the row the outcome path would write).
  const schedule = await ok(
    call("/api/schedules", {
      token,
      body: { name: "Fixture schedule", config: { targets: [target], runs: 1, warmup: false, max_tokens: 4 }, interval_hours: 24 },
    }),
    201,
  );
  const alertId = crypto.randomUUID().replaceAll("-", "");
  await env.DB.prepare(
    `INSERT INTO schedule_alerts (id, user_id, schedule_id, run_id, metric, provider_key, model_id, baseline_value, value, change_pct,
       threshold_pct, test, evidence_json, cause) VALUES (?, ?, ?, ?, 'ttft_p50', ?, ?, 100, 200, 100, 25, 'median_mad', '{}', 'shift_beyond_noise')`,
  )
    .bind(alertId, a.user.id, schedule.id, bench.run_id, FIXTURE_PROVIDER, FIXTURE_MODEL)
    .run();
  // LLM judge (issue 14): a post-eval report on the finished eval (the fixture model is no judge: error verdicts).
  const judged = await ok(
    call("/api/tool-eval/judge", { token, body: { eval_run_id: evalRun.eval_id, judge_model: `${FIXTURE_PROVIDER}::${FIXTURE_MODEL}` } }),
  );
  expect(await waitForJob(token, judged.job_id)).toBe("done");
  const judgeReport = await ok(call(`/api/tool-eval/judge/reports/${judged.judge_report_id}`, { token }));
  // Capacity probe (issue 18): one level of one request on the fixture model.
  const probe = await ok(
    call("/api/capacity", {
      token,
      body: {
        targets: [{ provider_key: FIXTURE_PROVIDER, model_id: FIXTURE_MODEL }],
        levels: [1],
        hold_requests: 1,
        slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
      },
    }),
  );
  expect(await waitForJob(token, probe.job_id)).toBe("done");
  return {
    account: a,
    ids: {
      provider: providerId,
      model: model.model.id,
      job: bench.job_id,
      benchRun: bench.run_id,
      evalRun: evalRun.eval_id,
      tuneRun: tune.tune_id,
      promptTuneRun: promptTune.tune_id,
      suite: suiteId,
      case: cases.cases[0].id,
      prompt: promptKey,
      // Sharing (issue 16)
      share: share.id,
      experiment: experiment.experiment_id,
      schedule: schedule.id,
      alert: alertId,
      // LLM judge (issue 14)
      judgeReport: judged.judge_report_id,
      judgeVerdict: judgeReport.verdicts[0].id,
      // capacity probe (issue 18)
      capacityRun: probe.run_id,
      capacityJob: probe.job_id,
    },
    evalJob: evalRun.job_id,
    providerKey: FIXTURE_PROVIDER,
    modelId: FIXTURE_MODEL,
    // Sharing (issue 16)
    shareToken: share.token,
  };
}

/** Everything the fixture user can read about their own data; equal snapshots mean nothing changed. */
export async function snapshot(f: Fixture): Promise<Record<string, unknown>> {
  const token = f.account.token;
  const paths = [
    "/api/auth/me",
    "/api/onboarding/status",
    "/api/config",
    "/api/config/prompts",
    "/api/keys",
    "/api/settings/phase10",
    "/api/v2/models",
    `/api/v2/providers/${f.ids.provider}`,
    `/api/v2/models/${f.ids.model}`,
    "/api/tool-suites",
    `/api/tool-suites/${f.ids.suite}`,
    "/api/history",
    `/api/history/${f.ids.benchRun}`,
    "/api/tool-eval/history",
    `/api/tool-eval/history/${f.ids.evalRun}`,
    "/api/tool-eval/param-tune/history",
    `/api/tool-eval/param-tune/history/${f.ids.tuneRun}`,
    "/api/tool-eval/prompt-tune/history",
    `/api/tool-eval/prompt-tune/history/${f.ids.promptTuneRun}`,
    "/api/jobs",
    "/api/user/rate-limit",
    // Sharing (issue 16)
    "/api/shares",
    "/api/shares/received",
    "/api/experiments?status=all",
    `/api/experiments/${f.ids.experiment}`,
    `/api/experiments/${f.ids.experiment}/timeline`,
    // schedules (issue 15)
    "/api/schedules",
    `/api/schedules/${f.ids.schedule}`,
    `/api/schedules/${f.ids.schedule}/trend`,
    "/api/alerts",
    // LLM judge (issue 14)
    "/api/tool-eval/judge/reports",
    `/api/tool-eval/judge/reports/${f.ids.judgeReport}`,
    "/api/tool-eval/judge/cards",
    // capacity probe (issue 18)
    "/api/capacity/history",
    `/api/capacity/history/${f.ids.capacityRun}`,
  ];
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const r = await call(p, { token });
    expect(r.status, `${p}: ${r.text}`).toBe(200);
    out[p] = r.json;
  }
  return out;
}
