/**
 * What an experiment's timeline is made of: one entry per kind of linked run, in TIMELINE_SOURCES. Each source
 * names its run table (which has `experiment_id`), the job types whose completion updates the experiment, and how
 * its rows read as timeline runs: score, per-case scores for the paired test against the baseline, and, when the
 * run can become the experiment's best, the config "run best" would submit.
 *
 * Adding a kind of linked run (the judge's reports) is one more entry in TIMELINE_SOURCES: the timeline, the
 * completion hook (bookkeeping.ts) and the run count read only this list.
 */
import { and, eq } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { type BestConfig, type BestSource, configSummary } from "../../shared/experiments.ts";
import type { JobType } from "../../shared/jobs.ts";
import type { ScoredCase } from "../../shared/stats/index.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { judgeReports, paramTuneRuns, paramTuneTrials, promptTuneRuns, promptTuneTrials, toolEvalResults, toolEvalRuns } from "../db/schema.ts";
import type { TuneAnswer } from "../param-tune/answer.ts";
import { TuneConfigSchema } from "../param-tune/config.ts";
import { PromptTuneConfigSchema } from "../prompt-tune/config.ts";
import { EvalConfigSchema } from "../tool-eval/eval-config.ts";

/** A linked run as the timeline and the bookkeeping see it. */
export interface LinkedRun {
  type: string;
  id: string;
  experimentId: string | null;
  status: string;
  createdAt: string;
  completedAt: string | null;
  /** 0–1; null while nothing is scored. */
  score: number | null;
  /** Scores per test case (one row per case, or per repeat of it) for the paired test; empty when not comparable. */
  cases: ScoredCase[];
  /** The config "run best" would submit, when this run may become the experiment's best. */
  best: BestConfig | null;
  configSummary: string;
  detail: Record<string, unknown>;
}

type LinkedTable = SQLiteTable & Record<"id" | "userId" | "experimentId" | "createdAt", SQLiteColumn>;

export interface TimelineSource {
  type: string;
  /** Jobs whose end updates the experiment's baseline and best (bookkeeping.ts). */
  jobTypes: readonly JobType[];
  /** Set when the source's runs can become the experiment's best (experiments.best_source). */
  bestSource?: BestSource;
  /** Whether its first finished run becomes the baseline when the experiment has none. */
  canBeBaseline?: boolean;
  table: LinkedTable;
  /** The rows (of `table`, the caller's own) as linked runs. */
  toRuns(db: Db, rows: unknown[]): Promise<LinkedRun[]>;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

// ---------------------------------------------------------------- tool-eval runs

type EvalRow = typeof toolEvalRuns.$inferSelect;

/**
 * An eval's per-case score is the mean over its models of the case's overall score, a failed call counting 0 (it
 * did not do the task); the run's score is the mean over cases. Cases deleted since have no id and are left out.
 */
async function evalCaseScores(db: Db, runIds: string[]): Promise<Map<string, ScoredCase[]>> {
  if (!runIds.length) return new Map();
  const rows = await db
    .select({
      runId: toolEvalResults.evalRunId,
      caseId: toolEvalResults.testCaseId,
      success: toolEvalResults.success,
      score: toolEvalResults.overallScore,
    })
    .from(toolEvalResults)
    .where(inList(toolEvalResults.evalRunId, runIds));
  const perRun = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    if (!r.caseId) continue;
    const byCase = perRun.get(r.runId) ?? new Map<string, number[]>();
    perRun.set(r.runId, byCase);
    const list = byCase.get(r.caseId) ?? [];
    list.push(r.success ? Math.min(1, Math.max(0, r.score ?? 0)) : 0);
    byCase.set(r.caseId, list);
  }
  return new Map([...perRun].map(([runId, byCase]) => [runId, [...byCase].map(([caseId, scores]) => ({ caseId, score: mean(scores)! }))]));
}

