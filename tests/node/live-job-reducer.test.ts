/**
 * The live job's fold (src/web/src/lib/live-job-reducer.ts) for a benchmark and a tool eval, in plain Node: a
 * realistic event sequence gives the right rows, progress and status; a duplicate changes nothing; and events out of
 * order (a result before its init, progress after the end, the init twice, any shuffle) end in the same state.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BenchmarkResult,
  ServerEventSchema,
  ToolEvalInitDataSchema,
  ToolEvalProgressDataSchema,
  type ToolEvalResultData,
  ToolEvalResultDataSchema,
} from "../../src/shared/events.ts";
import type { JobView } from "../../src/shared/jobs.ts";
import { benchmarkLive } from "../../src/web/src/lib/benchmark-live-fold.ts";
import type { BenchmarkRun } from "../../src/web/src/lib/benchmark-types.ts";
import { toolEvalLive } from "../../src/web/src/lib/eval-live-fold.ts";
import type { LiveEvent, LiveEventOf } from "../../src/web/src/lib/live-events.ts";
import { createLiveJobReducer, type LiveJobState } from "../../src/web/src/lib/live-job-reducer.ts";

const T0 = Date.parse("2026-12-05T10:00:00Z");

/** An event as the shell hands it over: with the time (epoch ms) it arrived. */
interface Stamped {
  event: LiveEvent;
  at: number;
}

const stamp = (events: LiveEvent[]): Stamped[] => events.map((event, i) => ({ event, at: T0 + 1000 * (i + 1) }));

