/**
 * An experiment's timeline: every linked run of every source (sources.ts), oldest first, each with its score, its
 * delta against the baseline and whether that delta is significant. Significance is the shared paired test
 * (`pairedTest` → `pairedVerdict`, docs/statistics.md) on the test cases the run and the baseline eval both scored,
 * so "significant", "not significant" and "insufficient evidence" mean here what they mean in the tuners.
 */
import { type BestConfig, significanceLabel, type TimelineEntry } from "../../shared/experiments.ts";
import { pairedTest, pairedVerdict, type ScoredCase } from "../../shared/stats/index.ts";
import type { Db } from "../db/client.ts";
import { type LinkedRun, linkedRun, linkedRuns, TIMELINE_SOURCES } from "./sources.ts";
import type { ExperimentRow } from "./store.ts";

/**
 * Random sign patterns per entry at most. Each delta is one comparison at α = 0.05 (no family to correct), so a
 * resolution of 1e-4 is ample; the default 100 000 (kept for the tuners' Holm families) cost ~0.1 s per clearly
 * significant entry on 200 cases, paid on every read of a timeline that may list dozens (10 000: ~15 ms).
 */
const TIMELINE_PERMUTATIONS = 10_000;

export interface Timeline {
  experiment_id: string;
  experiment_name: string;
  suite_id: string;
  baseline: { eval_id: string | null; score: number | null } | null;
  best: { score: number; source: string | null; source_id: string | null; config: BestConfig | null } | null;
  entries: TimelineEntry[];
}

export async function allLinkedRuns(db: Db, experiment: ExperimentRow): Promise<LinkedRun[]> {
  const lists = await Promise.all(TIMELINE_SOURCES.map((s) => linkedRuns(db, s, experiment.userId, experiment.id)));
  return lists.flat().sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

/** The baseline eval's per-case scores (it need not be linked: one chosen from history at creation is not). */
async function baselineCases(db: Db, experiment: ExperimentRow, runs: LinkedRun[]): Promise<ScoredCase[] | null> {
  const id = experiment.baselineEvalId;
  if (!id) return null;
  const linked = runs.find((r) => r.type === "eval" && r.id === id);
  if (linked) return linked.cases;
  const evalSource = TIMELINE_SOURCES.find((s) => s.canBeBaseline)!;
  return (await linkedRun(db, evalSource, experiment.userId, id))?.cases ?? null;
}

/** `summaryOf` rewrites each entry's config summary (a public share leaves free-form parameters out). */
export async function buildTimeline(
  db: Db,
  experiment: ExperimentRow,
  summaryOf: (run: LinkedRun) => string = (run) => run.configSummary,
): Promise<Timeline> {
  const runs = await allLinkedRuns(db, experiment);
  const baseCases = await baselineCases(db, experiment, runs);
  const baselineScore = experiment.baselineScore;
  const entries = runs.map((run): TimelineEntry => {
    const isBaseline = run.type === "eval" && run.id === experiment.baselineEvalId;
    const comparable = !isBaseline && run.score !== null && baselineScore !== null && baseCases !== null && run.cases.length > 0;
    // Seeded by the run, so the same data always give the same interval.
    const significance = comparable
      ? pairedVerdict(pairedTest(run.cases, baseCases, { seed: `${experiment.id}:${run.id}`, permutations: TIMELINE_PERMUTATIONS }), "baseline")
      : null;
    return {
      type: run.type,
      id: run.id,
      status: run.status,
      timestamp: run.createdAt,
      completed_at: run.completedAt,
      score: run.score,
      delta: run.score !== null && baselineScore !== null ? Math.round((run.score - baselineScore) * 10_000) / 10_000 : null,
      is_baseline: isBaseline,
      is_best: run.id === experiment.bestSourceId,
      config_summary: summaryOf(run),
      significance,
      significance_label: significance ? significanceLabel(significance.verdict) : null,
      detail: run.detail,
    };
  });
  return {
    experiment_id: experiment.id,
    experiment_name: experiment.name,
    suite_id: experiment.suiteId,
    baseline: experiment.baselineEvalId || baselineScore !== null ? { eval_id: experiment.baselineEvalId, score: baselineScore } : null,
    best:
      experiment.bestScore !== null
        ? {
            score: experiment.bestScore,
            source: experiment.bestSource,
            source_id: experiment.bestSourceId,
            config: (experiment.bestConfig ?? null) as BestConfig | null,
          }
        : null,
    entries,
  };
}
