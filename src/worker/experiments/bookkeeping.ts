/**
 * The experiment's baseline and best, kept as linked runs end. Called once from the job runtime's outcome path
 * (jobs/outcome.ts) for every kind: the source list (sources.ts) says which job types link runs and how their
 * score and config read, so no kind calls this itself. Each update is one conditional statement (the baseline only
 * while there is none or its run had not finished, the best only when strictly beaten), so two runs ending together, or a redelivered
 * message, cannot lose or regress either.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { JobType } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { experiments } from "../db/schema.ts";
import { isoNow } from "../lib/ids.ts";
import { linkedRun, sourceForJob } from "./sources.ts";

export interface ExperimentChange {
  experiment_id: string;
  baseline_set: boolean;
  best_updated: boolean;
}

export async function recordLinkedRun(db: Db, jobType: JobType, userId: string, runId: string): Promise<ExperimentChange | null> {
  const source = sourceForJob(jobType);
  if (!source) return null;
  const run = await linkedRun(db, source, userId, runId);
  if (!run?.experimentId || run.status !== "completed" || run.score === null) return null;
  const mine = and(eq(experiments.id, run.experimentId), eq(experiments.userId, userId));
  let baselineSet = false;
  if (source.canBeBaseline) {
    const set = await db
      .update(experiments)
      .set({ baselineEvalId: run.id, baselineScore: run.score, updatedAt: isoNow() })
      .where(
        and(
          mine,
          // None yet, or this run was named the baseline before it ran (a baseline given as a config).
          or(
            and(isNull(experiments.baselineEvalId), isNull(experiments.baselineScore)),
            and(eq(experiments.baselineEvalId, run.id), isNull(experiments.baselineScore)),
          ),
        ),
      )
      .returning({ id: experiments.id });
    baselineSet = set.length > 0;
  }
  let bestUpdated = false;
  if (source.bestSource && run.best) {
    const set = await db
      .update(experiments)
      .set({ bestScore: run.score, bestSource: source.bestSource, bestSourceId: run.id, bestConfig: run.best, updatedAt: isoNow() })
      .where(and(mine, or(isNull(experiments.bestScore), lt(experiments.bestScore, run.score))))
      .returning({ id: experiments.id });
    bestUpdated = set.length > 0;
  }
  return { experiment_id: run.experimentId, baseline_set: baselineSet, best_updated: bestUpdated };
}
