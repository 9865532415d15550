// How a prompt tune's events and stored run fold into its live job (pure; the fold itself is live-job-reducer.ts).
// The shared fold keeps one keyed list of results per job, so every prompt-tuner event that adds to the picture
// (a generation starting, a prompt written, an evaluation starting or reporting, a generation ranked or failed) is
// kept as one item of that list; `promptTimeline` (prompt-tune-timeline.ts) turns the items and the stored answer
// into generations and prompt cards. The stored run (read on attach and once the job is over) brings the answer,
// with the best prompt and its significance as the server words them.
import type { LiveJobKind, LiveJobState } from "./live-job-reducer.ts";
import type { PromptTuneAnswer, PromptTuneMode, PromptTuneRunDetail } from "./prompt-tune-types.ts";

interface NoTarget {
  provider_key: "";
  model_id: "";
}

/** One prompt-tuner event as the live list keeps it (only evaluations belong to a target). */
export type PromptLiveItem =
  | (NoTarget & { item: "generation_start"; generation: number; total_generations: number; population_size: number })
  | (NoTarget & {
      item: "generated";
      generation: number;
      index: number;
      candidate: string;
      /** The first 300 characters (the stored answer has the whole text). */
      text: string;
      style: string | null;
      mutation_type: string | null;
      parent_preview: string | null;
    })
  | { item: "eval_start"; generation: number; candidate: string; provider_key: string; model_id: string; model: string; stage: string }
  | {
      item: "eval";
      generation: number;
      candidate: string;
      provider_key: string;
      model_id: string;
      stage: string;
      overall_score: number;
      tool_accuracy: number | null;
      param_accuracy: number | null;
      cases: number;
    }
  | (NoTarget & {
      item: "generation_complete";
      generation: number;
      best_score: number | null;
      survivors: number[];
      best_so_far: string | null;
    })
  | (NoTarget & { item: "generation_error"; generation: number; message: string });

export interface PromptTuneExtras {
  suiteName: string;
  mode: PromptTuneMode | null;
  generations: number;
  populationSize: number;
  totalPrompts: number;
  totalEvalCalls: number;
  searchCases: number;
  holdoutCases: number;
  seed: number | null;
  basePrompt: string;
  /** The server's answer from the last stored-run read (final once the job is over). */
  answer: PromptTuneAnswer | null;
  /** tune_complete's headline, until the final read brings the whole answer. */
  completion: { best_prompt: string | null; best_score: number | null; significance: Record<string, unknown> | null } | null;
}

export type PromptTuneLiveState = LiveJobState<PromptLiveItem, PromptTuneExtras>;

const none = { provider_key: "", model_id: "" } as const;

/** Each event's identity: a second copy (a replay after reconnect) is dropped by the shared fold. */
export function promptItemKey(i: PromptLiveItem): string {
  switch (i.item) {
    case "generation_start":
    case "generation_complete":
    case "generation_error":
      return `${i.item}:${i.generation}`;
    case "generated":
      return `generated:${i.candidate}`;
    case "eval_start":
    case "eval":
      return `${i.item}:${i.candidate}:${i.provider_key}::${i.model_id}:${i.stage}`;
  }
}

export const promptTuneLive: LiveJobKind<PromptLiveItem, PromptTuneExtras, PromptTuneRunDetail> = {
  noun: "prompt tune",
  jobTypes: ["prompt_tune"],
  runIdParam: "tune_id",
  eventTypes: [
    "tune_start",
    "generation_start",
    "prompt_generated",
    "prompt_eval_start",
    "prompt_eval_result",
    "generation_complete",
    "generation_error",
    "tune_complete",
  ],
  read(event) {
    switch (event.type) {
      case "tune_start":
        if (event.tuner !== "prompt") return null;
        return {
          kind: "init",
          runId: event.tune_id,
          targets: [],
          extras: {
            suiteName: event.suite_name,
            ...(event.mode ? { mode: event.mode } : {}),
            ...(event.generations ? { generations: event.generations } : {}),
            ...(event.population_size ? { populationSize: event.population_size } : {}),
            ...(event.total_prompts ? { totalPrompts: event.total_prompts } : {}),
            ...(event.total_eval_calls ? { totalEvalCalls: event.total_eval_calls } : {}),
          },
        };
      case "generation_start":
        return {
          kind: "result",
          result: {
            ...none,
            item: "generation_start",
            generation: event.generation,
            total_generations: event.total_generations,
            population_size: event.population_size,
          },
        };
      case "prompt_generated":
        return {
          kind: "result",
          result: {
            ...none,
            item: "generated",
            generation: event.generation,
            index: event.prompt_index,
            candidate: event.candidate,
            text: event.prompt_text,
            style: event.style,
            mutation_type: event.mutation_type,
            parent_preview: event.parent_prompt,
          },
        };
      case "prompt_eval_start":
        // The start names the model by display name only; the result that follows names the target exactly.
        return {
          kind: "result",
          result: {
            item: "eval_start",
            generation: event.generation,
            candidate: event.candidate,
            provider_key: "",
            model_id: event.model,
            model: event.model,
            stage: event.stage,
          },
        };
      case "prompt_eval_result":
        return {
          kind: "result",
          result: {
            item: "eval",
            generation: event.generation,
            candidate: event.candidate,
            provider_key: event.provider_key,
            model_id: event.model_id,
            stage: event.stage,
            overall_score: event.overall_score,
            tool_accuracy: event.tool_accuracy,
            param_accuracy: event.param_accuracy,
            cases: event.cases,
          },
        };
      case "generation_complete":
        return {
          kind: "result",
          result: {
            ...none,
            item: "generation_complete",
            generation: event.generation,
            best_score: event.best_score,
            survivors: event.survivors,
            best_so_far: event.best_so_far,
          },
        };
      case "generation_error":
        return { kind: "result", result: { ...none, item: "generation_error", generation: event.generation, message: event.message } };
      case "tune_complete":
        if (event.tuner !== "prompt") return null;
        return {
          kind: "extras",
          extras: { completion: { best_prompt: event.best_prompt ?? null, best_score: event.best_score, significance: event.significance } },
        };
      default:
        return null;
    }
  },
  etaSamples: 8,
  emptyExtras: () => ({
    suiteName: "",
    mode: null,
    generations: 0,
    populationSize: 0,
    totalPrompts: 0,
    totalEvalCalls: 0,
    searchCases: 0,
    holdoutCases: 0,
    seed: null,
    basePrompt: "",
    answer: null,
    completion: null,
  }),
  resultKey: promptItemKey,
  namesOf: () => ({}),
  // Progress comes from the job's own percentage (evaluation calls stored of planned), not from counted items.
  timing: () => null,
  // The stored answer carries everything the items said; a final read replaces them with it.
  fromRun: (run, extras) => ({
    results: [],
    targets: run.models,
    extras: {
      suiteName: run.suite_name || extras.suiteName,
      mode: run.config.mode ?? (run.mode === "quick" || run.mode === "evolutionary" ? run.mode : extras.mode),
      generations: run.config.generations ?? extras.generations,
      populationSize: run.config.population_size ?? extras.populationSize,
      totalPrompts: run.total_prompts,
      searchCases: run.config.search_cases?.length ?? extras.searchCases,
      holdoutCases: run.config.holdout_cases?.length ?? extras.holdoutCases,
      seed: run.config.seed ?? extras.seed,
      basePrompt: run.base_prompt,
      answer: run.answer,
    },
    finalExtras: {},
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  progressInput: () => ({ results: [], runs: 1, tiers: [0] }),
  liveExtras: () => ({}),
};
