/**
 * Stored experiments: owner-scoped look-ups (another user's id is "not found"), the check a submission's
 * `experiment_id` must pass, and the row → API mapping.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { experiments } from "../db/schema.ts";
import { ApiError, badRequest, notFound } from "../lib/errors.ts";

export type ExperimentRow = typeof experiments.$inferSelect;

export async function ownedExperiment(db: Db, userId: string, id: string): Promise<ExperimentRow> {
  const row = await db
    .select()
    .from(experiments)
    .where(and(eq(experiments.id, id), eq(experiments.userId, userId)))
    .get();
  if (!row) throw notFound("Experiment");
  return row;
}

/**
 * The experiment a run may be linked to: the caller's own (else 404), active (archived: 409) and on the run's
 * suite (else 400: an experiment compares runs of one suite). Called first by every kind's `plan`.
 */
export async function linkableExperiment(db: Db, userId: string, id: string | undefined, suiteId: string): Promise<string | null> {
  if (id === undefined) return null;
  const row = await ownedExperiment(db, userId, id);
  if (row.status === "archived") throw new ApiError(409, "conflict", "The experiment is archived: unarchive it to link new runs");
  if (row.suiteId !== suiteId)
    throw badRequest("The experiment belongs to another suite: runs of an experiment use its suite", [
      { path: "experiment_id", message: "belongs to another suite" },
    ]);
  return row.id;
}

export function experimentView(row: ExperimentRow, extra: { suite_name: string; run_count: number }) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    suite_id: row.suiteId,
    suite_name: extra.suite_name,
    status: row.status,
    baseline_eval_id: row.baselineEvalId,
    baseline_score: row.baselineScore,
    best_score: row.bestScore,
    best_source: row.bestSource,
    best_source_id: row.bestSourceId,
    best_config: (row.bestConfig ?? null) as Record<string, unknown> | null,
    run_count: extra.run_count,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
