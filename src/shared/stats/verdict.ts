/**
 * The one place a test result becomes a claim. Every comparison that names a winner (tuners, experiments, judge
 * compare, CLI gates) turns its `PairedTest` into a `Significance` here, so the wording and the rules are the same
 * everywhere:
 *
 * - better / worse: p ≤ alpha (after Holm's correction when several comparisons share the claim) and the interval
 *   excludes 0 on the same side. Both must hold, so a shown interval never contradicts the verdict.
 * - not_distinguishable: otherwise, when the interval lies within ± minEffect (any difference is smaller than
 *   what matters), or when detecting a difference of max(|diff|, minEffect) would take more than maxRepeats
 *   repeats per case or more than maxCasesFactor times the cases (more data is not a practical answer).
 * - insufficient_evidence: otherwise, with how many more repeats (or cases, when repeats cannot help) would detect
 *   that difference with the given power (`evidenceNeeded`).
 *
 * A tie (identical scores on every case) is a tie: not_distinguishable, worded as such, never resolved by order.
 */
import { type EvidencePlan, evidenceNeeded, type PairedTest } from "./paired.ts";

export type Verdict = "better" | "worse" | "not_distinguishable" | "insufficient_evidence";

export interface Significance {
  verdict: Verdict;
  /** The other arm's name (runner-up, baseline, …). */
  compared_with: string;
  /** This arm − the other, in points. */
  diff: number;
  ci: [number, number];
  ci_level: number;
  /** The p the verdict used: adjusted when the comparison is one of several (see `method`), else the test's own. */
  p_value: number;
  p_value_raw: number;
  method: string;
  n_cases: number;
  repeats: number;
  /** insufficient_evidence: repeats per case to add to each arm, when repeats can decide. */
  more_repeats_needed: number | null;
  /** insufficient_evidence: cases to add when repeats cannot decide. */
  more_cases_needed: number | null;
  /** The verdict in one sentence, e.g. "better than baseline: +4.2 pts [+1.1, +7.5], p = 0.012 (40 cases)". */
  statement: string;
}

export interface VerdictOptions {
  alpha?: number;
  /** Smallest difference that matters, in points: intervals inside ± this are "not distinguishable". */
  minEffect?: number;
  /** Power wanted when estimating how much more data would decide. */
  power?: number;
  /** Most repeats per case worth suggesting. */
  maxRepeats?: number;
  /** Most cases worth suggesting, as a multiple of the cases compared (the 6 or so any test needs always are). */
  maxCasesFactor?: number;
  /** The p to decide on when the test's own was adjusted (for picking, for a family; see `candidates.ts`). */
  pAdjusted?: number;
  /** What alpha is divided by when estimating how much more data would decide: the adjustment's strictest step. */
  alphaDivisor?: number;
  /** How the p was adjusted, for the record (appended to `method`). */
  adjustment?: string;
  /** What the difference measures, for the statement; default "pts". */
  unit?: string;
}

export const VERDICT_DEFAULTS = { alpha: 0.05, minEffect: 2, power: 0.8, maxRepeats: 20, maxCasesFactor: 4 } as const;

export function pairedVerdict(test: PairedTest, comparedWith: string, options: VerdictOptions = {}): Significance {
  const alpha = options.alpha ?? VERDICT_DEFAULTS.alpha;
  const minEffect = options.minEffect ?? VERDICT_DEFAULTS.minEffect;
  const alphaDivisor = options.alphaDivisor ?? 1;
  const unit = options.unit ?? "pts";
  const p = options.pAdjusted ?? test.p_value;
  const [lo, hi] = test.ci;
  const base = {
    compared_with: comparedWith,
    diff: test.diff,
    ci: test.ci,
    ci_level: test.ci_level,
    p_value: p,
    p_value_raw: test.p_value,
    method: options.adjustment ? `${test.method}; ${options.adjustment}` : test.method,
    n_cases: test.n_cases,
    repeats: test.repeats,
  };
  const numbers = `${signed(test.diff)} ${unit} [${signed(lo)}, ${signed(hi)}], ${formatP(p)}`;
  const size = `${test.n_cases} case${test.n_cases === 1 ? "" : "s"}${test.repeats > 1 ? ` × ${test.repeats} repeats` : ""}`;
  const none = { more_repeats_needed: null, more_cases_needed: null };

  if (test.n_cases === 0) {
    return {
      ...base,
      verdict: "insufficient_evidence",
      ...none,
      statement: `insufficient evidence: no case was scored both here and in ${comparedWith}`,
    };
  }
  if (p <= alpha && ((test.diff > 0 && lo > 0) || (test.diff < 0 && hi < 0))) {
    const verdict = test.diff > 0 ? "better" : "worse";
    return { ...base, verdict, ...none, statement: `${verdict} than ${comparedWith}: ${numbers} (${size})` };
  }
  if (test.identical) {
    return {
      ...base,
      verdict: "not_distinguishable",
      ...none,
      statement: `tied with ${comparedWith}: identical scores on all ${size}`,
    };
  }
  if (lo >= -minEffect && hi <= minEffect) {
    return {
      ...base,
      verdict: "not_distinguishable",
      ...none,
      statement: `not distinguishable from ${comparedWith}: ${numbers}; any difference is under ${minEffect} ${unit} (${size})`,
    };
  }
  const plan = evidenceNeeded(test, {
    effect: Math.max(Math.abs(test.diff), minEffect),
    alpha: alpha / alphaDivisor,
    power: options.power ?? VERDICT_DEFAULTS.power,
    maxRepeats: options.maxRepeats ?? VERDICT_DEFAULTS.maxRepeats,
    maxCases: Math.ceil(test.n_cases * (options.maxCasesFactor ?? VERDICT_DEFAULTS.maxCasesFactor)),
  });
  if (!plan) {
    return {
      ...base,
      verdict: "not_distinguishable",
      ...none,
      statement: `not distinguishable from ${comparedWith}: ${numbers} (${size}); more runs would not practically tell them apart`,
    };
  }
  return {
    ...base,
    verdict: "insufficient_evidence",
    more_repeats_needed: plan.more_repeats,
    more_cases_needed: plan.more_cases,
    statement: `insufficient evidence vs ${comparedWith}: ${numbers} (${size}); ${planText(plan, test.n_cases, alpha)}`,
  };
}

function planText(plan: EvidencePlan, cases: number, alpha: number): string {
  if (plan.why === "noise") return `run about ${plan.more_repeats} more repeat${plan.more_repeats === 1 ? "" : "s"} per case to decide`;
  if (plan.why === "too_few_cases") {
    return `add at least ${plan.more_cases} more case${plan.more_cases === 1 ? "" : "s"}: ${cases} case${cases === 1 ? "" : "s"} cannot reach p ≤ ${alpha}, whatever the repeats`;
  }
  return `add about ${plan.more_cases} more case${plan.more_cases === 1 ? "" : "s"} to decide (the spread is between cases, which more repeats do not reduce)`;
}

/** "p = 0.012", "p = 0.61", "p = 1", "p < 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return "p < 0.001";
  return `p = ${Number(p.toPrecision(2))}`;
}

/** One decimal with an explicit sign: "+4.2", "-1.0", "0.0". */
export function signed(x: number): string {
  const rounded = Math.round(x * 10) / 10;
  if (rounded === 0) return "0.0";
  return `${rounded > 0 ? "+" : "-"}${Math.abs(rounded).toFixed(1)}`;
}
