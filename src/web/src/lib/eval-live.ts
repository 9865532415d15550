// Live state of the tool eval on /tool-eval/evaluate/ (submit, attach after a reload, events, cancel, progress and
// ETA): the shared live-job machinery (live-job-store.ts) told the tool eval's endpoints, events and how its results
// fold in. Per-model summaries come from src/shared/eval-summary.ts, the server's own code.
import { summarize } from "../../../shared/eval-summary.ts";
import type { BenchTarget } from "./benchmark-types";
import { resultKey, type EvalRequest, type EvalResult, type EvalRunDetail, type EvalSubmitted, type EvalSummary, type ScorerName } from "./eval-types";
import { createLiveJob, type LiveJobState } from "./live-job-store";

interface EvalExtras {
  suiteName: string;
  scorer: ScorerName | null;
  casesPerModel: number;
  /** Summarised in the browser until the job finished, then the server's (`final`, with score parts). */
  summary: EvalSummary[];
}

export type EvalLiveState = LiveJobState<EvalResult, EvalExtras>;

const live = createLiveJob<EvalResult, EvalExtras, EvalRunDetail>({
  storageKey: "studio.tool-eval.job",
  noun: "evaluation",
  jobTypes: ["tool_eval"],
  wrongJobType: "That job is not a tool evaluation.",
  runIdParam: "eval_id",
  cancelPath: "/api/tool-eval/cancel",
  runPath: (evalId) => `/api/tool-eval/history/${encodeURIComponent(evalId)}`,
  events: { init: "tool_eval_init", progress: "tool_eval_progress", result: "tool_eval_result" },
  etaSamples: 8,
  emptyExtras: () => ({ suiteName: "", scorer: null, casesPerModel: 0, summary: [] }),
  resultKey,
  namesOf: (r) => ({ display_name: r.model_name }),
  timing: (r, cur) => ({ reportedMs: r.latency_ms, sameCall: cur?.model_id === r.model_id }),
  fromRun: (run, state) => ({
    results: run.results,
    targets: run.models,
    extras: {
      suiteName: run.suite_name || state.suiteName,
      scorer: run.scorer ?? state.scorer,
      casesPerModel: run.config.case_count ?? state.casesPerModel,
    },
    finalExtras: { summary: run.summary },
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  fromInit: (data, state) => {
    const d = data as { eval_id?: string; targets?: BenchTarget[]; total_cases?: number; suite_name?: string; scorer?: ScorerName };
    return {
      runId: d.eval_id,
      targets: d.targets?.length ? d.targets : undefined,
      extras: {
        casesPerModel: d.total_cases ?? state.casesPerModel,
        suiteName: d.suite_name ?? state.suiteName,
        scorer: d.scorer ?? state.scorer,
      },
    };
  },
  fromProgress: (data) => {
    const d = data as { current: number; total: number; model: string; model_id: string };
    return { model: d.model, model_id: d.model_id, run: d.current, runs: d.total, tier: 0, startedAt: Date.now() };
  },
  // Each case counts as one run of its model.
  progressInput: (state, results) => ({
    results: results.map((r) => ({ provider_key: r.provider_key, type: "result" as const, success: r.success })),
    runs: Math.max(1, state.casesPerModel),
    tiers: [0],
  }),
  liveExtras: (results) => ({ summary: summarize(results) }),
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
    extras,
  }));
}
