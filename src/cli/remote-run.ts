/**
 * Remote mode: the config's benchmark and tool evals submitted to the user's deployment through its public API
 * (POST /api/benchmark, POST /api/tool-eval with the suite imported by POST /api/tool-eval/import), followed live
 * over the WebSocket with the same progress lines as local mode, then read back from history into the same
 * RunResults shape, so the same assertions and gates decide. Runs land in the user's history like any other.
 */
import { type Distribution, distribution } from "../shared/metrics.ts";
import { exportOriginalSuite } from "../shared/scoring/original-format.ts";
import type { Suite } from "../shared/scoring/suite.ts";
import { CliError, EXIT } from "./command.ts";
import type { CliConfig, ModelConfig, ToolEvalSettings } from "./config.ts";
import type { Deployment } from "./deployment.ts";
import { type JobEnd, JobFollower } from "./follow.ts";
import { type EvalCaseResult, type EvalResult, evalName, type RunResults, type SpeedResult } from "./local-run.ts";
import type { Progress, Task } from "./progress.ts";

interface RemoteProvider {
  id: string;
  provider_key: string;
  api_base: string | null;
  model_id_prefix: string | null;
}
interface RemoteModel {
  provider_key: string;
  model_id: string;
}
export interface Target {
  provider_key: string;
  model_id: string;
}

/** What was submitted, for the report and for `history`/`export`. */
export interface RemoteRun {
  kind: "benchmark" | "tool_eval";
  id: string;
  job_id: string;
  status: JobEnd;
}

const normalBase = (url: string) => url.trim().replace(/\/+$/, "").replace(/\/v1$/, "").toLowerCase();
const modelName = (m: ModelConfig) => m.name ?? m.id;
const keyOf = (t: Target) => `${t.provider_key}\u0000${t.model_id}`;

/**
 * Each config model as a target on the deployment: its provider is the deployment's provider with the same key as
 * the config's provider name, or else the same base URL; a model the provider lacks is added with the config's
 * settings (prices, context window, skip params, system prompt).
 */
export async function resolveTargets(config: CliConfig, api: Deployment, log: (line: string) => void): Promise<Map<ModelConfig, Target>> {
  const { providers } = await api.json<{ providers: RemoteProvider[] }>("/api/v2/providers");
  const { models } = await api.json<{ models: RemoteModel[] }>("/api/v2/models");
  const byName = new Map<string, RemoteProvider>();
  // Only the providers of the models asked for need to exist there (a tune names a subset of the config's models).
  const used = new Set(config.models.map((m) => m.provider));
  for (const [name, p] of config.providers) {
    if (!used.has(name)) continue;
    const found =
      providers.find((r) => r.provider_key === name) ??
      providers.find((r) => r.api_base !== null && normalBase(r.api_base) === normalBase(p.base_url));
    if (!found) {
      throw new CliError(
        `provider ${name} (${p.base_url}) is not configured on ${api.url}: add it there (Settings → Providers) with provider key ${name} or the same base URL, and its key`,
        EXIT.input,
      );
    }
    byName.set(name, found);
  }
  const targets = new Map<ModelConfig, Target>();
  for (const m of config.models) {
    const p = byName.get(m.provider)!;
    const modelId = `${p.model_id_prefix ?? ""}${m.id}`;
    if (!models.some((r) => r.provider_key === p.provider_key && (r.model_id === modelId || r.model_id === m.id))) {
      await api.json(`/api/v2/providers/${encodeURIComponent(p.id)}/models`, {
        body: {
          model_id: m.id,
          ...(m.name ? { display_name: m.name } : {}),
          context_window: m.context_window,
          skip_params: m.skip_params,
          ...(m.input_cost_per_mtok !== undefined ? { input_cost_per_mtok: m.input_cost_per_mtok } : {}),
          ...(m.output_cost_per_mtok !== undefined ? { output_cost_per_mtok: m.output_cost_per_mtok } : {}),
          ...(m.system_prompt !== undefined ? { system_prompt: m.system_prompt } : {}),
        },
      });
      log(`added model ${m.id} to provider ${p.provider_key} on the deployment`);
    }
    const existing = models.find((r) => r.provider_key === p.provider_key && r.model_id === m.id);
    targets.set(m, { provider_key: p.provider_key, model_id: existing ? m.id : modelId });
  }
  return targets;
}

/** A progress task per model, started at its first event (groups run concurrently on the server). */
function tasksFor(progress: Progress, label: (t: Target) => string, total: number) {
  const tasks = new Map<string, Task>();
  return {
    step(t: Target, detail: string) {
      let task = tasks.get(keyOf(t));
      if (!task) {
        task = progress.start(label(t), total);
        tasks.set(keyOf(t), task);
      }
      task.step(detail);
    },
    done() {
      for (const task of tasks.values()) task.done();
    },
  };
}