const evalSource: TimelineSource = {
  type: "eval",
  jobTypes: ["tool_eval"],
  bestSource: "eval",
  canBeBaseline: true,
  table: toolEvalRuns,
  async toRuns(db, rows) {
    const runs = rows as EvalRow[];
    const scores = await evalCaseScores(
      db,
      runs.map((r) => r.id),
    );
    return runs.map((run) => {
      const cases = scores.get(run.id) ?? [];
      const score = mean(cases.map((c) => c.score));
      const config = EvalConfigSchema.safeParse(run.config);
      const best: BestConfig | null = config.success
        ? {
            targets: config.data.targets,
            temperature: config.data.temperature,
            tool_choice: config.data.tool_choice,
            provider_params: config.data.provider_params,
            system_prompt: config.data.system_prompt,
            scorer: config.data.scorer,
            promoted_from: { type: "eval", id: run.id, label: null },
          }
        : null;
      return {
        type: "eval",
        id: run.id,
        experimentId: run.experimentId,
        status: run.status,
        createdAt: run.createdAt,
        completedAt: run.completedAt,
        score: score === null ? null : round4(score),
        cases,
        best,
        configSummary: best ? configSummary(best) : "defaults",
        detail: { models: best?.targets ?? [], cases: cases.length, scorer: run.scorer },
      };
    });
  },
};

// ---------------------------------------------------------------- parameter tunes

type ParamTuneRow = typeof paramTuneRuns.$inferSelect;

const paramTuneSource: TimelineSource = {
  type: "param_tune",
  jobTypes: ["param_tune"],
  bestSource: "param_tune",
  table: paramTuneRuns,
  async toRuns(db, rows) {
    return Promise.all(
      (rows as ParamTuneRow[]).map(async (run): Promise<LinkedRun> => {
        const answer = run.summary as TuneAnswer | null;
        const config = TuneConfigSchema.safeParse(run.config);
        const target = answer?.targets.find(
          (t) => t.provider_key === answer.best_provider_key && t.model_id === answer.best_model_id && t.best_combo,
        );
        const combo =
          target && config.success
            ? config.data.targets
                .find((t) => t.provider_key === target.provider_key && t.model_id === target.model_id)
                ?.combos.find((c) => c.id === target.best_combo)
            : undefined;
        const base = {
          type: "param_tune",
          id: run.id,
          experimentId: run.experimentId,
          status: run.status,
          createdAt: run.createdAt,
          completedAt: run.completedAt,
        };
        const detail = {
          strategy: run.strategy,
          total_combos: run.totalCombos,
          best_model_id: answer?.best_model_id ?? null,
          best_label: combo?.label ?? null,
        };
        if (!(target && combo && config.success) || run.bestScore === null)
          return { ...base, score: null, cases: [], best: null, configSummary: "no best combo", detail };
        // The best combo's trials (every repeat, search and held-out cases): what its score is made of.
        const trials = await db
          .select({ caseId: paramTuneTrials.caseId, score: paramTuneTrials.score })
          .from(paramTuneTrials)
          .where(
            and(
              eq(paramTuneTrials.tuneRunId, run.id),
              eq(paramTuneTrials.providerKey, target.provider_key),
              eq(paramTuneTrials.modelId, target.model_id),
              eq(paramTuneTrials.combo, combo.id),
            ),
          );
        const best: BestConfig = {
          targets: [{ provider_key: target.provider_key, model_id: target.model_id }],
          temperature: combo.temperature,
          tool_choice: combo.tool_choice,
          provider_params: Object.keys(combo.provider_params).length ? combo.provider_params : null,
          system_prompt: config.data.system_prompt,
          scorer: config.data.scorer,
          promoted_from: { type: "param_tune", id: run.id, label: combo.label },
        };
        return { ...base, score: round4(run.bestScore), cases: trials, best, configSummary: `best: ${configSummary(best)}`, detail };
      }),
    );
  },
};

// ---------------------------------------------------------------- prompt tunes

type PromptTuneRow = typeof promptTuneRuns.$inferSelect;

