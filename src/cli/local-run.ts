/**
 * Local mode: the config's benchmark and tool evals, run in this process with the Worker's own engine modules
 * (benchmark/measure.ts for a measured run, tool-eval/run-case.ts and the shared scorers for a case), so a figure
 * here means what the same figure means in the app. Models run one after another (as within a provider group in
 * the Worker), so no model's timings are disturbed by another's.
 */
import { type Distribution, distribution } from "../shared/metrics.ts";
import { priceFor } from "../shared/pricing.ts";
import { scoreCase } from "../shared/scoring/index.ts";
import { caseExpectation, caseMultiTurn, caseTools, type Suite, type SuiteCase } from "../shared/scoring/suite.ts";
import type { Tool } from "../shared/scoring/types.ts";
import type { BenchmarkConfig } from "../worker/benchmark/config.ts";
import { buildRequest, measure, type Outcome, TIER_HEADROOM, tierFits } from "../worker/benchmark/measure.ts";
import { callParams } from "../worker/llm/call-params.ts";
import { LlmError } from "../worker/llm/errors.ts";
import type { LlmTarget } from "../worker/llm/stream.ts";
import { systemPromptFor } from "../worker/tool-eval/eval-config.ts";
import { providerTools, runCase } from "../worker/tool-eval/run-case.ts";
import { CliError } from "./command.ts";
import type { CliConfig, ModelConfig, ToolEvalSettings } from "./config.ts";
import type { Progress } from "./progress.ts";
import { InputError, loadSuite } from "./score.ts";

export interface SpeedResult {
  provider: string;
  model_id: string;
  model_name: string;
  tier: number;
  runs: number;
  failures: number;
  /** Why the tier was not run (it does not fit the model's context window). */
  skipped: string | null;
  ttft_ms: Distribution | null;
  output_tps: Distribution | null;
  total_ms: Distribution | null;
  cost_usd: Distribution | null;
  /** Raw per-run TTFTs (ms), kept so a later run can gate against this one as its baseline. */
  ttft_samples: number[];
  errors: { cls: string; message: string }[];
}

export interface EvalCaseResult {
  case_id: string;
  passed: boolean;
  score: number;
  error: string | null;
  provider_error: boolean;
}

export interface EvalResult {
  eval: string;
  scorer: string;
  provider: string;
  model_id: string;
  model_name: string;
  cases: number;
  passed: number;
  /** The score assertions and gates use, 0..1: the pass rate for bfcl, else the mean case score. */
  score: number;
  provider_errors: number;
  results: EvalCaseResult[];
}

export interface RunResults {
  speed: SpeedResult[];
  evals: EvalResult[];
}

export function llmTarget(config: CliConfig, m: ModelConfig): LlmTarget {
  const p = config.providers.get(m.provider)!;
  return { apiKind: p.api, providerKey: m.provider, baseUrl: p.base_url.replace(/\/+$/, ""), apiKey: p.key, modelId: m.id };
}

/** The model as the engine modules see it (what the Worker reads from the models table). */
function measureTarget(m: ModelConfig) {
  return {
    providerKey: m.provider,
    modelId: m.id,
    skipParams: m.skip_params,
    systemPrompt: m.system_prompt ?? null,
    contextWindow: m.context_window,
  };
}

const modelName = (m: ModelConfig) => m.name ?? m.id;
const never = new AbortController().signal;

// ---------------------------------------------------------------- speed

