// Live state of the judge run shown on /tool-eval/judge/ (submit, follow an open report's job, cancel): the shared
// live-job shell (live-job-store.ts) told the judge's endpoints and its fold (judge-live-fold.ts). Like the other live
// pages it follows the job's WebSocket events only; after a dropped socket the shell's `sync` catch-up reads the
// report again. The page keeps the report in its URL (`?id=`), so no `?job=` is written here.
import type { JobStatus } from "../../../shared/jobs.ts";
import { type JudgeLiveState, judgeLive } from "./judge-live-fold.ts";
import { createLiveJob } from "./live-job-store";

export type { JudgeLiveState };

const live = createLiveJob(judgeLive, {
  storageKey: "studio.judge.job",
  wrongJobType: "That job is not a judge run.",
  cancelPath: "/api/tool-eval/judge/cancel",
  runPath: (reportId) => `/api/tool-eval/judge/reports/${encodeURIComponent(reportId)}`,
});

export const getJudgeLive = live.get;
export const onJudgeLive = live.subscribe;
/** Follows job `jobId` (an open report's): replays what arrived before, reads the job and the report, then its events. */
export const attachJudgeJob = live.attach;
export const cancelJudge = live.cancel;

interface JudgeSubmitted {
  job_id: string;
  job_status: JobStatus;
  judge_report_id: string;
  cases_to_review?: number;
  cases?: number;
}

/** Starts a judge run or a comparison; events that arrive before the response are kept for it. */
export function submitJudge(kind: "judge" | "compare", body: Record<string, unknown>): Promise<JudgeSubmitted> {
  const path = kind === "judge" ? "/api/tool-eval/judge" : "/api/tool-eval/judge/compare";
  return live.submit<JudgeSubmitted>(path, body, (res) => ({
    runId: res.judge_report_id,
    jobStatus: res.job_status,
    targets: [],
    extras: { mode: kind === "judge" ? "post_eval" : "comparative", cases: res.cases_to_review ?? res.cases ?? 0 },
  }));
}
