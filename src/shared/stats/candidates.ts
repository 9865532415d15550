/**
 * Naming the best of several candidates (parameter combos, prompts) scored on the same cases.
 *
 * - Ranking is by mean score over cases (each case's repeats averaged first, as in `paired.ts`). Candidates whose
 *   means are equal share a rank, and a tie at the top names no best: order of input never breaks a tie.
 * - Shown: the best against the runner-up (every candidate at the second-highest mean) and against the baseline.
 *   Their p-values are Holm-adjusted across the comparisons shown that could name a winner (a candidate tied at
 *   the top is shown too, but its zero difference can never be called better).
 * - Picking the best of many inflates its lead over the baseline (the maximum of k noisy scores sits above its
 *   true value), so before Holm the baseline comparison's p is multiplied by the k − 1 candidates the best was
 *   picked from (Bonferroni's union bound: under "no candidate beats the baseline", the chance that any of the
 *   k − 1 would reach p ≤ alpha / (k − 1) is at most alpha, whichever is picked). The runner-up comparison needs no
 *   such factor: the gap between the two highest of many equal candidates is smaller, not larger, than between
 *   two candidates taken alone. When only finalists are ranked (`pickedFrom`), k counts everything searched.
 * - A candidate with no scored case is left out of the ranking: it has nothing to rank by.
 */

import { mean } from "./bootstrap.ts";
import { holm } from "./multiple.ts";
import type { ScoredCase } from "./paired.ts";
import { type PairedOptions, pairCases, pairedTestOnCases } from "./paired.ts";
import { pairedVerdict, type Significance, signed, type VerdictOptions } from "./verdict.ts";

export interface Candidate {
  id: string;
  results: readonly ScoredCase[];
}

export interface CandidateOptions extends PairedOptions, Omit<VerdictOptions, "pAdjusted" | "alphaDivisor" | "adjustment"> {
  /** The candidate the user started from (current settings, the original prompt). */
  baselineId?: string;
  /**
   * How many candidates the ranked ones were picked from, the baseline included, when the ranking holds only the
   * finalists of a larger search (successive halving drops most combos before the end). Defaults to the number
   * ranked. The selection factor counts every candidate that could have become the best.
   */
  pickedFrom?: number;
}

export interface RankedCandidate {
  id: string;
  /** Mean score in points over this candidate's own cases. */
  mean: number;
  n_cases: number;
  /** Competition rank: equal means share a rank (1, 2, 2, 4). */
  rank: number;
}

export type ComparisonRole = "runner_up" | "baseline" | "tied_for_best";

export interface CandidateSignificance extends Significance {
  candidate: string;
  roles: ComparisonRole[];
}

export interface CandidateComparison {
  ranking: RankedCandidate[];
  /** The single top candidate, or null when several tie for the top. */
  best_id: string | null;
  /** All candidates sharing the top mean when that is more than one. */
  tied_for_best: string[];
  /** Each top candidate against the runner-up(s), the baseline and the others tied with it. */
  significance: CandidateSignificance[];
  statement: string;
}

/** Means closer than this (in points) are equal: float sums of the same scores in another order differ slightly. */
const TIE_TOLERANCE = 1e-9;