const fmt = (x: number | null) => (x === null ? "–" : x >= 100 ? x.toFixed(0) : x.toFixed(1));

function ended(kind: string, end: JobEnd, signal: AbortSignal, jobId: string): void {
  if (signal.aborted) throw new CliError(`interrupted: the ${kind} job ${jobId} was cancelled on the server (it ended ${end})`, EXIT.interrupted);
  if (end === "failed" || end === "interrupted") throw new CliError(`the ${kind} job ${jobId} ${end} on the server`, EXIT.provider);
}

// ---------------------------------------------------------------- speed

interface StoredResult {
  type: "result" | "skipped";
  provider_key: string;
  model_id: string;
  context_tokens: number;
  success: boolean;
  error: string | null;
  error_class: string | null;
  ttft_ms: number | null;
  output_speed_tps: number | null;
  total_ms: number | null;
  cost: number | null;
}

/** The stored run's per-run rows → the CLI's speed rows (the same `distribution` the local mode uses). */
export function speedFromHistory(config: CliConfig, targets: Map<ModelConfig, Target>, results: StoredResult[]): SpeedResult[] {
  const tiers = [...new Set(config.benchmark?.context_tiers ?? [0])].sort((a, b) => a - b);
  const out: SpeedResult[] = [];
  for (const m of config.models) {
    const t = targets.get(m)!;
    for (const tier of tiers) {
      const rows = results.filter((r) => r.provider_key === t.provider_key && r.model_id === t.model_id && r.context_tokens === tier);
      const skipped = rows.find((r) => r.type === "skipped");
      const measured = rows.filter((r) => r.type === "result");
      const ok = measured.filter((r) => r.success);
      const dist = (f: (r: StoredResult) => number | null): Distribution | null => distribution(ok.map(f));
      out.push({
        provider: m.provider,
        model_id: m.id,
        model_name: modelName(m),
        tier,
        runs: ok.length,
        failures: measured.length - ok.length,
        skipped: skipped ? (skipped.error ?? "skipped on the deployment") : null,
        ttft_ms: dist((r) => r.ttft_ms),
        output_tps: dist((r) => r.output_speed_tps),
        total_ms: dist((r) => r.total_ms),
        cost_usd: dist((r) => r.cost),
        ttft_samples: ok.flatMap((r) => (r.ttft_ms === null ? [] : [r.ttft_ms])),
        errors: measured.filter((r) => !r.success).map((r) => ({ cls: r.error_class ?? "unknown", message: r.error ?? "failed" })),
      });
    }
  }
  return out;
}

async function runBenchmarkRemote(
  config: CliConfig,
  api: Deployment,
  follower: JobFollower,
  targets: Map<ModelConfig, Target>,
  progress: Progress,
  signal: AbortSignal,
  runs: RemoteRun[],
): Promise<SpeedResult[]> {
  const b = config.benchmark;
  if (!b) return [];
  const { targets: _local, models: _legacy, ...settings } = b;
  const submitted = await api.json<{ job_id: string; run_id: string }>("/api/benchmark", { body: { ...settings, targets: [...targets.values()] } });
  const names = new Map([...targets].map(([m, t]) => [keyOf(t), modelName(m)]));
  const tiers = new Set(b.context_tiers).size;
  const tasks = tasksFor(progress, (t) => `speed ${names.get(keyOf(t)) ?? t.model_id}`, tiers * b.runs);
  const end = await follower.follow(
    submitted.job_id,
    (e) => {
      if (e.type !== "benchmark_result") return;
      const r = e.data;
      const detail =
        r.type === "skipped"
          ? `tier ${r.context_tokens}: skipped`
          : r.success
            ? `tier ${r.context_tokens} run ${r.run}/${r.runs}: ttft ${fmt(r.ttft_ms)} ms, ${fmt(r.output_speed_tps)} tok/s`
            : `tier ${r.context_tokens} run ${r.run}/${r.runs}: failed (${r.error_class}: ${r.error})`;
      tasks.step(r, detail);
    },
    signal,
  );
  tasks.done();
  runs.push({ kind: "benchmark", id: submitted.run_id, job_id: submitted.job_id, status: end });
  ended("benchmark", end, signal, submitted.job_id);
  const run = await api.json<{ results: StoredResult[] }>(`/api/history/${encodeURIComponent(submitted.run_id)}`);
  return speedFromHistory(config, targets, run.results);
}

// ---------------------------------------------------------------- tool evals

interface StoredCase {
  test_case_id: string;
  provider_key: string;
  model_id: string;
  passed: boolean;
  overall_score: number | null;
  error: string | null;
  error_class: string | null;
}

