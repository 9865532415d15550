// Live state of the prompt tune on /tool-eval/prompt-tune/ (submit, attach after a reload, events, cancel): the
// shared live-job shell (live-job-store.ts) told the prompt tuner's endpoints and its fold (prompt-tune-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { copyLiveCore } from "./live-job-reducer.ts";
import { createLiveJob } from "./live-job-store";
import { type PromptTuneLiveState, promptTuneLive } from "./prompt-tune-live-fold.ts";
import type { PromptTuneRequest, PromptTuneSubmitted } from "./prompt-tune-types";

export type { PromptTuneLiveState };

const live = createLiveJob(promptTuneLive, {
  storageKey: "studio.prompt-tune.job",
  wrongJobType: "That job is not a prompt tune.",
  cancelPath: "/api/tool-eval/prompt-tune/cancel",
  runPath: (tuneId) => `/api/tool-eval/prompt-tune/history/${encodeURIComponent(tuneId)}`,
});

/** The Prompt Tuner page's side of the live tune (use-live-job.ts). */
export const promptTuneJob = live.forPage((s) => ({ ...copyLiveCore(s) }));
export const setPromptTuneCatalog = live.setCatalog;

/** Starts a tune; what the response already says (plan, seed, split) shows before the first event. */
export function submitPromptTune(request: PromptTuneRequest, known: { targets: BenchTarget[]; suiteName: string }): Promise<PromptTuneSubmitted> {
  return live.submit<PromptTuneSubmitted>("/api/tool-eval/prompt-tune", request, (res) => ({
    runId: res.tune_id,
    jobStatus: res.job_status,
    targets: known.targets,
    extras: {
      suiteName: known.suiteName,
      mode: res.mode,
      generations: res.generations,
      populationSize: res.population_size,
      totalPrompts: res.total_prompts,
      totalEvalCalls: res.total_eval_calls,
      searchCases: res.search_cases,
      holdoutCases: res.holdout_cases,
      seed: res.seed,
      basePrompt: request.base_prompt,
    },
  }));
}
