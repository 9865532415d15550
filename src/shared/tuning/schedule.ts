/**
 * Which trials a parameter tune runs next, decided from the trials stored so far (so a redelivered worker, or
 * one resumed after a restart, asks for exactly what is missing and nothing twice).
 *
 * A tune is a list of rungs. `grid` and `random` have one rung: every combo on every search case. `halving` is
 * successive halving over cases (Jamieson & Talwalkar, 2016): every combo on a small seeded subset of the
 * cases, the top 1/eta kept, the subset grown eta-fold, until the survivors run on every search case. A case a
 * combo ran on at an earlier rung is not run again: the next rung only adds cases.
 *
 * Rules that keep the answer honest:
 * - the baseline (the user's current settings) survives every rung, so the winner is always compared with it on
 *   the same cases;
 * - combos tied at the cut all survive (order never breaks a tie);
 * - at least two combos reach the last rung when there are two, so there is a runner-up to compare with;
 * - held-out cases (never seen by the search) then run the finalists: the best and the baseline.
 */

import { createRng, shuffle } from "../stats/index.ts";

/** Survivors kept per rung: the top 1/eta. */
export const HALVING_ETA = 3;
/** The smallest case subset a rung ranks on: fewer says too little to cut anything. */
export const MIN_RUNG_CASES = 4;

export interface Rung {
  /** The first `cases` search cases (in the tune's seeded order). */
  cases: number;
  /** How many combos survive this rung (before ties and the baseline are added). */
  keep: number;
}

export type Strategy = "grid" | "random" | "halving";

/** The rungs for `combos` candidates on `cases` search cases. */
export function rungsFor(strategy: Strategy, combos: number, cases: number, eta = HALVING_ETA): Rung[] {
  if (strategy !== "halving" || combos <= 2 || cases <= MIN_RUNG_CASES) return [{ cases, keep: combos }];
  const alive = [combos];
  while (alive[alive.length - 1]! > 2) alive.push(Math.max(2, Math.ceil(alive[alive.length - 1]! / eta)));
  const last = alive.length - 1;
  const rungs: Rung[] = [];
  alive.forEach((_, r) => {
    const size = r === last ? cases : Math.min(cases, Math.max(MIN_RUNG_CASES, Math.ceil(cases / eta ** (last - r))));
    const keep = r === last ? alive[r]! : alive[r + 1]!;
    // Two rungs on the same cases rank on the same data: one cut to the later rung's size says the same.
    const prev = rungs[rungs.length - 1];
    if (prev && prev.cases === size) prev.keep = keep;
    else rungs.push({ cases: size, keep });
  });
  return rungs;
}

/** Trials a plan costs if no ties widen a cut: per rung, the survivors on the cases it adds, times repeats. */
export function plannedTrials(rungs: readonly Rung[], combos: number, repeats: number, holdoutCases: number, hasExtraBaseline: boolean): number {
  let alive = combos + (hasExtraBaseline ? 1 : 0);
  let done = 0;
  let total = 0;
  for (const rung of rungs) {
    total += alive * (rung.cases - done) * repeats;
    done = rung.cases;
    alive = Math.min(alive, rung.keep + (hasExtraBaseline ? 1 : 0));
  }
  // Finalists on held-out cases: the best and the baseline (one candidate when the baseline is the best).
  return total + (holdoutCases ? 2 * holdoutCases * repeats : 0);
}

/** The tune's case order and held-out split, fixed by its seed. */
export function splitCases(caseIds: readonly string[], holdoutFraction: number, seed: number): { search: string[]; holdout: string[] } {
  const order = shuffle([...caseIds], createRng(seed));
  const holdoutCount = holdoutFraction > 0 ? Math.min(order.length - 1, Math.max(1, Math.round(order.length * holdoutFraction))) : 0;
  return { holdout: order.slice(0, holdoutCount), search: order.slice(holdoutCount) };
}

export interface TrialRef {
  combo: string;
  caseId: string;
  repeat: number;
}

/** Stored scores: combo → case → repeat → score in [0, 1] (a failed call scores 0). */
export type TrialScores = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, number>>>;