const promptTuneSource: TimelineSource = {
  type: "prompt_tune",
  jobTypes: ["prompt_tune"],
  bestSource: "prompt_tune",
  table: promptTuneRuns,
  async toRuns(db, rows) {
    return Promise.all(
      (rows as PromptTuneRow[]).map(async (run): Promise<LinkedRun> => {
        const bestKey = (run.summary as { best_key?: string | null } | null)?.best_key ?? null;
        const config = PromptTuneConfigSchema.safeParse(run.config);
        const base = {
          type: "prompt_tune",
          id: run.id,
          experimentId: run.experimentId,
          status: run.status,
          createdAt: run.createdAt,
          completedAt: run.completedAt,
        };
        const detail = { mode: run.mode, total_prompts: run.totalPrompts, prompt_preview: run.bestPrompt ? run.bestPrompt.slice(0, 80) : null };
        if (!(bestKey && run.bestPrompt && config.success) || run.bestScore === null)
          return { ...base, score: null, cases: [], best: null, configSummary: "no best prompt", detail };
        // Per case the mean over the tune's targets, as for an eval run.
        const trials = await db
          .select({ caseId: promptTuneTrials.caseId, score: promptTuneTrials.score })
          .from(promptTuneTrials)
          .where(and(eq(promptTuneTrials.tuneRunId, run.id), eq(promptTuneTrials.candidate, bestKey)));
        const byCase = new Map<string, number[]>();
        for (const t of trials) byCase.set(t.caseId, [...(byCase.get(t.caseId) ?? []), t.score]);
        const best: BestConfig = {
          targets: config.data.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
          temperature: config.data.temperature,
          tool_choice: config.data.tool_choice,
          provider_params: null,
          system_prompt: run.bestPrompt,
          scorer: config.data.scorer,
          promoted_from: { type: "prompt_tune", id: run.id, label: bestKey },
        };
        return {
          ...base,
          score: round4(run.bestScore),
          cases: [...byCase].map(([caseId, scores]) => ({ caseId, score: mean(scores)! })),
          best,
          configSummary: `best: ${configSummary(best)}`,
          detail,
        };
      }),
    );
  },
};

// ---------------------------------------------------------------- judge reports (issue 14)

type JudgeReportRow = typeof judgeReports.$inferSelect;

/**
 * A judge report on the timeline: its grade and score (the best model's, 0–100), what it judged. Its score is the
 * judge's opinion, not the automated score the baseline is, so it gets no delta and never becomes the best.
 */
const judgeSource: TimelineSource = {
  type: "judge",
  jobTypes: ["judge", "judge_compare"],
  table: judgeReports,
  async toRuns(_db, rows) {
    return (rows as JudgeReportRow[]).map((r) => ({
      type: "judge",
      id: r.id,
      experimentId: r.experimentId,
      status: r.status,
      createdAt: r.createdAt,
      completedAt: r.completedAt,
      score: null,
      cases: [],
      best: null,
      configSummary: `${r.mode === "comparative" ? "compare" : "judge"} ${r.judgeModelName}: ${r.overallGrade ?? "no grade yet"}${r.overallScore !== null ? ` (${r.overallScore}/100)` : ""}`,
      detail: {
        grade: r.overallGrade,
        overall_score: r.overallScore,
        mode: r.mode,
        eval_run_id: r.evalRunId,
        eval_run_id_b: r.evalRunIdB,
        judge_model: r.judgeModelId,
      },
    }));
  },
};

/** Every kind of run an experiment links. */
export const TIMELINE_SOURCES: readonly TimelineSource[] = [evalSource, paramTuneSource, promptTuneSource, judgeSource];

export function sourceForJob(type: JobType): TimelineSource | null {
  return TIMELINE_SOURCES.find((s) => s.jobTypes.includes(type)) ?? null;
}

/** The experiment's linked runs of one source, oldest first. */
export async function linkedRuns(db: Db, source: TimelineSource, userId: string, experimentId: string): Promise<LinkedRun[]> {
  const t = source.table;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(t.userId, userId), eq(t.experimentId, experimentId)))
    .orderBy(t.createdAt);
  return source.toRuns(db, rows);
}

export async function linkedRun(db: Db, source: TimelineSource, userId: string, runId: string): Promise<LinkedRun | null> {
  const t = source.table;
  const row = await db
    .select()
    .from(t)
    .where(and(eq(t.userId, userId), eq(t.id, runId)))
    .get();
  return row ? ((await source.toRuns(db, [row]))[0] ?? null) : null;
}