/** The stored eval's per-case rows → the CLI's eval rows (the same score rule as local mode). */
export function evalFromHistory(
  e: ToolEvalSettings,
  suite: Suite,
  models: ModelConfig[],
  targets: Map<ModelConfig, Target>,
  cases: StoredCase[],
): EvalResult[] {
  return models.map((m) => {
    const t = targets.get(m)!;
    const results: EvalCaseResult[] = cases
      .filter((c) => c.provider_key === t.provider_key && c.model_id === t.model_id)
      .map((c) => ({
        case_id: c.test_case_id,
        passed: c.passed,
        score: c.overall_score ?? 0,
        error: c.passed ? null : c.error_class ? `${c.error_class}: ${c.error}` : (c.error ?? "not passed"),
        provider_error: c.error_class !== null,
      }));
    const n = results.length;
    const passed = results.filter((r) => r.passed).length;
    const mean = n ? results.reduce((s, r) => s + r.score, 0) / n : 0;
    return {
      eval: evalName(e, suite),
      scorer: e.scorer,
      provider: m.provider,
      model_id: m.id,
      model_name: modelName(m),
      cases: n,
      passed,
      score: e.scorer === "bfcl" ? (n ? passed / n : 0) : mean,
      provider_errors: results.filter((r) => r.provider_error).length,
      results,
    };
  });
}

/**
 * The deployment's suite with this name and exactly this content, else a fresh import: a nightly CI job must not add
 * a copy of its suite to the user's list every night. The stored suite is compared through its export, which
 * imports back unchanged, so equal exports mean equal suites.
 */
export async function suiteOnDeployment(api: Deployment, suite: Suite): Promise<string> {
  const wanted = exportOriginalSuite(suite);
  const wantedText = canonicalJson(wanted);
  const { suites } = await api.json<{ suites: { id: string; name: string }[] }>("/api/tool-suites");
  for (const candidate of suites.filter((s) => s.name === suite.name)) {
    const stored = await api.json(`/api/tool-suites/${encodeURIComponent(candidate.id)}/export`);
    if (canonicalJson(stored) === wantedText) return candidate.id;
  }
  return (await api.json<{ suite_id: string }>("/api/tool-eval/import", { body: wanted })).suite_id;
}

/** JSON with object keys sorted, so two equal values print the same whatever order their keys were built in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

async function runToolEvalRemote(
  config: CliConfig,
  e: ToolEvalSettings,
  suite: Suite,
  api: Deployment,
  follower: JobFollower,
  targets: Map<ModelConfig, Target>,
  progress: Progress,
  signal: AbortSignal,
  runs: RemoteRun[],
): Promise<EvalResult[]> {
  const models = e.models ? config.models.filter((m) => e.models!.includes(m.id)) : config.models;
  const suiteId = await suiteOnDeployment(api, suite);
  const { suite: _file, answers: _answers, name: _name, models: _models, ...settings } = e;
  const submitted = await api.json<{ job_id: string; eval_id: string }>("/api/tool-eval", {
    body: { ...settings, suite_id: suiteId, targets: models.map((m) => targets.get(m)!) },
  });
  const names = new Map(models.map((m) => [keyOf(targets.get(m)!), modelName(m)]));
  const total = suite.test_cases.length;
  const tasks = tasksFor(progress, (t) => `eval ${evalName(e, suite)} ${names.get(keyOf(t)) ?? t.model_id}`, total);
  const done = new Map<string, number>();
  const end = await follower.follow(
    submitted.job_id,
    (ev) => {
      if (ev.type !== "tool_eval_result") return;
      const r = ev.data as unknown as StoredCase;
      const i = (done.get(keyOf(r)) ?? 0) + 1;
      done.set(keyOf(r), i);
      tasks.step(r, `case ${i}/${total} ${r.error_class ? `error (${r.error_class}: ${r.error})` : r.passed ? "passed" : "failed"}`);
    },
    signal,
  );
  tasks.done();
  runs.push({ kind: "tool_eval", id: submitted.eval_id, job_id: submitted.job_id, status: end });
  ended("tool eval", end, signal, submitted.job_id);
  const run = await api.json<{ results: StoredCase[] }>(`/api/tool-eval/history/${encodeURIComponent(submitted.eval_id)}`);
  return evalFromHistory(e, suite, models, targets, run.results);
}

// ---------------------------------------------------------------- the whole config

export async function runRemote(
  config: CliConfig,
  suites: Suite[],
  api: Deployment,
  progress: Progress,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<{ results: RunResults; runs: RemoteRun[] }> {
  const targets = await resolveTargets(config, api, log);
  const follower = await JobFollower.open(api);
  const runs: RemoteRun[] = [];
  try {
    const results: RunResults = { speed: await runBenchmarkRemote(config, api, follower, targets, progress, signal, runs), evals: [] };
    for (const [i, e] of config.toolEvals.entries()) {
      if (signal.aborted) throw new CliError("interrupted", EXIT.interrupted);
      results.evals.push(...(await runToolEvalRemote(config, e, suites[i]!, api, follower, targets, progress, signal, runs)));
    }
    return { results, runs };
  } finally {
    follower.close();
  }
}
