// Live state of the parameter tune on /tool-eval/param-tune/ (submit, attach after a reload, events, cancel): the
// shared live-job shell (live-job-store.ts) told the tuner's endpoints and its fold (param-tune-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { copyLiveCore } from "./live-job-reducer.ts";
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

/** The Param Tuner page's side of the live tune (use-live-job.ts). */
export const tuneJob = live.forPage((s) => ({ ...copyLiveCore(s) }));
export const setTuneCatalog = live.setCatalog;

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
