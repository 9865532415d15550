// Live state of the tool eval on /tool-eval/evaluate/ (submit, attach after a reload, events, cancel, progress and
// ETA): the shared live-job shell (live-job-store.ts) told the tool eval's endpoints and its fold (eval-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { type EvalLiveState, toolEvalLive } from "./eval-live-fold.ts";
import type { EvalRequest, EvalSubmitted, ScorerName } from "./eval-types";
import { copyLiveCore } from "./live-job-reducer.ts";
import { createLiveJob } from "./live-job-store";

export type { EvalLiveState };

const live = createLiveJob(toolEvalLive, {
  storageKey: "studio.tool-eval.job",
  wrongJobType: "That job is not a tool evaluation.",
  cancelPath: "/api/tool-eval/cancel",
  runPath: (evalId) => `/api/tool-eval/history/${encodeURIComponent(evalId)}`,
});

/** The Evaluate page's side of the live eval (use-live-job.ts). */
export const evalJob = live.forPage((s) => ({ ...copyLiveCore(s), summary: s.summary.slice() }));
/** Display and provider names for targets known only by key (after a reload). */
export const setEvalCatalog = live.setCatalog;

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