/** Stored trials as the schedule reads them (a later row for the same trial replaces an earlier one). */
export function scoresOf(trials: Iterable<{ combo: string; caseId: string; repeat: number; score: number }>): TrialScores {
  const scores = new Map<string, Map<string, Map<number, number>>>();
  for (const t of trials) {
    const byCase = scores.get(t.combo) ?? new Map<string, Map<number, number>>();
    scores.set(t.combo, byCase);
    const reps = byCase.get(t.caseId) ?? new Map<number, number>();
    byCase.set(t.caseId, reps);
    reps.set(t.repeat, t.score);
  }
  return scores;
}

export interface ScheduleInput {
  /** Candidate ids in the tune's order; `baseline` is one of them. */
  combos: readonly string[];
  baseline: string;
  rungs: readonly Rung[];
  search: readonly string[];
  holdout: readonly string[];
  repeats: number;
  scores: TrialScores;
}

export interface ScheduleState {
  /** Trials still to run for the current stage (empty when the tune is complete). */
  missing: TrialRef[];
  stage: { kind: "rung"; rung: number } | { kind: "holdout" } | { kind: "done" };
  /** Candidates alive at the current stage. */
  alive: string[];
  /** Per candidate, the last rung it ran (its elimination point). */
  reached: Record<string, number>;
  /** The finalists run on held-out cases (empty before that stage). */
  finalists: string[];
}

/** Replays the schedule over the stored trials and says what runs next. */
export function nextTrials(input: ScheduleInput): ScheduleState {
  let alive = [...input.combos];
  const reached: Record<string, number> = {};
  for (const [r, rung] of input.rungs.entries()) {
    const cases = input.search.slice(0, rung.cases);
    for (const c of alive) reached[c] = r;
    const missing = missingTrials(alive, cases, input);
    if (missing.length) return { missing, stage: { kind: "rung", rung: r }, alive, reached, finalists: [] };
    if (r < input.rungs.length - 1) alive = survivors(alive, cases, rung.keep, input);
  }
  if (!input.holdout.length) return { missing: [], stage: { kind: "done" }, alive, reached, finalists: [] };
  const finalists = topByMean(alive, input.search, input.scores);
  if (!finalists.includes(input.baseline)) finalists.push(input.baseline);
  const missing = missingTrials(finalists, input.holdout, input);
  return { missing, stage: missing.length ? { kind: "holdout" } : { kind: "done" }, alive, reached, finalists };
}

function missingTrials(combos: readonly string[], cases: readonly string[], input: ScheduleInput): TrialRef[] {
  const out: TrialRef[] = [];
  for (const combo of combos)
    for (const caseId of cases)
      for (let repeat = 0; repeat < input.repeats; repeat++)
        if (!input.scores.get(combo)?.get(caseId)?.has(repeat)) out.push({ combo, caseId, repeat });
  return out;
}

/** Mean score of a candidate over `cases` (each case's repeats averaged first, so every case weighs the same). */
export function meanOver(scores: TrialScores, combo: string, cases: readonly string[]): number {
  let sum = 0;
  for (const caseId of cases) {
    const reps = [...(scores.get(combo)?.get(caseId)?.values() ?? [])];
    sum += reps.length ? reps.reduce((a, b) => a + b, 0) / reps.length : 0;
  }
  return cases.length ? sum / cases.length : 0;
}

/** Means closer than this are equal (float sums of the same scores in another order differ slightly). */
const TIE = 1e-9;

function survivors(alive: readonly string[], cases: readonly string[], keep: number, input: ScheduleInput): string[] {
  const means = new Map(alive.map((c) => [c, meanOver(input.scores, c, cases)]));
  const ranked = [...alive].sort((a, b) => means.get(b)! - means.get(a)!);
  const cut = means.get(ranked[Math.min(keep, ranked.length) - 1]!)!;
  // Everything tied with the last one kept survives too; so does the baseline.
  return alive.filter((c) => means.get(c)! >= cut - TIE || c === input.baseline);
}

function topByMean(alive: readonly string[], cases: readonly string[], scores: TrialScores): string[] {
  const means = alive.map((c) => ({ c, m: meanOver(scores, c, cases) }));
  const best = Math.max(...means.map((x) => x.m));
  return means.filter((x) => x.m >= best - TIE).map((x) => x.c);
}
