/**
 * The contract fixtures of every job kind: how to build a request for `items` units of work, where to submit,
 * cancel and read the run, and the kind's event names. Shared by the contract test (job-kinds.test.ts) and the
 * time-slice test (time-slicing.test.ts), so a new kind is held to both by adding it here.
 */
import { call } from "./helpers.ts";

export const SIM = "local_simulator";

export interface KindFixture {
  /** Prepares the user's data; returns the submit body for `items` units of work on `model`. */
  request(token: string, model: string, items: number): Promise<Record<string, unknown>>;
  submitPath: string;
  cancelPath: string;
  runIdField: string;
  historyPath(runId: string): string;
  /** The run's stored items, each with `success` (default: the history view's `results`). */
  resultsOf?(run: any): { success: boolean }[];
  events: { init: string; progress: string; result: string };
  /** The queue message's group key (default: the simulator's provider key). */
  groupKey?: string;
  /** Results (and calls to `model`) a request for `items` produces (default: `items`). */
  resultCount?(items: number): number;
  /** Calls to `model` when they are not one per result (default: the result count). */
  callCount?(items: number): number;
}

async function addModel(token: string, modelId: string) {
  const providers = (await call("/api/v2/providers", { token })).json.providers;
  const sim = providers.find((p: any) => p.provider_key === SIM);
  const r = await call(`/api/v2/providers/${sim.id}/models`, { token, body: { model_id: modelId } });
  if (r.status !== 201) throw new Error(`model: ${r.status} ${r.text}`);
}

const WEATHER = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};
const CITIES = ["Oslo", "Rome", "Lima", "Kyiv", "Pune", "Cork", "Bern", "Nice"];

export const FIXTURES: Record<string, KindFixture> = {
  benchmark: {
    async request(token, model, items) {
      await addModel(token, model);
      return { targets: [{ provider_key: SIM, model_id: model }], runs: items, warmup: false, max_tokens: 40 };
    },
    submitPath: "/api/benchmark",
    cancelPath: "/api/benchmark/cancel",
    runIdField: "run_id",
    historyPath: (id) => `/api/history/${id}`,
    events: { init: "benchmark_init", progress: "benchmark_progress", result: "benchmark_result" },
  },
  tool_eval: {
    async request(token, model, items) {
      await addModel(token, model);
      const suite = await call("/api/tool-suites", { token, body: { name: `Contract ${model}`, tools: [WEATHER] } });
      const cases = CITIES.slice(0, items).map((city) => ({
        prompt: `Weather in ${city}?`,
        expected_tool: "get_weather",
        expected_params: { city },
      }));
      await call(`/api/tool-suites/${suite.json.suite_id}/cases`, { token, body: { cases } });
      return { suite_id: suite.json.suite_id, targets: [{ provider_key: SIM, model_id: model }] };
    },
    submitPath: "/api/tool-eval",
    cancelPath: "/api/tool-eval/cancel",
    runIdField: "eval_id",
    historyPath: (id) => `/api/tool-eval/history/${id}`,
    events: { init: "tool_eval_init", progress: "tool_eval_progress", result: "tool_eval_result" },
  },
  param_tune: {
    // `items` combos (temperatures) on one case; the baseline (temperature 0) is the first combo: `items` trials.
    async request(token, model, items) {
      const evalBody = await FIXTURES.tool_eval!.request(token, model, 1);
      const temperatures = Array.from({ length: items }, (_, i) => i / 10);
      return { ...evalBody, search_space: { temperature: temperatures }, baseline: { temperature: 0 } };
    },
    submitPath: "/api/tool-eval/param-tune",
    cancelPath: "/api/tool-eval/param-tune/cancel",
    runIdField: "tune_id",
    historyPath: (id) => `/api/tool-eval/param-tune/history/${id}`,
    events: { init: "tune_start", progress: "combo_start", result: "combo_result" },
    // One case per combo: a combo's trial count and errors are its item and outcome.
    resultsOf: (run) => run.answer.targets[0].combos.filter((c: any) => c.trials > 0).map((c: any) => ({ success: c.errors === 0 })),
  },
  prompt_tune: {
    // One case; the base prompt and max(3, items) written prompts each run it once: one result per prompt.
    async request(token, model, items) {
      const evalBody = await FIXTURES.tool_eval!.request(token, model, 1);
      await addModel(token, "sim-writer-ttft5-tps5000");
      return {
        suite_id: evalBody.suite_id,
        target_targets: evalBody.targets,
        meta_model: `${SIM}::sim-writer-ttft5-tps5000`,
        mode: "quick",
        config: { population_size: Math.max(3, items) },
      };
    },
    submitPath: "/api/tool-eval/prompt-tune",
    cancelPath: "/api/tool-eval/prompt-tune/cancel",
    runIdField: "tune_id",
    historyPath: (id) => `/api/tool-eval/prompt-tune/history/${id}`,
    events: { init: "tune_start", progress: "prompt_eval_start", result: "prompt_eval_result" },
    groupKey: "prompts",
    resultCount: (items) => Math.max(3, items) + 1,
    resultsOf: (run) =>
      run.answer.candidates.filter((c: any) => c.targets[0].cases > 0).map((c: any) => ({ success: c.targets[0].failed_calls === 0 })),
  },
};

