/** What both judge kinds check at submission: the eval runs (owned), the judges (configured), the concurrency. */
import { and, asc, eq } from "drizzle-orm";
import { providerBaseUrl } from "../config/operator-keys.ts";
import type { Db } from "../db/client.ts";
import { judgeReports, toolEvalResults, toolEvalRuns, toolTestCases } from "../db/schema.ts";
import { ApiError, notFound } from "../lib/errors.ts";
import { type ResolvedTarget, requestedTargets, resolveTargets } from "../llm/targets.ts";
import { EvalConfigSchema } from "../tool-eval/eval-config.ts";
import { judgeRef } from "./config.ts";

export const validationFailed = (path: string, message: string) => new ApiError(400, "validation_failed", message, [{ path, message }]);

export async function ownedEvalRun(db: Db, userId: string, id: string) {
  const run = await db
    .select()
    .from(toolEvalRuns)
    .where(and(eq(toolEvalRuns.id, id), eq(toolEvalRuns.userId, userId)))
    .get();
  if (!run) throw notFound("Eval run");
  return run;
}

export async function judgeTarget(db: Db, userId: string, path: string, model: string, providerKey?: string): Promise<ResolvedTarget> {
  const found = await requestedTargets(db, userId, judgeRef(model, providerKey)).catch(() => null);
  if (!found?.[0]) throw validationFailed(path, `No model "${model}" to judge with: add it under Settings → Providers`);
  return found[0];
}

export const refOf = (t: ResolvedTarget) => ({ provider_key: t.providerKey, model_id: t.modelId, model_name: t.modelName });

/**
 * The judge calls at once: as asked, but 1 when the judge is served from the base URL of a model it judges
 * (the same local server would be judged and judging at once, and its timings were what the eval measured).
 */
export async function boundedConcurrency(
  env: Env,
  db: Db,
  userId: string,
  judges: ResolvedTarget[],
  evalRuns: Array<typeof toolEvalRuns.$inferSelect>,
  asked: number,
): Promise<{ concurrency: number; note: string | null }> {
  const refs = evalRuns.flatMap((r) => EvalConfigSchema.parse(r.config).targets);
  const { found } = await resolveTargets(db, userId, refs);
  const evaluated = new Set(found.map((t) => providerBaseUrl(env, t)).filter(Boolean));
  const shared = judges.find((j) => evaluated.has(providerBaseUrl(env, j)));
  if (!shared || asked === 1) return { concurrency: asked, note: null };
  return { concurrency: 1, note: `Concurrency forced to 1: the judge ${shared.modelName} is served from the same base URL as a model it judges` };
}

/** The run's judgeable results (successful, case still in the suite), grouped by model in the run's order. */
export async function judgeableResults(db: Db, evalRunId: string) {
  const rows = await db
    .select({
      id: toolEvalResults.id,
      providerKey: toolEvalResults.providerKey,
      modelId: toolEvalResults.modelId,
      modelName: toolEvalResults.modelName,
      testCaseId: toolEvalResults.testCaseId,
    })
    .from(toolEvalResults)
    .innerJoin(toolTestCases, eq(toolEvalResults.testCaseId, toolTestCases.id))
    .where(and(eq(toolEvalResults.evalRunId, evalRunId), eq(toolEvalResults.success, true)))
    .orderBy(asc(toolEvalResults.providerKey), asc(toolEvalResults.modelId), asc(toolTestCases.sortOrder), asc(toolTestCases.createdAt));
  return rows;
}

export async function ownedReport(db: Db, userId: string, id: string) {
  const row = await db
    .select()
    .from(judgeReports)
    .where(and(eq(judgeReports.id, id), eq(judgeReports.userId, userId)))
    .get();
  if (!row) throw notFound("Judge report");
  return row;
}

/** Items of `size`, in order (the judge calls one item makes at once). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