export function compareCandidates(candidates: readonly Candidate[], options: CandidateOptions = {}): CandidateComparison {
  const ids = new Set<string>();
  for (const c of candidates) {
    if (ids.has(c.id)) throw new RangeError(`candidate id ${c.id} appears twice`);
    ids.add(c.id);
  }
  if (options.baselineId !== undefined && !ids.has(options.baselineId)) throw new RangeError(`baseline ${options.baselineId} is not a candidate`);
  const ranking = rank(candidates);
  if (!ranking.length) return { ranking, best_id: null, tied_for_best: [], significance: [], statement: "no candidates" };

  const top = ranking.filter((r) => r.rank === 1).map((r) => r.id);
  const secondRank = ranking.find((r) => r.rank > 1)?.rank;
  const runnersUp = top.length === 1 ? ranking.filter((r) => r.rank === secondRank).map((r) => r.id) : [];
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const significance: CandidateSignificance[] = [];
  if (options.pickedFrom !== undefined && !(Number.isInteger(options.pickedFrom) && options.pickedFrom >= 1))
    throw new RangeError(`pickedFrom must be a positive integer, got ${options.pickedFrom}`);
  const pickedFrom = Math.max(options.pickedFrom ?? 0, ranking.length) - 1;
  for (const leader of top) {
    const shown = ranking
      .filter((r) => r.id !== leader)
      .map((r) => {
        const roles: ComparisonRole[] = [];
        if (top.includes(r.id)) roles.push("tied_for_best");
        if (runnersUp.includes(r.id)) roles.push("runner_up");
        if (r.id === options.baselineId) roles.push("baseline");
        return { other: r.id, roles };
      })
      .filter((x) => x.roles.length);
    const tests = shown.map(({ other }) => {
      const { cases, unpaired } = pairCases(byId.get(leader)!.results, byId.get(other)!.results);
      return pairedTestOnCases(cases, unpaired, options);
    });
    const factors = shown.map(({ roles }) => (roles.includes("baseline") ? pickedFrom : 1));
    // A comparison with a candidate tied at the same mean cannot come out "better" (its difference is zero), so it
    // makes no claim to guard against: Holm's family is the comparisons that can.
    const claims = shown.flatMap((x, i) => (x.roles.length === 1 && x.roles[0] === "tied_for_best" ? [] : [i]));
    const adjustedClaims = holm(claims.map((i) => Math.min(1, tests[i]!.p_value * factors[i]!)));
    const adjusted = shown.map((_, i) => {
      const at = claims.indexOf(i);
      return at < 0 ? tests[i]!.p_value : adjustedClaims[at]!;
    });
    shown.forEach(({ other, roles }, i) => {
      const family = claims.includes(i) ? claims.length : 1;
      const verdict = pairedVerdict(tests[i]!, other, {
        ...options,
        pAdjusted: adjusted[i]!,
        alphaDivisor: family * factors[i]!,
        adjustment: adjustmentText(family, factors[i]!),
      });
      significance.push({ ...verdict, candidate: leader, roles });
    });
  }
  const best = top.length === 1 ? top[0]! : null;
  const topMean = signed(ranking[0]!.mean).replace("+", "");
  const statement = best
    ? [`${best} scores highest (${topMean} pts)`, ...significance.map((s) => s.statement)].join("; ")
    : `${top.join(", ")} tie for the top at ${topMean} pts: no best is named`;
  return { ranking, best_id: best, tied_for_best: top.length > 1 ? top : [], significance, statement };
}

function adjustmentText(shown: number, pickedFrom: number): string | undefined {
  const parts: string[] = [];
  if (pickedFrom > 1) parts.push(`× ${pickedFrom} for picking the best of ${pickedFrom} candidates`);
  if (shown > 1) parts.push(`Holm-adjusted over the ${shown} comparisons shown`);
  return parts.length ? `p ${parts.join(", then ")}` : undefined;
}

function rank(candidates: readonly Candidate[]): RankedCandidate[] {
  const rows = candidates.map((c) => {
    const byCase = new Map<string, number[]>();
    for (const r of c.results) {
      if (!(Number.isFinite(r.score) && r.score >= 0 && r.score <= 1))
        throw new RangeError(`score of case ${r.caseId} must be a fraction in [0, 1], got ${r.score}`);
      const list = byCase.get(r.caseId);
      if (list) list.push(r.score);
      else byCase.set(r.caseId, [r.score]);
    }
    // Case means in caseId order so the float sum (and so a tie) does not depend on row order.
    const caseMeans = [...byCase.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, s]) => mean(s));
    return { id: c.id, mean: caseMeans.length ? 100 * mean(caseMeans) : Number.NaN, n_cases: caseMeans.length, rank: 0 };
  });
  const scored = rows.filter((r) => !Number.isNaN(r.mean));
  // Display order for equal means is by id; the shared rank says they are equal.
  scored.sort((x, y) => (Math.abs(x.mean - y.mean) > TIE_TOLERANCE ? y.mean - x.mean : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  scored.forEach((r, i) => {
    const prev = scored[i - 1];
    r.rank = prev && Math.abs(prev.mean - r.mean) <= TIE_TOLERANCE ? prev.rank : i + 1;
  });
  return scored;
}
