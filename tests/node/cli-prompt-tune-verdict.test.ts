// llm-bench prompt-tune's verdict from a stored answer: failed calls first (no verdict), then a written prompt that
// beats the base prompt (only with --fail-if-beaten), then undecided evidence, else decided.
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/command.ts";
import { promptTuneVerdict } from "../../src/cli/prompt-tune-report.ts";
import type { Significance } from "../../src/shared/stats/index.ts";
import type { PromptTuneAnswer } from "../../src/shared/tuning/prompt-tune-answer.ts";

function significance(verdict: Significance["verdict"], extra: Partial<Significance> = {}): Significance {
  return {
    verdict,
    compared_with: "base prompt",
    diff: 8,
    ci: [2, 14],
    ci_level: 0.95,
    p_value: 0.01,
    p_value_raw: 0.01,
    method: "test",
    n_cases: 40,
    repeats: 1,
    more_repeats_needed: null,
    more_cases_needed: null,
    statement: `${verdict} vs base prompt`,
    ...extra,
  };
}

function answer(s: Significance | null, opts: { best?: string | null; failed?: number } = {}): PromptTuneAnswer {
  const candidate = (key: string, failed: number) => ({
    key,
    label: key,
    generation: key === "base" ? 0 : 1,
    index: 0,
    text: `${key} text`,
    style: null,
    parent_key: null,
    mutation_type: null,
    score: 0.8,
    targets: [{ provider_key: "p", model_id: "m", overall_score: 0.8, tool_accuracy: 80, param_accuracy: 80, cases: 40, failed_calls: failed }],
    survived: true,
    latency_p50_ms: null,
    cost_per_case: null,
  });
  return {
    candidates: [candidate("base", 0), candidate("g1p0", opts.failed ?? 0)],
    generations: [],
    base_score: 0.7,
    best_key: opts.best === undefined ? "g1p0" : opts.best,
    best_prompt: "g1p0 text",
    best_score: 0.8,
    tied_for_best: [],
    significance: s,
    comparisons: s ? [s] : [],
    holdout: [],
    statement: "",
    trials_run: 80,
    meta_calls: 1,
    cost_usd: null,
  };
}

describe("prompt-tune verdict", () => {
  it("is decided (0) when the statement decides, also when a prompt wins without --fail-if-beaten", () => {
    expect(promptTuneVerdict(answer(significance("better")), false)).toMatchObject({ code: EXIT.ok, outcome: "decided" });
    expect(promptTuneVerdict(answer(significance("not_distinguishable")), true)).toMatchObject({ code: EXIT.ok, outcome: "decided" });
  });

  it("fails (1) with --fail-if-beaten when a written prompt is significantly better, not when the base is the best", () => {
    const beaten = promptTuneVerdict(answer(significance("better")), true);
    expect(beaten).toMatchObject({ code: EXIT.failed, outcome: "beaten" });
    expect(beaten.text).toContain("better vs base prompt");
    expect(promptTuneVerdict(answer(significance("better"), { best: "base" }), true)).toMatchObject({ code: EXIT.ok });
  });

  it("is insufficient evidence (4) with how many more cases would decide, or when nothing could be compared", () => {
    const undecided = promptTuneVerdict(answer(significance("insufficient_evidence", { more_cases_needed: 60 })), true);
    expect(undecided).toMatchObject({ code: EXIT.insufficient, outcome: "insufficient_evidence" });
    expect(undecided.text).toContain("about 60 more cases would");
    expect(promptTuneVerdict(answer(null), false)).toMatchObject({ code: EXIT.insufficient });
  });

  it("is a provider failure (3) when evaluation calls got no answer, whatever the statement says", () => {
    const v = promptTuneVerdict(answer(significance("better"), { failed: 3 }), true);
    expect(v.code).toBe(EXIT.provider);
    expect(v.text).toContain("3 evaluation calls got no answer");
  });
});