/** Rows and per-model aggregates in a fixed order: arrival order is the only thing a shuffle may change. */
function settled<S extends LiveJobState<{ provider_key: string; model_id: string }, object>>(view: S, key: (r: S["results"][number]) => string) {
  const byKey = <T>(xs: readonly T[], k: (x: T) => string) => [...xs].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
  const modelKey = (x: { provider_key: string; model_id: string }) => `${x.provider_key}/${x.model_id}`;
  return {
    ...view,
    results: byKey(view.results, key),
    aggregates: "aggregates" in view && Array.isArray(view.aggregates) ? byKey(view.aggregates, modelKey) : undefined,
    summary: "summary" in view && Array.isArray(view.summary) ? byKey(view.summary, modelKey) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Benchmark: two providers in parallel, one model each, two runs at one context tier; the last call fails.

const JOB = "job_7f3a";
const RUN = "run_91c2";
const GPT = { provider_key: "openai", model_id: "gpt-4o-mini", display_name: "GPT-4o mini", provider: "OpenAI" };
const HAIKU = { provider_key: "anthropic", model_id: "claude-haiku-4-5", display_name: "Claude Haiku 4.5", provider: "Anthropic" };
const TARGETS = [GPT, HAIKU];

function benchResult(t: typeof GPT, run: number, failed = false): BenchmarkResult {
  const ok = !failed;
  return {
    type: "result",
    provider: t.provider,
    provider_key: t.provider_key,
    model: t.display_name,
    model_id: t.model_id,
    run,
    runs: 2,
    context_tokens: 0,
    success: ok,
    error: ok ? null : "HTTP 429: rate limit reached",
    error_class: ok ? null : "rate_limited",
    error_host: ok ? null : "api.openai.com",
    error_hint: ok ? null : "OpenAI is rate-limiting this key",
    ttfb_ms: ok ? 180 + run : null,
    ttft_ms: ok ? 240 + run : null,
    ttfa_ms: ok ? 240 + run : null,
    total_ms: ok ? 1200 + 10 * run : null,
    total_time_s: ok ? 1.2 : null,
    output_tokens: ok ? 200 : null,
    input_tokens: ok ? 31 : null,
    token_source: ok ? "provider" : null,
    output_speed_tps: ok ? 207.3 - run : null,
    tokens_per_second: ok ? 166.7 : null,
    e2e_tps: ok ? 166.7 : null,
    itl_ms: ok ? 4.8 : null,
    prefill_tps: ok ? 129.2 : null,
    input_tokens_per_second: ok ? 25.8 : null,
    cost: ok ? 0.000125 : null,
  };
}

const benchProgress = (t: typeof GPT, run: number): LiveEvent => ({
  type: "benchmark_progress",
  job_id: JOB,
  data: {
    type: "progress",
    provider: t.provider,
    provider_key: t.provider_key,
    model: t.display_name,
    model_id: t.model_id,
    run,
    runs: 2,
    context_tokens: 0,
  },
});
const benchResultEvent = (t: typeof GPT, run: number, failed = false): LiveEvent => ({
  type: "benchmark_result",
  job_id: JOB,
  data: benchResult(t, run, failed),
});
const jobProgress = (jobId: string, pct: number, detail: string): LiveEvent => ({
  type: "job_progress",
  job_id: jobId,
  progress_pct: pct,
  progress_detail: detail,
});

const BENCH_INIT: LiveEventOf<"benchmark_init"> = {
  type: "benchmark_init",
  job_id: JOB,
  data: { run_id: RUN, targets: TARGETS, runs: 2, context_tiers: [0], max_tokens: 512 },
};

const BENCH_EVENTS: LiveEvent[] = [
  {
    type: "job_created",
    job_id: JOB,
    job_type: "benchmark",
    status: "pending",
    progress_detail: "2 models × 2 runs",
    created_at: "2026-12-05T10:00:00.000Z",
  },
  BENCH_INIT,
  { type: "job_started", job_id: JOB, job_type: "benchmark" },
  benchProgress(GPT, 1),
  benchProgress(HAIKU, 1),
  benchResultEvent(GPT, 1),
  jobProgress(JOB, 25, "GPT-4o mini · run 1/2"),
  benchResultEvent(HAIKU, 1),
  jobProgress(JOB, 50, "Claude Haiku 4.5 · run 1/2"),
  benchProgress(GPT, 2),
  benchProgress(HAIKU, 2),
  benchResultEvent(GPT, 2),
  jobProgress(JOB, 75, "GPT-4o mini · run 2/2"),
  benchResultEvent(HAIKU, 2, true),
  jobProgress(JOB, 100, "Claude Haiku 4.5 · run 2/2"),
  { type: "job_completed", job_id: JOB, result_ref: RUN, error_count: 1, error: "1 of 4 calls failed (rate_limit)" },
];

const bench = createLiveJobReducer(benchmarkLive);
type BenchFacts = ReturnType<typeof bench.empty>;

/** The page right after a submit: it knows the run, the targets and the settings, no reads needed. */
const submitted = (): BenchFacts =>
  bench.attach(JOB, { runId: RUN, jobStatus: "pending", targets: TARGETS, extras: { runs: 2, tiers: [0], maxTokens: 512, warmup: false } }, T0);

const foldBench = (events: Stamped[], start: BenchFacts = submitted()) => events.reduce((s, { event, at }) => bench.event(s, event, at), start);
const benchKey = (r: BenchmarkResult) => benchmarkLive.resultKey(r);
const benchSettled = (s: BenchFacts, now = T0 + 60_000) => settled(bench.view(s, now), benchKey);

describe("fixtures", () => {
  it("are events the server can send", () => {
    for (const event of [...BENCH_EVENTS, ...EVAL_EVENTS]) expect(ServerEventSchema.parse(event)).toEqual(event);
    // The tool-eval payloads, field for field (the union checks them only as records).
    for (const event of EVAL_EVENTS) {
      if (event.type === "tool_eval_init") expect(ToolEvalInitDataSchema.strict().parse(event.data)).toEqual(event.data);
      if (event.type === "tool_eval_progress") expect(ToolEvalProgressDataSchema.strict().parse(event.data)).toEqual(event.data);
      if (event.type === "tool_eval_result") expect(ToolEvalResultDataSchema.strict().parse(event.data)).toEqual(event.data);
    }
  });
});

describe("benchmark live job", () => {
  const events = stamp(BENCH_EVENTS);
  const completedAt = events.at(-1)!.at;

  it("folds a run in order: rows, per-provider progress, then completed", () => {
    const afterFirst = bench.view(foldBench(events.slice(0, 6)), events[5]!.at);
    expect(afterFirst.phase).toBe("running");
    expect(afterFirst.jobStatus).toBe("running");
    expect(afterFirst.runId).toBe(RUN);
    expect(afterFirst.results).toEqual([benchResult(GPT, 1)]);
    expect(afterFirst.progressPct).toBe(25); // 1 of 2 providers × 1 model × 1 tier × 2 runs
    expect(afterFirst.providers.map((p) => [p.provider_key, p.done, p.total, p.current_model, p.run])).toEqual([
      ["openai", 1, 2, "GPT-4o mini", 1],
      ["anthropic", 0, 2, "Claude Haiku 4.5", 1],
    ]);
    expect(afterFirst.aggregates).toHaveLength(1);
    expect(afterFirst.etaAt).toBeGreaterThan(events[5]!.at);

    const done = bench.view(foldBench(events), completedAt + 5);
    expect(done).toMatchObject({
      jobId: JOB,
      runId: RUN,
      phase: "completed",
      jobStatus: "done",
      progressPct: 100,
      progressDetail: "Claude Haiku 4.5 · run 2/2",
      final: false,
      etaAt: null,
      startedAt: T0,
      finishedAt: completedAt,
      error: "",
      runs: 2,
      tiers: [0],
      maxTokens: 512,
    });
    expect(done.targets).toEqual(TARGETS);
    expect(done.results).toHaveLength(4);
    expect(done.providers.map((p) => [p.provider_key, p.done, p.total, p.errors, p.finished, p.current_model])).toEqual([
      ["openai", 2, 2, 0, true, null],
      ["anthropic", 2, 2, 1, true, null],
    ]);
    expect(done.aggregates.map((a) => [a.model_id, a.n, a.failures])).toEqual([
      ["gpt-4o-mini", 2, 0],
      ["claude-haiku-4-5", 1, 1],
    ]);
  });

  it("ignores events of other jobs and events it does not follow", () => {
    const start = foldBench(events.slice(0, 4));
    const other: LiveEvent[] = [
      { ...BENCH_INIT, job_id: "job_other" },
      { type: "benchmark_result", job_id: "job_other", data: benchResult(HAIKU, 1) },
      { type: "job_completed", job_id: "job_other", result_ref: "run_other" },
      { type: "tool_eval_result", job_id: JOB, data: evalResult(CASES[0]!, EVAL_GPT, true) },
      { type: "config_changed", scope: "models" },
      { type: "pong" },
    ];
    expect(foldBench(stamp(other), start)).toBe(start);
  });

  it("leaves the state as it was when any event comes a second time, later", () => {
    let s = submitted();
    for (const { event, at } of events) {
      s = bench.event(s, event, at);
      expect(bench.event(s, event, at + 777)).toEqual(s);
    }
    const twice = events.flatMap((e) => [e, { ...e, at: e.at + 500 }]);
    expect(benchSettled(foldBench(twice))).toEqual(benchSettled(foldBench(events)));
  });

  it("counts a result that arrives before its init, and ends the same", () => {
    const early = [events[5]!, ...events.slice(0, 5), ...events.slice(6)];
    const beforeInit = bench.view(foldBench([events[5]!], bench.attach(JOB, undefined, T0)), T0);
    // Targets known only from the result until the init names them all.
    expect(beforeInit.targets).toEqual([GPT]);
    expect(beforeInit.results).toHaveLength(1);
    expect(benchSettled(foldBench(early))).toEqual(benchSettled(foldBench(events)));
  });

  it("ends the same when progress arrives after job_completed", () => {
    const isProgress = (e: Stamped) => e.event.type === "benchmark_progress" || e.event.type === "job_progress" || e.event.type === "job_started";
    const late = [...events.filter((e) => !isProgress(e)), ...events.filter(isProgress)];
    expect(late.at(-1)!.event.type).not.toBe("job_completed");
    const s = foldBench(late);
    expect(bench.view(s, completedAt).phase).toBe("completed");
    expect(s.current.size).toBe(0);
    expect(benchSettled(s)).toEqual(benchSettled(foldBench(events)));
  });

  it("ends the same when the init comes twice", () => {
    const again = { event: BENCH_INIT, at: completedAt + 1 };
    const twice = [...events.slice(0, 8), { event: BENCH_INIT, at: events[7]!.at + 1 }, ...events.slice(8), again];
    expect(benchSettled(foldBench(twice))).toEqual(benchSettled(foldBench(events)));
  });

  it("ends the same for any order of the events, with any of them repeated", () => {
    const inOrder = benchSettled(foldBench(events));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: 8 }),
        (shuffled, repeats) => {
          const arrived = [...shuffled];
          for (const i of repeats) arrived.splice(i, 0, events[i]!);
          expect(benchSettled(foldBench(arrived))).toEqual(inOrder);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("takes the ETA from the calls' durations", () => {
    // GPT's first call took 1.1 s on the wall clock; three more calls remain (GPT one, Haiku two, none measured).
    const s = foldBench([
      { event: BENCH_INIT, at: T0 },
      { event: benchProgress(GPT, 1), at: T0 + 100 },
      { event: benchProgress(HAIKU, 1), at: T0 + 100 },
      { event: benchResultEvent(GPT, 1), at: T0 + 1200 },
    ]);
    expect(s.samples.get("openai")).toEqual([1100]);
    const now = T0 + 1200;
    // Haiku: 2 calls × 1.1 s (the only average known) − 1.1 s already spent on the one in flight.
    expect(bench.view(s, now).etaAt).toBe(now + 1100);
  });
});

describe("benchmark job: failure, cancel and catch-up", () => {
  const events = stamp(BENCH_EVENTS);
  const midway = () => foldBench(events.slice(0, 9));

  it("a job_failed fails it with the server's message; a later terminal event changes nothing", () => {
    const failed = bench.event(midway(), { type: "job_failed", job_id: JOB, error: "Every call failed", error_class: "provider_error" }, T0 + 20_000);
    const view = bench.view(failed, T0 + 20_000);
    expect(view).toMatchObject({ phase: "failed", jobStatus: "failed", error: "Every call failed", etaAt: null, finishedAt: T0 + 20_000 });
    expect(view.providers.every((p) => p.finished)).toBe(true);
    expect(bench.event(failed, { type: "job_completed", job_id: JOB, result_ref: RUN }, T0 + 21_000)).toBe(failed);
    expect(bench.event(failed, { type: "job_started", job_id: JOB, job_type: "benchmark" }, T0 + 21_000)).toBe(failed);
    // A result that was on its way still shows.
    expect(bench.event(failed, events[11]!.event, T0 + 21_000).results).toHaveLength(3);
  });

  it("a job_cancelled, or the page's own cancel, cancels it (once)", () => {
    const cancelled = bench.event(midway(), { type: "job_cancelled", job_id: JOB }, T0 + 20_000);
    expect(bench.view(cancelled, T0 + 20_000)).toMatchObject({ phase: "cancelled", jobStatus: "cancelled", etaAt: null });
    const local = bench.terminal(midway(), "cancelled", "", T0 + 19_000);
    expect(local.phase).toBe("cancelled");
    expect(bench.event(local, { type: "job_cancelled", job_id: JOB }, T0 + 20_000)).toBe(local);
  });

  it("a sync catches up: a finished job ends, a running one moves its progress on", () => {
    const view = (status: JobView["status"], pct: number): JobView => ({
      id: JOB,
      job_type: "benchmark",
      status,
      progress_pct: pct,
      progress_detail: status === "running" ? "GPT-4o mini · run 2/2" : "",
      params: { run_id: RUN, models: 2 },
      result_ref: RUN,
      error_class: status === "interrupted" ? "interrupted" : null,
      error_msg: status === "interrupted" ? "The worker restarted" : null,
      created_at: "2026-12-05T10:00:00.000Z",
      started_at: "2026-12-05T10:00:01.000Z",
      completed_at: status === "interrupted" ? "2026-12-05T10:00:30.000Z" : null,
      timeout_at: null,
      timeout_seconds: 7200,
      error_count: 0,
    });
    const sync = (job: JobView): LiveEvent => ({
      type: "sync",
      active_jobs: job.status === "running" ? [job] : [],
      recent_jobs: job.status === "running" ? [] : [job],
    });
    const moved = bench.event(midway(), sync(view("running", 60)), T0 + 20_000);
    expect(bench.view(moved, T0 + 20_000)).toMatchObject({ phase: "running", progressPct: 60, progressDetail: "GPT-4o mini · run 2/2" });
    const ended = bench.event(midway(), sync(view("interrupted", 50)), T0 + 40_000);
    expect(bench.view(ended, T0 + 40_000)).toMatchObject({
      phase: "interrupted",
      jobStatus: "interrupted",
      error: "The worker restarted",
      finishedAt: Date.parse("2026-12-05T10:00:30.000Z"),
    });
  });

  it("after a reload: the job read, then the stored run, then live events without duplicates", () => {
    const job: JobView = {
      id: JOB,
      job_type: "benchmark",
      status: "running",
      progress_pct: 50,
      progress_detail: "Claude Haiku 4.5 · run 1/2",
      params: { run_id: RUN, models: 2, providers: 2, runs: 2, tiers: 1 },
      result_ref: null,
      error_class: null,
      error_msg: null,
      created_at: "2026-12-05T10:00:00.000Z",
      started_at: "2026-12-05T10:00:01.000Z",
      completed_at: null,
      timeout_at: "2026-12-05T12:00:01.000Z",
      timeout_seconds: 7200,
      error_count: 0,
    };
    const run = (results: BenchmarkResult[], completed: boolean): BenchmarkRun => ({
      id: RUN,
      job_id: JOB,
      status: completed ? "completed" : "running",
      timestamp: "2026-12-05T10:00:00.000Z",
      completed_at: completed ? "2026-12-05T10:00:20.000Z" : null,
      prompt: "Write a haiku about latency.",
      max_tokens: 512,
      temperature: 0.7,
      runs: 2,
      warmup: true,
      context_tiers: [0],
      metadata: { source: "web" },
      config: { targets: TARGETS.map(({ provider_key, model_id }) => ({ provider_key, model_id })) },
      // Warm-up runs (run 0) are stored but not shown.
      results: [{ ...benchResult(GPT, 0), run: 0 }, ...results],
      aggregates: completed ? [{ ...bench.view(foldBench(events), T0).aggregates[0]!, n: 99 }] : [],
    });

    const loading = bench.attach(JOB, undefined, T0 + 10_000);
    expect(bench.view(loading, T0 + 10_000).phase).toBe("loading");
    const read = bench.job(loading, job);
    expect(read).toMatchObject({ runId: RUN, phase: "running", jobStatus: "running", serverPct: 50, startedAt: Date.parse(job.started_at!) });
    const partial = bench.run(read, run([benchResult(GPT, 1), benchResult(HAIKU, 1)], false), false);
    const view = bench.view(partial, T0 + 10_000);
    expect(view.results).toHaveLength(2);
    expect(view.warmup).toBe(true);
    expect(view.targets).toEqual(
      TARGETS.map(({ provider_key, model_id, display_name }) => ({
        provider_key,
        model_id,
        display_name,
        provider: display_name === "GPT-4o mini" ? "OpenAI" : "Anthropic",
      })),
    );

    // Live events replayed over the read: the two results it already has are not counted again.
    const live = foldBench(events, partial);
    expect(live.results).toHaveLength(4);
    expect(live.phase).toBe("completed");

    // The final read replaces the live rows with the stored ones and takes the server's aggregates; later live
    // events and a late partial read change nothing.
    const final = bench.run(live, run([benchResult(GPT, 1), benchResult(HAIKU, 1), benchResult(GPT, 2)], true), true);
    const shown = bench.view(final, T0 + 30_000);
    expect(shown).toMatchObject({ final: true, phase: "completed", finishedAt: Date.parse("2026-12-05T10:00:20.000Z"), startedAt: T0 });
    expect(shown.results).toHaveLength(3);
    expect(shown.aggregates.map((a) => a.n)).toEqual([99]);
    expect(bench.event(final, events[13]!.event, T0 + 31_000)).toBe(final);
    expect(bench.run(final, run([], false), false)).toBe(final);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Tool eval: two cases × two models; one model misses the parameter of the second case.

const EVAL_JOB = "job_e51d";
const EVAL_ID = "eval_2b70";
const EVAL_GPT = { provider_key: "openai", model_id: "gpt-4o-mini", display_name: "GPT-4o mini" };
const EVAL_HAIKU = { provider_key: "anthropic", model_id: "claude-haiku-4-5", display_name: "Claude Haiku 4.5" };
const CASES = [
  { id: "case_01", prompt: "Turn on the kitchen lights", tool: "set_light", params: { room: "kitchen", on: true } },
  { id: "case_02", prompt: "Heat the living room to 23 degrees", tool: "set_thermostat", params: { room: "living room", temperature: 23 } },
];

function evalResult(c: (typeof CASES)[number], t: typeof EVAL_GPT, passed: boolean): ToolEvalResultData {
  const args = passed ? c.params : { room: "living room" };
  return {
    test_case_id: c.id,
    prompt: c.prompt,
    provider_key: t.provider_key,
    provider: t.provider_key,
    model_id: t.model_id,
    model_name: t.display_name,
    category: "smart_home",
    expected_tool: c.tool,
    expected_params: c.params,
    actual_tool: c.tool,
    actual_params: args,
    actual_calls: [{ name: c.tool, arguments: args }],
    actual_chain: null,
    should_call_tool: true,
    success: true,
    tool_selection_score: 1,
    param_accuracy: passed ? 1 : 0.5,
    overall_score: passed ? 1 : 0.8,
    irrelevance_score: null,
    passed,
    format_compliance: "PASS",
    error_type: passed ? null : "wrong_params",
    error: null,
    error_class: null,
    error_host: null,
    error_hint: null,
    latency_ms: 640,
    rounds: null,
  };
}

const evalProgress = (t: typeof EVAL_GPT, index: number): LiveEvent => ({
  type: "tool_eval_progress",
  job_id: EVAL_JOB,
  data: { current: index + 1, total: 2, model: t.display_name, model_id: t.model_id, provider_key: t.provider_key, test_case: CASES[index]!.prompt },
});
const evalResultEvent = (t: typeof EVAL_GPT, index: number, passed = true): LiveEvent => ({
  type: "tool_eval_result",
  job_id: EVAL_JOB,
  data: evalResult(CASES[index]!, t, passed),
});

const EVAL_INIT: LiveEvent = {
  type: "tool_eval_init",
  job_id: EVAL_JOB,
  data: { eval_id: EVAL_ID, targets: [EVAL_GPT, EVAL_HAIKU], total_cases: 2, suite_name: "Smart home", scorer: "classic" },
};

const EVAL_EVENTS: LiveEvent[] = [
  EVAL_INIT,
  { type: "job_started", job_id: EVAL_JOB, job_type: "tool_eval" },
  evalProgress(EVAL_GPT, 0),
  evalProgress(EVAL_HAIKU, 0),
  evalResultEvent(EVAL_GPT, 0),
  jobProgress(EVAL_JOB, 25, "GPT-4o mini · case 1/2"),
  evalResultEvent(EVAL_HAIKU, 0),
  jobProgress(EVAL_JOB, 50, "Claude Haiku 4.5 · case 1/2"),
  evalProgress(EVAL_GPT, 1),
  evalProgress(EVAL_HAIKU, 1),
  evalResultEvent(EVAL_HAIKU, 1, false),
  jobProgress(EVAL_JOB, 75, "Claude Haiku 4.5 · case 2/2"),
  evalResultEvent(EVAL_GPT, 1),
  jobProgress(EVAL_JOB, 100, "GPT-4o mini · case 2/2"),
  { type: "job_completed", job_id: EVAL_JOB, result_ref: EVAL_ID, error_count: 0, error: null },
];

const toolEval = createLiveJobReducer(toolEvalLive);
type EvalFacts = ReturnType<typeof toolEval.empty>;

const foldEval = (events: Stamped[], start: EvalFacts = toolEval.attach(EVAL_JOB, undefined, T0)) =>
  events.reduce((s, { event, at }) => toolEval.event(s, event, at), start);
const evalSettled = (s: EvalFacts) => settled(toolEval.view(s, T0 + 60_000), toolEvalLive.resultKey);

describe("tool-eval live job", () => {
  const events = stamp(EVAL_EVENTS);

  it("folds an eval in order: case rows, per-model summary, progress, then completed", () => {
    const mid = toolEval.view(foldEval(events.slice(0, 7)), events[6]!.at);
    expect(mid).toMatchObject({ phase: "running", runId: EVAL_ID, suiteName: "Smart home", scorer: "classic", casesPerModel: 2, progressPct: 50 });
    expect(mid.providers.map((p) => [p.provider_key, p.done, p.total])).toEqual([
      ["openai", 1, 2],
      ["anthropic", 1, 2],
    ]);

    const done = toolEval.view(foldEval(events), events.at(-1)!.at);
    expect(done).toMatchObject({ phase: "completed", jobStatus: "done", progressPct: 100, etaAt: null, final: false });
    expect(done.results).toHaveLength(4);
    // Names from the init; the provider's name is not in it, so its key stands in (the catalog may name it).
    expect(done.targets).toEqual([
      { ...EVAL_GPT, provider: "openai" },
      { ...EVAL_HAIKU, provider: "anthropic" },
    ]);
    expect(toolEval.view(foldEval(events), T0, () => ({ display_name: "x", provider: "Anthropic" })).targets[1]!.provider).toBe("Anthropic");
    expect(done.summary.map((m) => [m.model_id, m.cases, m.cases_passed, m.param_accuracy_pct])).toEqual([
      ["gpt-4o-mini", 2, 2, 100],
      ["claude-haiku-4-5", 2, 1, 75],
    ]);
  });

  it("leaves the state as it was when any event comes a second time, later", () => {
    let s = toolEval.attach(EVAL_JOB, undefined, T0);
    for (const { event, at } of events) {
      s = toolEval.event(s, event, at);
      expect(toolEval.event(s, event, at + 333)).toEqual(s);
    }
  });

  it("counts results that arrive before the init, and ends the same", () => {
    const results = events.filter((e) => e.event.type === "tool_eval_result");
    const early = [...results, ...events.filter((e) => e.event.type !== "tool_eval_result")];
    const beforeInit = toolEval.view(foldEval(results.slice(0, 1)), T0);
    expect(beforeInit.targets).toEqual([{ ...EVAL_GPT, provider: "openai" }]);
    expect(beforeInit.summary).toHaveLength(1);
    expect(evalSettled(foldEval(early))).toEqual(evalSettled(foldEval(events)));
  });

  it("ends the same for any order of the events, with any of them repeated", () => {
    const inOrder = evalSettled(foldEval(events));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: 8 }),
        (shuffled, repeats) => {
          const arrived = [...shuffled];
          for (const i of repeats) arrived.splice(i, 0, events[i]!);
          expect(evalSettled(foldEval(arrived))).toEqual(inOrder);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a failed eval keeps the rows it has and says why", () => {
    const failed = foldEval([
      ...events.slice(0, 7),
      { event: { type: "job_failed", job_id: EVAL_JOB, error: "every call failed", error_class: null }, at: T0 + 9000 },
    ]);
    expect(toolEval.view(failed, T0 + 9000)).toMatchObject({ phase: "failed", jobStatus: "failed", error: "every call failed" });
    expect(failed.results).toHaveLength(2);
    // Progress after the end does not revive it.
    expect(toolEval.event(failed, evalProgress(EVAL_GPT, 1), T0 + 9500)).toBe(failed);
  });
});
