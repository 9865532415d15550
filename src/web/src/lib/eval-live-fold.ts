// How a tool eval's events and stored run fold into its live job (pure; the fold itself is live-job-reducer.ts).
// Per-model summaries come from src/shared/eval-summary.ts, the server's own code.
import { summarize } from "../../../shared/eval-summary.ts";
import type { ModelParamAdjustments } from "../../../shared/events.ts";
import { type EvalResult, type EvalRunDetail, type EvalSummary, resultKey, type ScorerName } from "./eval-types.ts";
import type { LiveJobKind, LiveJobState } from "./live-job-reducer.ts";

export interface EvalExtras {
  suiteName: string;
  scorer: ScorerName | null;
  casesPerModel: number;
  /** Summarised in the browser until the job finished, then the server's (`final`, with score parts). */
  summary: EvalSummary[];
  /** What the provider parameter registry changed per model before the run. */
  paramAdjustments: ModelParamAdjustments;
}

export type EvalLiveState = LiveJobState<EvalResult, EvalExtras>;

export const toolEvalLive: LiveJobKind<EvalResult, EvalExtras, EvalRunDetail> = {
  noun: "evaluation",
  jobTypes: ["tool_eval"],
  runIdParam: "eval_id",
  eventTypes: ["tool_eval_init", "tool_eval_progress", "tool_eval_result", "param_adjustments"],
  read(event) {
    switch (event.type) {
      case "tool_eval_init": {
        const d = event.data;
        return {
          kind: "init",
          runId: d.eval_id,
          targets: d.targets,
          extras: { casesPerModel: d.total_cases, suiteName: d.suite_name, scorer: d.scorer },
        };
      }
      case "tool_eval_progress": {
        const d = event.data;
        // A case is one "run" of its model.
        return {
          kind: "progress",
          providerKey: d.provider_key,
          call: { model: d.model, model_id: d.model_id, run: d.current, runs: d.total, tier: 0 },
        };
      }
      case "tool_eval_result":
        return { kind: "result", result: event.data };
      case "param_adjustments":
        return { kind: "extras", extras: { paramAdjustments: event.models } };
      default:
        return null;
    }
  },
  etaSamples: 8,
  emptyExtras: () => ({ suiteName: "", scorer: null, casesPerModel: 0, summary: [], paramAdjustments: [] }),
  resultKey,
  namesOf: (r) => ({ display_name: r.model_name }),
  timing: (r, cur) => ({ reportedMs: r.latency_ms, sameCall: cur?.model_id === r.model_id }),
  fromRun: (run, extras) => ({
    results: run.results,
    targets: run.models,
    extras: {
      suiteName: run.suite_name || extras.suiteName,
      scorer: run.scorer ?? extras.scorer,
      casesPerModel: run.config.case_count ?? extras.casesPerModel,
      paramAdjustments: run.config.param_adjustments ?? extras.paramAdjustments,
    },
    finalExtras: { summary: run.summary },
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  // Each case counts as one run of its model.
  progressInput: (extras, results) => ({
    results: results.map((r) => ({ provider_key: r.provider_key, type: "result" as const, success: r.success })),
    runs: Math.max(1, extras.casesPerModel),
    tiers: [0],
  }),
  liveExtras: (results) => ({ summary: summarize(results.slice()) }),
};
