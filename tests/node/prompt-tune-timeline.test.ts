/**
 * The Prompt Tuner page's fold (src/web/src/lib/prompt-tune-live-fold.ts on the shared live-job reducer) and its
 * timeline (prompt-tune-timeline.ts), in plain Node: the server's events (checked against its schema) become
 * generations and prompt cards with scores as they arrive, a replayed event changes nothing, survivors are marked
 * only where selection breeds a next generation, a failed generation says why, and the final answer wins over
 * what the events said (a tie marks no prompt as the best).
 */
import { describe, expect, it } from "vitest";
import { ServerEventSchema } from "../../src/shared/events.ts";
import type { LiveEvent } from "../../src/web/src/lib/live-events.ts";
import { createLiveJobReducer } from "../../src/web/src/lib/live-job-reducer.ts";
import { promptTuneLive } from "../../src/web/src/lib/prompt-tune-live-fold.ts";
import { promptTimeline } from "../../src/web/src/lib/prompt-tune-timeline.ts";
import type { CandidateView, PromptTuneAnswer, PromptTuneRunDetail } from "../../src/web/src/lib/prompt-tune-types.ts";

const JOB = "job1";
const TUNE = "tune1";
const TARGET = { provider_key: "local_simulator", model_id: "sim-tunable" };
const BASE_PROMPT = "You are an assistant with tools. Be creative.";
const T0 = Date.parse("2026-12-06T10:00:00Z");

const ev = (e: Record<string, unknown>): LiveEvent => ServerEventSchema.parse({ job_id: JOB, tune_id: TUNE, ...e }) as LiveEvent;
const generated = (generation: number, index: number, extra: Record<string, unknown> = {}) =>
  ev({
    type: "prompt_generated",
    generation,
    prompt_index: index,
    candidate: `g${generation}p${index}`,
    prompt_text: `Prompt ${generation}.${index}: be precise.`,
    style: generation === 1 ? "concise" : null,
    mutation_type: generation > 1 ? "bold" : null,
    parent_prompt: generation > 1 ? "Prompt 1.0: be precise." : null,
    ...extra,
  });
const evalStart = (candidate: string, generation: number) =>
  ev({ type: "prompt_eval_start", generation, prompt_index: 0, candidate, model: "Sim tunable", stage: "search cases" });
const evalResult = (candidate: string, generation: number, score: number, stage = "search cases") =>
  ev({
    type: "prompt_eval_result",
    generation,
    prompt_index: Number(candidate.slice(-1)) || 0,
    candidate,
    ...TARGET,
    stage,
    overall_score: score,
    tool_accuracy: 100 * score,
    param_accuracy: null,
    cases: 16,
  });

function fold(mode: "quick" | "evolutionary", generations: number, events: LiveEvent[]) {
  const reducer = createLiveJobReducer(promptTuneLive);
  let s = reducer.attach(JOB, { runId: TUNE, jobStatus: "running", targets: [TARGET], extras: { mode, generations, basePrompt: BASE_PROMPT } }, T0);
  events.forEach((e, i) => {
    s = reducer.event(s, e, T0 + 1000 * (i + 1));
  });
  return { reducer, facts: s, view: reducer.view(s, T0 + 60_000) };
}

const timelineOf = (v: ReturnType<typeof fold>["view"], running = true) =>
  promptTimeline({
    items: v.results,
    answer: v.answer,
    final: v.final,
    running,
    mode: v.mode,
    generations: v.generations,
    targets: v.targets,
    basePrompt: v.basePrompt,
  });

