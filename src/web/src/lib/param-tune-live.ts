// Live state of the parameter tune on /tool-eval/param-tune/ (submit, attach after a reload, events, cancel): the
// shared live-job shell (live-job-store.ts) told the tuner's endpoints and its fold (param-tune-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { createLiveJob } from "./live-job-store";
import { paramTuneLive, type TuneLiveState } from "./param-tune-live-fold.ts";
import type { ParamTuneRequest, ParamTuneSubmitted } from "./param-tune-types";

export type { TuneLiveState };

const live = createLiveJob(paramTuneLive, {
  storageKey: "studio.param-tune.job",
  wrongJobType: "That job is not a parameter tune.",
  cancelPath: "/api/tool-eval/param-tune/cancel",
  runPath: (tuneId) => `/api/tool-eval/param-tune/history/${encodeURIComponent(tuneId)}`,
});

export const getTuneLive = live.get;
export const onTuneLive = live.subscribe;
export const setTuneCatalog = live.setCatalog;
export const resumeTuneJob = live.resume;
export const resetTuneLive = live.reset;
export const cancelTune = live.cancel;

/** Starts a tune; what the response already says (plan, seed, split) shows before the first event. */
export function submitTune(request: ParamTuneRequest, known: { targets: BenchTarget[]; suiteName: string }): Promise<ParamTuneSubmitted> {
  return live.submit<ParamTuneSubmitted>("/api/tool-eval/param-tune", request, (res) => ({
    runId: res.tune_id,
    jobStatus: res.job_status,
    targets: known.targets,
    extras: {
      suiteName: known.suiteName,
      strategy: res.strategy,
      totalCombos: res.total_combos,
      plannedTrials: res.planned_trials,
      gridTrials: res.grid_trials,
      repeats: request.repeats,
      searchCases: res.search_cases,
      holdoutCases: res.holdout_cases,
      seed: res.seed,
    },
  }));
}