// ---------------------------------------------------------------- the judge (issue 14)

/** An eval of `items` cases on a fast tool-caller, finished, for a judge to judge; `model` is the judge. */
async function judgedEval(token: string, items: number, tag: string): Promise<string> {
  const evalModel = `sim-careful-ttft1-tps5000-tag${tag}`;
  const body = await FIXTURES.tool_eval!.request(token, evalModel, items);
  const r = await call("/api/tool-eval", { token, body });
  if (r.status !== 200) throw new Error(`eval: ${r.status} ${r.text}`);
  const run = await settledRun(token, `/api/tool-eval/history/${r.json.eval_id}`);
  if (run.status !== "completed") throw new Error(`eval ended ${run.status}`);
  return r.json.eval_id;
}

FIXTURES.judge = {
  // `items` eval results, one judge call each (concurrency 1); the model's report rides with the last one.
  async request(token, model, items) {
    const evalId = await judgedEval(token, items, "judged");
    await addModel(token, model);
    return { eval_run_id: evalId, judge_model: `${SIM}::${model}`, concurrency: 1 };
  },
  submitPath: "/api/tool-eval/judge",
  cancelPath: "/api/tool-eval/judge/cancel",
  runIdField: "judge_report_id",
  historyPath: (id) => `/api/tool-eval/judge/reports/${id}`,
  events: { init: "judge_start", progress: "job_progress", result: "judge_verdict" },
  groupKey: "judge",
  callCount: (items) => items + 1, // and the model's cross-case report
  resultsOf: (run) => run.verdicts.map((v: any) => ({ success: !v.error })),
};

FIXTURES.judge_compare = {
  // The same `items` cases in two evals of one model: `items` pairs, each judged in both orders.
  async request(token, model, items) {
    const a = await judgedEval(token, items, "compareda");
    const evalModel = "sim-careful-ttft1-tps5000-tagcompareda";
    const suiteId = (await call(`/api/tool-eval/history/${a}`, { token })).json.suite_id;
    const r = await call("/api/tool-eval", { token, body: { suite_id: suiteId, targets: [{ provider_key: SIM, model_id: evalModel }] } });
    await settledRun(token, `/api/tool-eval/history/${r.json.eval_id}`);
    await addModel(token, model);
    return { eval_run_id_a: a, eval_run_id_b: r.json.eval_id, judge_model: `${SIM}::${model}`, concurrency: 1 };
  },
  submitPath: "/api/tool-eval/judge/compare",
  cancelPath: "/api/tool-eval/judge/cancel",
  runIdField: "judge_report_id",
  historyPath: (id) => `/api/tool-eval/judge/reports/${id}`,
  events: { init: "compare_start", progress: "job_progress", result: "compare_case" },
  groupKey: "judge",
  callCount: (items) => 2 * items + 1, // both orders per case, and the summary
  resultsOf: (run) => run.verdicts.map((v: any) => ({ success: !v.error })),
};

export const countOf = (f: KindFixture, items: number) => (f.resultCount ? f.resultCount(items) : items);

export const callsOf = (f: KindFixture, items: number) => (f.callCount ? f.callCount(items) : countOf(f, items));

export const resultsOf = (f: KindFixture, run: any): { success: boolean }[] => (f.resultsOf ? f.resultsOf(run) : run.results);

/** The run as its history endpoint shows it, once the job's outcome is recorded on the row (a queue message). */
export async function settledRun(token: string, path: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const run = (await call(path, { token })).json;
    if (run.completed_at || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------- the capacity probe (issue 18)

/** `model` with a distinct tag per index (the first is `model` itself), so each is its own target. */
function variantOf(model: string, i: number): string {
  if (i === 0) return model;
  return /-tag[A-Za-z0-9]+/i.test(model) ? model.replace(/(-tag[A-Za-z0-9]+)/i, `$1c${i}`) : `${model}-tagc${i}`;
}

// An item of the probe is one level of one target: `items` targets (variants of `model`), one level each of one
// request, probed one after another in the one "capacity" group. Only the first target is `model` itself.
FIXTURES.capacity = {
  async request(token, model, items) {
    const models = Array.from({ length: items }, (_, i) => variantOf(model, i));
    for (const m of models) await addModel(token, m);
    return {
      targets: models.map((m) => ({ provider_key: SIM, model_id: m })),
      levels: [1],
      hold_requests: 1,
      slo: { ttft_ms: 60_000, itl_p95_ms: 10_000 },
      max_tokens: 40,
    };
  },
  submitPath: "/api/capacity",
  cancelPath: "/api/capacity/cancel",
  runIdField: "run_id",
  historyPath: (id) => `/api/capacity/history/${id}`,
  events: { init: "capacity_init", progress: "job_progress", result: "capacity_level" },
  groupKey: "capacity",
  callCount: () => 1,
  resultsOf: (run) => run.targets.flatMap((t: any) => t.levels.map((l: any) => ({ success: l.requests > 0 && l.ok === l.requests }))),
};