export async function runBenchmark(config: CliConfig, progress: Progress, signal: AbortSignal = never): Promise<SpeedResult[]> {
  const b = config.benchmark;
  if (!b) return [];
  // The same normalisation the benchmark job's plan applies to a request.
  const c: BenchmarkConfig = {
    targets: config.models.map((m) => ({ provider_key: m.provider, model_id: m.id })),
    prompt: b.prompt?.trim() ? b.prompt : "Explain the concept of recursion in programming. Include a simple example in Python with comments.",
    max_tokens: b.max_tokens,
    temperature: b.temperature,
    context_tiers: [...new Set(b.context_tiers)].sort((x, y) => x - y),
    runs: b.runs,
    warmup: b.warmup,
    timeout_s: b.timeout,
    unique_prefix: b.unique_prefix,
    provider_params: b.provider_params ?? null,
    param_adjustments: [],
  };
  const out: SpeedResult[] = [];
  for (const m of config.models) {
    const t = measureTarget(m);
    const llm = llmTarget(config, m);
    const prices = priceFor(m.id, { input: m.input_cost_per_mtok ?? null, output: m.output_cost_per_mtok ?? null });
    const tiers = c.context_tiers.filter((tier) => tierFits(tier, t, c.max_tokens));
    const task = progress.start(`speed ${modelName(m)}`, tiers.length * c.runs + (c.warmup ? 1 : 0));
    const seed = `${Date.now()}:${m.provider}:${m.id}`;
    if (c.warmup) {
      await measure(llm, await buildRequest(t, c, 0, `${seed}:warmup`), c, signal, prices);
      task.step("warm-up");
    }
    for (const tier of c.context_tiers) {
      const row: SpeedResult = {
        provider: m.provider,
        model_id: m.id,
        model_name: modelName(m),
        tier,
        runs: 0,
        failures: 0,
        skipped: null,
        ttft_ms: null,
        output_tps: null,
        total_ms: null,
        cost_usd: null,
        ttft_samples: [],
        errors: [],
      };
      out.push(row);
      if (!tiers.includes(tier)) {
        row.skipped = `tier ${tier} exceeds the context window (${m.context_window} − max_tokens − ${TIER_HEADROOM})`;
        continue;
      }
      const outcomes: Outcome[] = [];
      for (let r = 1; r <= c.runs; r++) {
        const o = await measure(llm, await buildRequest(t, c, tier, `${seed}:${tier}:${r}`), c, signal, prices);
        outcomes.push(o);
        task.step(
          o.ok
            ? `tier ${tier} run ${r}/${c.runs}: ttft ${fmt(o.metrics.ttft_ms)} ms, ${fmt(o.metrics.output_speed_tps)} tok/s`
            : `tier ${tier} run ${r}/${c.runs}: failed (${o.error?.cls}: ${o.error?.message})`,
        );
      }
      const ok = outcomes.flatMap((o) => (o.ok ? [o.metrics] : []));
      row.runs = ok.length;
      row.failures = outcomes.length - ok.length;
      row.errors = outcomes.flatMap((o) => (!o.ok && o.error ? [{ cls: o.error.cls, message: o.error.message }] : []));
      row.ttft_samples = ok.flatMap((x) => (x.ttft_ms === null ? [] : [x.ttft_ms]));
      row.ttft_ms = distribution(ok.map((x) => x.ttft_ms));
      row.output_tps = distribution(ok.map((x) => x.output_speed_tps));
      row.total_ms = distribution(ok.map((x) => x.total_ms));
      row.cost_usd = distribution(ok.map((x) => x.cost_usd));
    }
    task.done();
  }
  return out;
}

