/**
 * A prompt tune's answer, built from its plan and what is stored: every candidate's figures (per target, on the
 * search cases), each generation's outcome and survivors, the best prompt and its significance against the base
 * prompt (shared statistics module: paired bootstrap and McNemar over target × case, × the number of prompts
 * it was picked from, Holm across the comparisons shown), and the held-out check. Shown live while the tune runs
 * and written to the run row (with `tune_complete`) when the job ends.
 */
import { and, eq } from "drizzle-orm";
import { runDurationS } from "../../shared/jobs.ts";
import { percentile } from "../../shared/metrics.ts";
import { compareCandidates, pairedTest, pairedVerdict, type Significance } from "../../shared/stats/index.ts";
import {
  allCandidates,
  BASE_CANDIDATE,
  candidateScore,
  leadersOf,
  type PromptScheduleInput,
  type StoredGeneration,
  survivorsOf,
} from "../../shared/tuning/prompt-schedule.ts";
import type { CandidateView, GenerationView, PromptTuneAnswer, TargetFigures } from "../../shared/tuning/prompt-tune-answer.ts";
import { relabelText } from "../../shared/tuning/tune-summary.ts";
import type { Db } from "../db/client.ts";
import { promptTuneCandidates, promptTuneGenerations, promptTuneRuns, promptTuneTrials } from "../db/schema.ts";
import type { FinishContext } from "../jobs/kind.ts";
import { type PromptTuneConfig, PromptTuneConfigSchema, targetKeyOf } from "./config.ts";

type RunRow = typeof promptTuneRuns.$inferSelect;
type TrialRow = typeof promptTuneTrials.$inferSelect;
type CandidateRow = typeof promptTuneCandidates.$inferSelect;
type GenerationRow = typeof promptTuneGenerations.$inferSelect;

export interface StoredTune {
  run: RunRow;
  config: PromptTuneConfig;
  generations: GenerationRow[];
  candidates: CandidateRow[];
  trials: TrialRow[];
}

export async function loadStoredTune(db: Db, run: RunRow): Promise<StoredTune> {
  const [generations, candidates, trials] = await Promise.all([
    db.select().from(promptTuneGenerations).where(eq(promptTuneGenerations.tuneRunId, run.id)),
    db.select().from(promptTuneCandidates).where(eq(promptTuneCandidates.tuneRunId, run.id)),
    db.select().from(promptTuneTrials).where(eq(promptTuneTrials.tuneRunId, run.id)),
  ]);
  return { run, config: PromptTuneConfigSchema.parse(run.config), generations, candidates, trials };
}

/** The schedule's view of what is stored. */
export function scheduleInput(
  s: Omit<StoredTune, "trials"> & { trials: readonly Pick<TrialRow, "candidate" | "providerKey" | "modelId" | "caseId" | "score">[] },
): PromptScheduleInput {
  const scores = new Map<string, Map<string, Map<string, number>>>();
  for (const t of s.trials) {
    const byTarget = scores.get(t.candidate) ?? new Map<string, Map<string, number>>();
    scores.set(t.candidate, byTarget);
    const key = targetKeyOf({ provider_key: t.providerKey, model_id: t.modelId });
    const byCase = byTarget.get(key) ?? new Map<string, number>();
    byTarget.set(key, byCase);
    byCase.set(t.caseId, t.score);
  }
  const stored: StoredGeneration[] = s.generations.map((g) => ({
    generation: g.generation,
    status: g.status,
    candidates: s.candidates
      .filter((c) => c.generation === g.generation)
      .map((c) => ({ key: `g${c.generation}p${c.candidateIndex}`, generation: c.generation, index: c.candidateIndex, text: c.promptText })),
  }));
  return {
    generations: s.config.generations,
    selectionRatio: s.config.selection_ratio,
    targets: s.config.targets.map(targetKeyOf),
    search: s.config.search_cases,
    holdout: s.config.holdout_cases,
    basePrompt: s.run.basePrompt,
    stored,
    scores,
  };
}

/** A prompt tune runs each case once and has no repeats to add: "insufficient evidence" advises more cases. */
const NO_REPEATS = 1;
const labelOf = (key: string) => (key === BASE_CANDIDATE ? "base prompt" : key.replace(/^g(\d+)p(\d+)$/, "prompt $1.$2"));
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const sumOrNull = (xs: readonly (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + (b ?? 0), 0));

