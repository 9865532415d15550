// `llm-bench capacity` without a server: its flags become the request the shared CapacityRequestSchema accepts (or
// exit 2 naming the flag), assertions parse and decide per target (a figure the probe did not find fails), and the
// report formats print the stored probe's figures as they are.
import { describe, expect, it } from "vitest";
import { capacityRequest, checkCapacityAssertion, parseCapacityAssertion, parseTarget } from "../../src/cli/capacity-options.ts";
import { type CapacityReport, levelLine, renderCapacity } from "../../src/cli/capacity-report.ts";
import { CliError } from "../../src/cli/command.ts";
import type { CapacityLevelResult, CapacityRunDetail } from "../../src/shared/capacity.ts";
import { runCli } from "./cli-helpers.ts";

const base = { model: ["local_simulator/sim-a"], "slo-ttft-ms": "2000", "slo-itl-ms": "45" };

function inputError(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).code).toBe(2);
    return e as CliError;
  }
  throw new Error("expected exit 2");
}

describe("llm-bench capacity flags", () => {
  it("build the request with the schema's defaults, targets split at the first slash", () => {
    expect(capacityRequest(base)).toEqual({
      targets: [{ provider_key: "local_simulator", model_id: "sim-a" }],
      slo: { ttft_ms: 2000, itl_p95_ms: 45 },
      levels: [1, 2, 4, 8, 16, 32],
      loop: "closed",
      context_tier: 0,
      max_tokens: 256,
    });
    expect(parseTarget("openrouter/meta-llama/llama-3-8b")).toEqual({ provider_key: "openrouter", model_id: "meta-llama/llama-3-8b" });
    const full = capacityRequest({
      ...base,
      model: ["p/a", "p/b"],
      levels: "1, 4,8,16",
      "hold-seconds": "5",
      loop: "open",
      rate: "2.5",
      "max-tokens": "64",
      seed: "7",
      "budget-tokens": "100000",
      "budget-usd": "0.5",
    });
    expect(full).toMatchObject({
      targets: [
        { provider_key: "p", model_id: "a" },
        { provider_key: "p", model_id: "b" },
      ],
      levels: [1, 4, 8, 16],
      hold_seconds: 5,
      loop: "open",
      rate: 2.5,
      max_tokens: 64,
      seed: 7,
      budget: { max_tokens: 100000, max_cost_usd: 0.5 },
    });
  });

  it("refuse bad input with exit 2, naming the flag", () => {
    expect(inputError(() => capacityRequest({ ...base, model: [] })).message).toContain("--model");
    expect(inputError(() => capacityRequest({ ...base, model: ["no-slash"] })).message).toContain("provider_key/model_id");
    expect(inputError(() => capacityRequest({ model: base.model, "slo-ttft-ms": "2000" })).message).toContain("--slo-itl-ms");
    expect(inputError(() => capacityRequest({ ...base, levels: "1,x" })).message).toContain("--levels must be a number");
    expect(inputError(() => capacityRequest({ ...base, levels: "4,2" })).message).toMatch(/--levels: Levels must be strictly increasing/);
    expect(inputError(() => capacityRequest({ ...base, "hold-requests": "8", "hold-seconds": "5" })).message).toMatch(
      /--hold-seconds: Give hold_requests or hold_seconds/,
    );
    expect(inputError(() => capacityRequest({ ...base, loop: "open" })).message).toMatch(/--rate: An open loop needs a rate/);
    expect(inputError(() => capacityRequest({ ...base, rate: "3" })).message).toMatch(/--rate: rate applies to the open loop only/);
    expect(inputError(() => capacityRequest({ ...base, loop: "sideways" })).message).toContain("--loop:");
    expect(inputError(() => capacityRequest({ ...base, "slo-itl-ms": "-1" })).message).toContain("--slo-itl-ms:");
    expect(inputError(() => capacityRequest({ ...base, "budget-usd": "0" })).message).toContain("--budget-usd:");
  });

  it("assertions parse, decide per figure, and fail on a figure the probe did not find", () => {
    const a = parseCapacityAssertion(" max_level_meeting_slo >= 8 ");
    expect(a).toEqual({ text: "max_level_meeting_slo >= 8", metric: "max_level_meeting_slo", op: ">=", value: 8 });
    expect(checkCapacityAssertion(a, 8)).toEqual({ passed: true, message: "max_level_meeting_slo = 8" });
    expect(checkCapacityAssertion(a, 4).passed).toBe(false);
    expect(checkCapacityAssertion(a, null)).toEqual({ passed: false, message: "no level met the SLO (max_level_meeting_slo is none)" });
    const knee = parseCapacityAssertion("knee_level<4");
    expect(checkCapacityAssertion(knee, 2).passed).toBe(true);
    expect(checkCapacityAssertion(knee, 4).passed).toBe(false);
    expect(checkCapacityAssertion(parseCapacityAssertion("knee_level == 8"), 8).passed).toBe(true);
    expect(checkCapacityAssertion(knee, null).message).toContain("no knee within the ladder");
    for (const bad of ["ttft_p95 < 3", "knee_level >= x", "knee_level => 4", ""])
      expect(inputError(() => parseCapacityAssertion(bad)).message).toContain("knee_level");
  });

  it("refuse a bad flag before reading any credentials (exit 2)", async () => {
    const r = await runCli(["capacity", "--model", "p/a", "--slo-ttft-ms", "100", "--slo-itl-ms", "10", "--levels", "8,4"], {
      env: { XDG_CONFIG_HOME: "/nonexistent", LLM_BENCH_TOKEN: "", LLM_BENCH_URL: "" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("llm-bench capacity: invalid capacity probe:\n  --levels: Levels must be strictly increasing");
    const help = await runCli(["capacity", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^llm-bench capacity — /);
  });
});

const lvl = (level: number, over: Partial<CapacityLevelResult> = {}): CapacityLevelResult => ({
  provider_key: "local_simulator",
  model_id: "sim-a",
  level,
  requested_concurrency: level,
  achieved_concurrency_mean: level * 0.98,
  achieved_concurrency_min: level - 1,
  concurrency_short: false,
  send_skew_ms_p95: 1,
  requests: 8,
  ok: 8,
  errors: 0,
  rate_limited: 0,
  error_share: 0,
  rate_limited_share: 0,
  ttft_ms: { p50: 200, p95: 210 * level, p99: 220 },
  itl_ms: { p50: 20, p95: 20 + level, p99: 30 },
  e2e_ms: { p50: 1000, p95: 1100, p99: 1200 },
  output_tps_per_request_p50: 50,
  aggregate_output_tps: 50 * level,
  requests_per_s: level,
  goodput_rps: level * 0.5,
  slo_met: level <= 4,
  duration_s: 3,
  ...over,
});

function report(assertions: CapacityReport["assertions"], verdict = "PASSED"): CapacityReport {
  const run: CapacityRunDetail = {
    id: "run1",
    status: "completed",
    created_at: "2026-12-07T00:00:00.000Z",
    timestamp: "2026-12-07T00:00:00.000Z",
    completed_at: "2026-12-07T00:01:00.000Z",
    config: {
      targets: [{ provider_key: "local_simulator", model_id: "sim-a", display_name: "Sim A" }],
      levels: [1, 4, 8],
      hold_requests: 8,
      hold_seconds: null,
      loop: "closed",
      rate: null,
      slo: { ttft_ms: 2000, itl_p95_ms: 45 },
      budget: null,
      context_tier: 0,
      max_tokens: 64,
      prompt: "p",
      seed: 1,
    },
    targets: [
      {
        provider_key: "local_simulator",
        model_id: "sim-a",
        display_name: "Sim A",
        levels: [lvl(1), lvl(4), lvl(8, { ok: 7, achieved_concurrency_mean: null, goodput_rps: null })],
        knee_level: 4,
        max_level_meeting_slo: 4,
        stopped: { at_level: 8, reason: "slo" },
        timeline: [],
      },
    ],
  };
  return {
    llm_bench_version: "0.0.0",
    started_at: "2026-12-07T00:00:00.000Z",
    duration_ms: 61_000,
    url: "http://deploy",
    job_id: "job1",
    job_end: "done",
    estimate: { requests: 24, input_tokens: 100, output_tokens: 1536, cost_usd: null },
    run,
    assertions,
    exit_code: verdict === "PASSED" ? 0 : 1,
    verdict,
  };
}

describe("llm-bench capacity report", () => {
  const fail = { assertion: "knee_level >= 8", provider_key: "local_simulator", model_id: "sim-a", passed: false, message: "knee_level = 4" };
  const pass = { ...fail, assertion: "max_level_meeting_slo >= 4", passed: true, message: "max_level_meeting_slo = 4" };

  it("prints the live level line with every figure", () => {
    expect(levelLine("Sim A", lvl(4))).toBe(
      "capacity Sim A: level 4: achieved 3.9/4, 8/8 ok, TTFT p95 840 ms, ITL p95 24.0 ms, 200.0 tok/s, goodput 2.00 req/s, SLO met",
    );
    expect(
      levelLine("Sim A", lvl(8, { achieved_concurrency_mean: 5, concurrency_short: true, ttft_ms: { p50: null, p95: null, p99: null } })),
    ).toContain("achieved 5.0/8 (short), 8/8 ok, TTFT p95 – ms");
  });

  it("table: a row per level and the stored knee, SLO limit and stop reason per target", () => {
    const text = renderCapacity(report([pass, fail], "FAILED: 1 of 2 assertions failed"), "table");
    expect(text).toContain("Sim A (local_simulator/sim-a)");
    expect(text).toMatch(/^4\s+3\.9\/4\s+8\/8\s+840\s+24\.0\s+200\.0\s+2\.00\s+met$/m);
    expect(text).toMatch(/^8\s+–\/8\s+7\/8\s+1680\s+28\.0\s+400\.0\s+–\s+missed$/m);
    expect(text).toContain("knee 4, highest level meeting the SLO 4, stopped at level 8 (the SLO broke)");
    expect(text).toContain("FAIL  knee_level >= 8  [sim-a]  knee_level = 4");
    expect(text.trimEnd().endsWith("FAILED: 1 of 2 assertions failed")).toBe(true);
  });

  it("json is the whole report; markdown and junit carry the levels and the assertions", () => {
    const r = report([pass, fail], "FAILED: 1 of 2 assertions failed");
    expect(JSON.parse(renderCapacity(r, "json"))).toEqual(r);
    const md = renderCapacity(r, "markdown");
    expect(md.startsWith("## llm-bench capacity: FAILED")).toBe(true);
    expect(md).toContain("| 4 | 3.9/4 | 8/8 | 840 | 24.0 | 200.0 | 2.00 | met |");
    expect(md).toContain("| ❌ | `knee_level >= 8` | sim-a | knee_level = 4 |");
    const junit = renderCapacity(r, "junit");
    expect(junit).toContain('<testsuites name="llm-bench" tests="2" failures="1"');
    expect(junit).toContain('<testcase classname="llm-bench.capacity.local_simulator.sim-a" name="max_level_meeting_slo &gt;= 4"/>');
    expect(junit).toContain('<failure message="knee_level = 4">knee_level &gt;= 8: knee_level = 4</failure>');
  });
});
