/** Every job kind the runtime can run, by job type: adding a kind is one file plus one line here. */
import type { JobType } from "../../shared/jobs.ts";
import { benchmarkJob } from "../benchmark/job.ts";
import { capacityJob } from "../capacity/job.ts";
import { judgeCompareJob } from "../judge/compare-job.ts";
import { judgeJob } from "../judge/job.ts";
import { paramTuneJob } from "../param-tune/job.ts";
import { promptTuneJob } from "../prompt-tune/job.ts";
import { toolEvalJob } from "../tool-eval/job.ts";
import type { JobKind } from "./kind.ts";

const KINDS: Partial<Record<JobType, JobKind<never>>> = {
  benchmark: benchmarkJob,
  scheduled_benchmark: benchmarkJob, // a scheduled run is a benchmark whose submission came from a schedule
  tool_eval: toolEvalJob,
  param_tune: paramTuneJob,
  prompt_tune: promptTuneJob,
  judge: judgeJob,
  judge_compare: judgeCompareJob,
  capacity: capacityJob,
};

export function kindOf(type: JobType): JobKind<never> | null {
  return KINDS[type] ?? null;
}

export const REGISTERED_KINDS = Object.entries(KINDS) as Array<[JobType, JobKind<never>]>;
