/** The experiment pieces shared by the Worker and the page: labels, config summaries and the timeline chart. */
import { describe, expect, it } from "vitest";
import { configSummary, significanceLabel, type TimelineEntry } from "../../src/shared/experiments.ts";
import { pairedTest, pairedVerdict } from "../../src/shared/stats/index.ts";
import { timelineChart } from "../../src/web/src/lib/experiment-chart.ts";
import type { ExperimentTimeline } from "../../src/web/src/lib/experiment-types.ts";

const cases = (scores: number[]) => scores.map((score, i) => ({ caseId: `c${i}`, score }));

describe("significance labels", () => {
  it("follow the paired verdict: better and worse are significant, a tie is not, too few cases say so", () => {
    const label = (a: number[], b: number[]) => significanceLabel(pairedVerdict(pairedTest(cases(a), cases(b)), "baseline").verdict);
    const ones = Array(12).fill(1);
    const zeros = Array(12).fill(0);
    expect(label(ones, zeros)).toBe("significant"); // 12 discordant pairs, McNemar p ≈ 0.0005
    expect(label(zeros, ones)).toBe("significant"); // worse is a significant difference too
    expect(label(ones, ones)).toBe("not significant");
    expect(label([1, 1, 1], [0, 0, 0])).toBe("insufficient evidence"); // 3 cases can never reach p ≤ 0.05
  });
});

describe("config summaries", () => {
  it("name the settings, provider parameters and whether a prompt is sent", () => {
    expect(configSummary({ temperature: 0, tool_choice: "auto", provider_params: null, system_prompt: null })).toBe("temp=0, tool_choice=auto");
    expect(configSummary({ temperature: 0.2, tool_choice: "required", provider_params: { top_p: 0.9 }, system_prompt: "Be precise." })).toBe(
      "temp=0.2, tool_choice=required, top_p=0.9, prompt",
    );
    expect(configSummary({ temperature: 1, tool_choice: "none", provider_params: {}, system_prompt: { _global: "a", "p::m": "b" } })).toBe(
      "temp=1, tool_choice=none, prompt=2 entries",
    );
  });
});

describe("timeline chart", () => {
  const entry = (id: string, score: number | null): TimelineEntry => ({
    type: "eval",
    id,
    status: "completed",
    timestamp: "2026-12-06T00:00:00.000Z",
    completed_at: null,
    score,
    delta: null,
    is_baseline: false,
    is_best: false,
    config_summary: "",
    significance: null,
    significance_label: null,
    detail: {},
  });
  const timeline = (entries: TimelineEntry[], baseline: number | null): ExperimentTimeline => ({
    experiment_id: "e",
    experiment_name: "E",
    suite_id: "s",
    baseline: baseline === null ? null : { eval_id: "a", score: baseline },
    best: null,
    entries,
  });

  it("plots scored runs in percent against the baseline, leaving out runs without a score", () => {
    const spec = timelineChart(timeline([entry("a", 0.5), entry("b", null), entry("c", 0.875)], 0.5))!;
    expect(spec.labels).toEqual(["1. Eval", "2. Eval"]);
    expect(spec.series.map((s) => [s.label, s.values])).toEqual([
      ["Score", [50, 87.5]],
      ["Baseline", [50, 50]],
    ]);
    expect(spec.unit).toBe("%");
  });

  it("draws nothing until a run has a score, and no baseline line without a baseline", () => {
    expect(timelineChart(timeline([entry("a", null)], null))).toBeNull();
    expect(timelineChart(timeline([entry("a", 0.25)], null))!.series.map((s) => s.label)).toEqual(["Score"]);
  });
});
