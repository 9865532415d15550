/**
 * A parameter tune's answer for one target, from its stored trials: per-combo figures (score, tool %, param %,
 * latency p50/p95, tokens and cost per case, budgets met, Pareto front) and the best combo with its
 * significance against the runner-up and the baseline (the shared statistics module decides; nothing here
 * names a winner on its own). Used by the Worker for live and final views alike.
 */

import { type CandidateComparison, compareCandidates, pairedTest, pairedVerdict, type Significance } from "../stats/index.ts";
import type { Combo } from "./search-space.ts";

export interface Trial {
  combo: string;
  caseId: string;
  repeat: number;
  /** Overall score in [0, 1]; a failed call scores 0. */
  score: number;
  toolScore: number | null;
  paramScore: number | null;
  passed: boolean;
  error: string | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export interface Budgets {
  max_latency_ms?: number;
  max_cost_per_case?: number;
}

export interface ComboFigures {
  combo: string;
  config: Combo;
  baseline: boolean;
  /** Mean overall score over the search cases it ran (repeats averaged per case), 0–1. */
  overall_score: number | null;
  tool_accuracy: number | null;
  param_accuracy: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  input_tokens_per_case: number | null;
  output_tokens_per_case: number | null;
  /** Null when some trial's price is unknown. */
  cost_per_case: number | null;
  cases_run: number;
  cases_passed: number;
  trials: number;
  errors: number;
  /** Budgets it breaks, in words (empty: within budget). */
  violations: string[];
  /** Not beaten on score, latency and cost at once by another combo that ran every search case. */
  pareto: boolean;
  /** Ran every search case (the last rung): only these are ranked. */
  finalist: boolean;
}

export interface TargetAnswer {
  combos: ComboFigures[];
  comparison: CandidateComparison;
  /** The best combo (null: none, or a tie at the top). */
  best: string | null;
  /** The one statement to act on: the best against the baseline, or against the runner-up when the best is the baseline; a tie says so. */
  significance: Significance | null;
  /** The best against the baseline on held-out cases the search never saw (null without a held-out split). */
  holdout: Significance | null;
}

const round = (x: number, dp: number) => Math.round(x * 10 ** dp) / 10 ** dp;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Per case the mean of its repeats, then the mean over cases. */
function caseMean(trials: readonly Trial[], pick: (t: Trial) => number | null): number | null {
  const byCase = new Map<string, number[]>();
  for (const t of trials) {
    const v = pick(t);
    if (v === null) continue;
    byCase.set(t.caseId, [...(byCase.get(t.caseId) ?? []), v]);
  }
  return mean([...byCase.values()].map((v) => mean(v)!));
}

export function comboFigures(
  combo: { id: string; config: Combo; baseline: boolean },
  trials: readonly Trial[],
  searchCases: ReadonlySet<string>,
  budgets: Budgets,
): ComboFigures {
  const mine = trials.filter((t) => t.combo === combo.id && searchCases.has(t.caseId));
  const ok = mine.filter((t) => !t.error);
  const latencies = ok.flatMap((t) => (t.latencyMs === null ? [] : [t.latencyMs])).sort((a, b) => a - b);
  const cases = new Set(mine.map((t) => t.caseId));
  // Per trial (one case's call); unknown as soon as one trial's figure is unknown.
  const perCase = (pick: (t: Trial) => number | null) => {
    if (!mine.length) return null;
    let sum = 0;
    for (const t of mine) {
      const v = pick(t);
      if (v === null) return null;
      sum += v;
    }
    return sum / mine.length;
  };
  const score = caseMean(mine, (t) => t.score);
  const tool = caseMean(ok, (t) => t.toolScore);
  const param = caseMean(ok, (t) => t.paramScore);
  const p50 = percentile(latencies, 50);
  const cost = perCase((t) => t.costUsd);
  const violations: string[] = [];
  if (budgets.max_latency_ms !== undefined && p50 !== null && p50 > budgets.max_latency_ms)
    violations.push(`latency p50 ${Math.round(p50)} ms > ${budgets.max_latency_ms} ms`);
  if (budgets.max_cost_per_case !== undefined && cost !== null && cost > budgets.max_cost_per_case)
    violations.push(`cost per case $${cost.toPrecision(3)} > $${budgets.max_cost_per_case}`);
  const byCasePassed = new Map<string, boolean[]>();
  for (const t of mine) byCasePassed.set(t.caseId, [...(byCasePassed.get(t.caseId) ?? []), t.passed]);
  return {
    combo: combo.id,
    config: combo.config,
    baseline: combo.baseline,
    overall_score: score === null ? null : round(score, 4),
    tool_accuracy: tool === null ? null : round(tool * 100, 2),
    param_accuracy: param === null ? null : round(param * 100, 2),
    latency_p50_ms: p50 === null ? null : round(p50, 1),
    latency_p95_ms: latencies.length ? round(percentile(latencies, 95)!, 1) : null,
    input_tokens_per_case: perCase((t) => t.inputTokens),
    output_tokens_per_case: perCase((t) => t.outputTokens),
    cost_per_case: cost,
    cases_run: cases.size,
    // A case passes when every repeat passed.
    cases_passed: [...byCasePassed.values()].filter((v) => v.every(Boolean)).length,
    trials: mine.length,
    errors: mine.length - ok.length,
    violations,
    pareto: false,
    finalist: cases.size === searchCases.size,
  };
}

/** Marks the finalists no other finalist beats on score, latency p50 and cost at once. */
function markPareto(figures: ComboFigures[]): void {
  const finalists = figures.filter((f) => f.finalist && f.overall_score !== null);
  const worse = (a: number | null, b: number | null, lowerIsBetter: boolean) => (a === null || b === null ? false : lowerIsBetter ? a > b : a < b);
  const notWorse = (a: number | null, b: number | null, lowerIsBetter: boolean) => !worse(a, b, lowerIsBetter);
  for (const f of finalists) {
    f.pareto = !finalists.some(
      (g) =>
        g !== f &&
        notWorse(g.overall_score, f.overall_score, false) &&
        notWorse(g.latency_p50_ms, f.latency_p50_ms, true) &&
        notWorse(g.cost_per_case, f.cost_per_case, true) &&
        (worse(f.overall_score, g.overall_score, false) ||
          worse(f.latency_p50_ms, g.latency_p50_ms, true) ||
          worse(f.cost_per_case, g.cost_per_case, true)),
    );
  }
}

export interface TargetInput {
  combos: readonly { id: string; config: Combo; baseline: boolean }[];
  trials: readonly Trial[];
  search: readonly string[];
  holdout: readonly string[];
  budgets: Budgets;
  /** Seeds the bootstrap, so the same trials give the same interval. */
  seed: number;
}

export function answerFor(input: TargetInput): TargetAnswer {
  const searchSet = new Set(input.search);
  const combos = input.combos.map((c) => comboFigures(c, input.trials, searchSet, input.budgets));
  markPareto(combos);
  const baseline = input.combos.find((c) => c.baseline)?.id;
  // Ranked: finalists within budget, plus the baseline (the comparison the user acts on needs it).
  const ranked = combos.filter((f) => f.finalist && (!f.violations.length || f.combo === baseline));
  const results = (id: string, cases: ReadonlySet<string>) =>
    input.trials.filter((t) => t.combo === id && cases.has(t.caseId)).map((t) => ({ caseId: t.caseId, score: t.score }));
  // Halving ranks only its finalists, but the best was picked from every combo that ran on a search case.
  const searched = new Set(input.trials.filter((t) => searchSet.has(t.caseId)).map((t) => t.combo)).size;
  const comparison = compareCandidates(
    ranked.map((f) => ({ id: f.combo, results: results(f.combo, searchSet) })),
    { baselineId: ranked.some((f) => f.combo === baseline) ? baseline : undefined, seed: input.seed, pickedFrom: Math.max(1, searched) },
  );
  const best = comparison.best_id;
  const mine = comparison.significance.filter((s) => s.candidate === (best ?? comparison.tied_for_best[0]));
  const significance =
    mine.find((s) => s.roles.includes("tied_for_best")) ??
    mine.find((s) => s.roles.includes("baseline")) ??
    mine.find((s) => s.roles.includes("runner_up")) ??
    null;
  let holdout: Significance | null = null;
  if (best && baseline && best !== baseline && input.holdout.length) {
    const holdoutSet = new Set(input.holdout);
    const a = results(best, holdoutSet);
    const b = results(baseline, holdoutSet);
    if (a.length && b.length) holdout = pairedVerdict(pairedTest(a, b, { seed: input.seed }), `${baseline} on held-out cases`);
  }
  return { combos, comparison, best, significance, holdout };
}

/** A statement with candidate ids ("c3", "baseline", "g1p2") replaced by their labels, whole words, longest first (c12 is not c1). */
export function relabelText(text: string, labels: ReadonlyMap<string, string>): string {
  const ids = [...labels.keys()].sort((a, b) => b.length - a.length);
  return ids.reduce((t, id) => t.replace(new RegExp(`\\b${id}\\b`, "g"), labels.get(id)!), text);
}
