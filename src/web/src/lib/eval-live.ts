// Live state of the tool eval on /tool-eval/evaluate/ (submit, attach after a reload, events, cancel, progress and
// ETA): the shared live-job shell (live-job-store.ts) told the tool eval's endpoints and its fold (eval-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { type EvalLiveState, toolEvalLive } from "./eval-live-fold.ts";
import type { EvalRequest, EvalSubmitted, ScorerName } from "./eval-types";
import { createLiveJob } from "./live-job-store";

export type { EvalLiveState };

const live = createLiveJob(toolEvalLive, {
  storageKey: "studio.tool-eval.job",
  wrongJobType: "That job is not a tool evaluation.",
  cancelPath: "/api/tool-eval/cancel",
  runPath: (evalId) => `/api/tool-eval/history/${encodeURIComponent(evalId)}`,
});

export const getEvalLive = live.get;
export const onEvalLive = live.subscribe;
/** Display and provider names for targets known only by key (after a reload). */
export const setEvalCatalog = live.setCatalog;
/** Shows the URL's job, else this tab's last, else any active tool eval (while the page matching the regex is shown). */
export const resumeEvalJob = live.resume;
/** Forgets the current job (e.g. before configuring a new run). */
export const resetEvalLive = live.reset;
export const attachEvalJob = live.attach;
export const cancelEval = live.cancel;

/** Starts an eval; the previous run's view is cleared first so nothing stale shows while submitting. */
export function submitEval(
  request: EvalRequest,
  known: { targets: BenchTarget[]; suiteName: string; scorer: ScorerName; casesPerModel: number },
): Promise<EvalSubmitted> {
  const { targets, ...extras } = known;
  return live.submit<EvalSubmitted>("/api/tool-eval", request, (res) => ({
    runId: res.eval_id,
    jobStatus: res.job_status,
    targets,
    extras: { ...extras, paramAdjustments: res.param_adjustments ?? [] },
  }));
}