describe("prompt tune: live timeline", () => {
  it("shows prompts as they are written and scores as they arrive; a replayed event changes nothing", () => {
    const events = [
      ev({ type: "tune_start", tuner: "prompt", suite_name: "Smart Home", mode: "quick", total_prompts: 3, generations: 1, population_size: 3 }),
      ev({ type: "generation_start", generation: 1, total_generations: 1, population_size: 3 }),
      generated(1, 0),
      generated(1, 1),
      generated(1, 2),
      evalStart("base", 0),
      evalResult("base", 0, 0.5),
      evalStart("g1p0", 1),
      evalResult("g1p0", 1, 0.75),
      evalStart("g1p1", 1),
    ];
    const { view } = fold("quick", 1, [...events, events[6]!, events[2]!]);
    expect(view.suiteName).toBe("Smart Home");
    const t = timelineOf(view);
    expect(t.base?.score).toBe(0.5);
    expect(t.base?.text).toBe(BASE_PROMPT);
    const [g1] = t.generations;
    expect(g1?.state).toBe("evaluating");
    expect(g1?.cards.map((c) => [c.key, c.style, c.score, c.running])).toEqual([
      ["g1p0", "concise", 0.75, false],
      ["g1p1", "concise", null, true],
      ["g1p2", "concise", null, false],
    ]);
    // Quick prompts come from the base prompt; the best so far is the top score.
    expect(g1?.cards[0]?.parent_key).toBe("base");
    expect(t.best_so_far).toBe("g1p0");
    expect(t.trend).toEqual([{ generation: 1, best: 0.75 }]);
    // No selection in quick mode, so no survivor marks even once ranked.
    const ranked = timelineOf(
      fold("quick", 1, [
        ...events,
        evalResult("g1p1", 1, 0.25),
        evalResult("g1p2", 1, 0.5),
        ev({ type: "generation_complete", generation: 1, best_score: 0.75, best_prompt_index: 0, survivors: [0], best_so_far: null }),
      ]).view,
    );
    expect(ranked.generations[0]?.state).toBe("ranked");
    expect(ranked.generations[0]?.cards.every((c) => c.survived === null)).toBe(true);
  });

  it("marks survivors in an evolutionary run, shows the next generation's mutations and a failed generation's reason", () => {
    const { view } = fold("evolutionary", 3, [
      generated(1, 0),
      generated(1, 1),
      generated(1, 2),
      evalResult("base", 0, 0.5),
      evalResult("g1p0", 1, 0.6),
      evalResult("g1p1", 1, 0.8),
      evalResult("g1p2", 1, 0.4),
      ev({ type: "generation_complete", generation: 1, best_score: 0.8, best_prompt_index: 1, survivors: [1], best_so_far: "g1p1" }),
      ev({ type: "generation_start", generation: 2, total_generations: 3, population_size: 3 }),
      generated(2, 0),
      evalResult("g2p0", 2, 0.9),
      evalResult("g1p1", 1, 0.9, "held-out cases"),
      ev({ type: "generation_start", generation: 3, total_generations: 3, population_size: 3 }),
      ev({ type: "generation_error", generation: 3, message: "The meta-model's answer had no prompts" }),
    ]);
    const t = timelineOf(view);
    const [g1, g2, g3] = t.generations;
    expect(g1?.cards.map((c) => [c.key, c.survived])).toEqual([
      ["g1p0", false],
      ["g1p1", true],
      ["g1p2", false],
    ]);
    expect(g1?.cards[1]?.heldout).toEqual([{ ...TARGET, score: 0.9 }]);
    expect(g2?.state).toBe("evaluating");
    expect(g2?.cards[0]).toMatchObject({ mutation_type: "bold", parent_preview: "Prompt 1.0: be precise.", survived: null, score: 0.9 });
    expect(g3).toMatchObject({ state: "failed", error: "The meta-model's answer had no prompts", cards: [] });
    expect(t.best_so_far).toBe("g2p0");
    expect(t.trend.map((x) => x.best)).toEqual([0.8, 0.9, null]);
  });

  it("takes the final answer over the events: full texts, the server's survivors, and no best for a tie", () => {
    const { reducer, facts } = fold("quick", 1, [generated(1, 0), generated(1, 1), evalResult("base", 0, 0.5), evalResult("g1p0", 1, 0.7)]);
    const candidate = (key: string, generation: number, index: number, score: number): CandidateView => ({
      key,
      label: key,
      generation,
      index,
      text: `${key} full text, longer than the event's preview`,
      style: key === "base" ? null : "concise",
      parent_key: key === "base" ? null : "base",
      mutation_type: null,
      score,
      targets: [{ ...TARGET, overall_score: score, tool_accuracy: 100 * score, param_accuracy: null, cases: 16, failed_calls: 1 }],
      survived: false,
      latency_p50_ms: 200,
      cost_per_case: null,
    });
    const answer: PromptTuneAnswer = {
      candidates: [candidate("base", 0, 0, 0.5), candidate("g1p0", 1, 0, 0.75), candidate("g1p1", 1, 1, 0.75)],
      generations: [
        {
          generation: 1,
          status: "generated",
          attempts: 1,
          answer_format: "json",
          error: null,
          meta_cost_usd: null,
          candidates: ["g1p0", "g1p1"],
          best_key: "g1p0",
          best_score: 0.75,
          survivors: ["g1p0"],
        },
      ],
      base_score: 0.5,
      best_key: null,
      best_prompt: null,
      best_score: null,
      tied_for_best: ["g1p0", "g1p1"],
      significance: null,
      comparisons: [],
      holdout: [],
      statement: "prompt 1.0 and prompt 1.1 tie",
      trials_run: 48,
      meta_calls: 1,
      cost_usd: null,
    };
    const run: PromptTuneRunDetail = {
      id: TUNE,
      job_id: JOB,
      suite_id: "s",
      suite_name: "Smart Home",
      mode: "quick",
      meta_model: { provider_key: "local_simulator", model_id: "sim-writer" },
      models: [TARGET],
      base_prompt: BASE_PROMPT,
      total_prompts: 2,
      best_prompt: null,
      best_score: null,
      status: "completed",
      timestamp: "2026-12-06T10:00:00.000Z",
      completed_at: "2026-12-06T10:01:00.000Z",
      duration_s: 60,
      config: { mode: "quick", generations: 1, population_size: 2, seed: 7, search_cases: ["a", "b"], holdout_cases: [] },
      answer,
    };
    const done = reducer.event(facts, ev({ type: "job_completed", result_ref: TUNE }), T0 + 30_000);
    const view = reducer.view(reducer.run(done, run, true), T0 + 60_000);
    expect(view.results).toEqual([]);
    expect(view.seed).toBe(7);
    const t = timelineOf(view, false);
    expect(t.best_so_far).toBeNull();
    expect(t.generations[0]?.cards.map((c) => [c.key, c.score, c.best_so_far, c.running])).toEqual([
      ["g1p0", 0.75, false, false],
      ["g1p1", 0.75, false, false],
    ]);
    expect(t.generations[0]?.cards[0]?.text).toBe("g1p0 full text, longer than the event's preview");
    expect(t.generations[0]?.cards[0]?.targets[0]?.failed_calls).toBe(1);
    expect(t.base?.score).toBe(0.5);
  });
});