export function promptTuneAnswer(s: StoredTune): PromptTuneAnswer {
  const input = scheduleInput(s);
  const search = new Set(s.config.search_cases);
  const keys = allCandidates(input.stored);
  const texts = new Map<string, CandidateRow>(s.candidates.map((c) => [`g${c.generation}p${c.candidateIndex}`, c]));
  const survivors = new Set(input.stored.flatMap((g) => (g.status === "generated" && g.candidates.length ? survivorsOf(input, g) : [])));

  const candidates = keys.map((key): CandidateView => {
    const row = texts.get(key);
    const mine = s.trials.filter((t) => t.candidate === key && search.has(t.caseId));
    const targets = s.config.targets.map((t): TargetFigures => {
      const rows = mine.filter((r) => r.providerKey === t.provider_key && r.modelId === t.model_id);
      const ok = rows.filter((r) => !r.error);
      return {
        provider_key: t.provider_key,
        model_id: t.model_id,
        overall_score: mean(rows.map((r) => r.score)),
        tool_accuracy: mean(ok.flatMap((r) => (r.toolScore === null ? [] : [100 * r.toolScore]))),
        param_accuracy: mean(ok.flatMap((r) => (r.paramScore === null ? [] : [100 * r.paramScore]))),
        cases: rows.length,
        failed_calls: rows.length - ok.length,
      };
    });
    const latencies = mine.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs]));
    const cost = sumOrNull(mine.map((r) => r.costUsd));
    return {
      key,
      label: labelOf(key),
      generation: row?.generation ?? 0,
      index: row?.candidateIndex ?? 0,
      text: row?.promptText ?? s.run.basePrompt,
      style: row?.style ?? null,
      parent_key: row?.parentKey ?? null,
      mutation_type: row?.mutationType ?? null,
      score: candidateScore(input, key, s.config.search_cases),
      targets,
      survived: survivors.has(key),
      latency_p50_ms: latencies.length ? percentile(latencies, 50) : null,
      cost_per_case: cost === null || !mine.length ? null : cost / mine.length,
    };
  });

  const generations: GenerationView[] = Array.from({ length: s.config.generations }, (_, i) => {
    const g = i + 1;
    const row = s.generations.find((r) => r.generation === g);
    const own = candidates.filter((c) => c.generation === g && c.key !== BASE_CANDIDATE);
    const best = own.filter((c) => c.score !== null).sort((a, b) => b.score! - a.score! || a.index - b.index)[0];
    return {
      generation: g,
      status: row?.status ?? "pending",
      attempts: row?.attempts ?? null,
      answer_format: row?.answerFormat ?? null,
      error: row?.error ?? null,
      meta_cost_usd: row?.costUsd ?? null,
      candidates: own.map((c) => c.key),
      best_key: best?.key ?? null,
      best_score: best?.score ?? null,
      survivors: own.filter((c) => c.survived).map((c) => c.key),
    };
  });

  // Units of the paired tests: target × case, so two targets double the evidence rather than averaging it away.
  const unitResults = (key: string, cases: ReadonlySet<string>) =>
    s.trials
      .filter((t) => t.candidate === key && cases.has(t.caseId))
      .map((t) => ({ caseId: `${t.providerKey}::${t.modelId}::${t.caseId}`, score: t.score }));
  const scored = keys.filter((k) => candidates.find((c) => c.key === k)?.score !== null);
  const comparison = compareCandidates(
    scored.map((k) => ({ id: k, results: unitResults(k, search) })),
    {
      baselineId: scored.includes(BASE_CANDIDATE) ? BASE_CANDIDATE : undefined,
      seed: s.config.seed,
      pickedFrom: Math.max(1, scored.length),
      maxRepeats: NO_REPEATS,
    },
  );
  const labels = new Map(keys.map((k) => [k, labelOf(k)]));
  const relabel = (x: Significance): Significance => ({ ...x, compared_with: labelOf(x.compared_with), statement: relabelText(x.statement, labels) });
  const best = comparison.best_id;
  const mine = comparison.significance.filter((x) => x.candidate === (best ?? comparison.tied_for_best[0]));
  // The question a prompt tune answers is "is it better than what I have?": the base comparison comes first, also
  // when several prompts tie for the top (each is then compared with the base; `tied_for_best` names them).
  const headline =
    mine.find((x) => x.roles.includes("baseline")) ??
    mine.find((x) => x.roles.includes("tied_for_best")) ??
    mine.find((x) => x.roles.includes("runner_up")) ??
    null;

  // The held-out check: each prompt at the top (by search score) against the base on cases the search never saw.
  const held = new Set(s.config.holdout_cases);
  const holdout = held.size
    ? leadersOf(input, keys)
        .filter((k) => k !== BASE_CANDIDATE)
        .flatMap((k) => {
          const a = unitResults(k, held);
          const b = unitResults(BASE_CANDIDATE, held);
          if (!a.length || !b.length) return [];
          return [
            {
              ...pairedVerdict(pairedTest(a, b, { seed: s.config.seed }), "base prompt on held-out cases", { maxRepeats: NO_REPEATS }),
              candidate: k,
            },
          ];
        })
    : [];
  const bestView = best ? candidates.find((c) => c.key === best)! : null;
  return {
    candidates,
    generations,
    base_score: candidates.find((c) => c.key === BASE_CANDIDATE)?.score ?? null,
    best_key: best,
    best_prompt: bestView?.text ?? null,
    best_score: bestView?.score ?? null,
    tied_for_best: comparison.tied_for_best,
    significance: headline ? relabel(headline) : null,
    comparisons: comparison.significance.map(relabel),
    holdout,
    statement: relabelText(comparison.statement, labels),
    trials_run: s.trials.length,
    meta_calls: s.generations.reduce((n, g) => n + g.attempts, 0),
    cost_usd: sumOrNull([...s.trials.map((t) => t.costUsd), ...s.generations.map((g) => g.costUsd)]),
  };
}

/** When the job ends (any way): the answer from what was stored, written once and announced. */
export async function finishPromptTune(ctx: FinishContext) {
  const run = await ctx.db
    .select()
    .from(promptTuneRuns)
    .where(and(eq(promptTuneRuns.id, ctx.runId), eq(promptTuneRuns.userId, ctx.userId)))
    .get();
  if (!run) return [];
  const answer = promptTuneAnswer(await loadStoredTune(ctx.db, run));
  await ctx.db
    .update(promptTuneRuns)
    .set({ summary: answer, bestScore: answer.best_score, bestPrompt: answer.best_prompt })
    .where(eq(promptTuneRuns.id, run.id));
  return [
    {
      type: "tune_complete" as const,
      tuner: "prompt" as const,
      tune_id: run.id,
      status: run.status,
      best_prompt: answer.best_prompt,
      best_score: answer.best_score,
      duration_s: runDurationS(run.createdAt, run.completedAt),
      significance: answer.significance as unknown as Record<string, unknown> | null,
    },
  ];
}