function fmt(x: number | null): string {
  return x === null ? "–" : x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

// ---------------------------------------------------------------- tool evals

/** Tool choice when the config leaves it out: the eval job's rule (a no-call case cannot pass "required"). */
function defaultToolChoice(suite: Suite): "auto" | "required" {
  return suite.test_cases.some((c) => c.expected_tool === null || c.expected_tool === undefined || c.should_call_tool === false)
    ? "auto"
    : "required";
}

/** What run-case needs of a case (the Worker reads it from the case row). */
export function caseInput(c: SuiteCase) {
  const mt = caseMultiTurn(c);
  return { prompt: c.prompt, multi_turn: mt !== null, max_rounds: mt?.max_rounds ?? 1, mock_responses: mt?.mock_responses ?? {} };
}

export function evalName(e: ToolEvalSettings, suite: Suite): string {
  return e.name ?? suite.name;
}

export async function runToolEval(
  config: CliConfig,
  e: ToolEvalSettings,
  suite: Suite,
  progress: Progress,
  signal: AbortSignal = never,
): Promise<EvalResult[]> {
  const models = e.models ? config.models.filter((m) => e.models!.includes(m.id)) : config.models;
  const toolChoice = e.tool_choice ?? defaultToolChoice(suite);
  const evalConfig = {
    suite_system_prompt: suite.system_prompt ?? null,
    system_prompt: e.system_prompt ?? null,
    timeout_s: e.timeout,
    tool_choice: toolChoice,
  };
  const out: EvalResult[] = [];
  for (const m of models) {
    const llm = llmTarget(config, m);
    const params = callParams(measureTarget(m), {
      temperature: e.temperature,
      maxTokens: e.max_tokens,
      providerParams: e.provider_params ?? null,
    }).params;
    // systemPromptFor reads only these fields of the run's config.
    const system = systemPromptFor(evalConfig as Parameters<typeof systemPromptFor>[0], m.provider, m.id, m.system_prompt ?? null);
    const task = progress.start(`eval ${evalName(e, suite)} ${modelName(m)}`, suite.test_cases.length);
    const results: EvalCaseResult[] = [];
    for (const [i, c] of suite.test_cases.entries()) {
      const caseId = c.id ?? `#${i}`;
      const { tools, nameMap: renamed } = providerTools(caseTools(suite, c));
      const nameMap = { ...(suite.name_map ?? {}), ...renamed };
      try {
        const res = await runCase(llm, caseInput(c), c, system, tools, nameMap, evalConfig, params, signal);
        const score = scoreCase(e.scorer, {
          tools: tools as unknown as Tool[],
          expectation: caseExpectation(c),
          output: { calls: res.calls, chain: res.chain, rounds_used: res.rounds },
          name_map: nameMap,
        });
        const reason = score.passed ? null : score.error ? `${score.error.code}: ${score.error.message}` : "not passed";
        results.push({ case_id: caseId, passed: score.passed, score: score.overall, error: reason, provider_error: false });
        task.step(`case ${i + 1}/${suite.test_cases.length} ${score.passed ? "passed" : "failed"}`);
      } catch (err) {
        const failure = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
        results.push({ case_id: caseId, passed: false, score: 0, error: `${failure.cls}: ${failure.message}`, provider_error: true });
        task.step(`case ${i + 1}/${suite.test_cases.length} error (${failure.cls}: ${failure.message})`);
      }
    }
    task.done();
    const n = results.length;
    const passed = results.filter((r) => r.passed).length;
    const meanScore = n ? results.reduce((s, r) => s + r.score, 0) / n : 0;
    out.push({
      eval: evalName(e, suite),
      scorer: e.scorer,
      provider: m.provider,
      model_id: m.id,
      model_name: modelName(m),
      cases: n,
      passed,
      score: e.scorer === "bfcl" ? (n ? passed / n : 0) : meanScore,
      provider_errors: results.filter((r) => r.provider_error).length,
      results,
    });
  }
  return out;
}

/** Loads every suite up front, so a bad suite file stops the run before any call (exit 2, naming the tool eval). */
export function loadSuites(config: CliConfig): Suite[] {
  return config.toolEvals.map((_, i) => loadEvalSuite(config, i));
}

/** One tool eval's suite (a tuner's); a bad file is exit 2 naming `tool_evals[i]`. */
export function loadEvalSuite(config: CliConfig, index: number): Suite {
  const e = config.toolEvals[index]!;
  try {
    return loadSuite(e.suite, e.answers);
  } catch (err) {
    if (err instanceof InputError) throw new CliError(`tool_evals[${index}]: ${err.message}`);
    throw err;
  }
}
