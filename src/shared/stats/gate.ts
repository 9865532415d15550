/**
 * CI gates: a run against a stored baseline, with three outcomes. "fail" needs evidence of a drop beyond what the
 * user allows; "pass" needs evidence that any drop is within it; everything between is "insufficient_evidence",
 * with how much more data would decide. A gate never passes a run merely because the data were too few to see
 * a drop, and never fails one on noise.
 *
 * Score gate (points; scores per case, as `paired.ts`):
 *   fail  — the drop is significant (the paired test's verdict is "worse") and the observed drop exceeds max_drop;
 *   pass  — the interval's lower end is at or above −max_drop;
 *   else  — insufficient_evidence, with repeats (or cases) to detect a drop of max(max_drop, minEffect).
 * Latency gate (a percentile, p95 by default, of run vs baseline samples; two independent samples):
 *   change = run's p95 / baseline's p95 − 1, in percent; interval by resampling each sample on its own;
 *   fail  — the interval's lower end is above 0 (significantly slower) and the change exceeds max_increase_pct;
 *   pass  — the interval's upper end is at or below max_increase_pct;
 *   else  — insufficient_evidence. Runs needed: an interval shrinks like 1/√runs, so the runs that would bring
 *           its half-width under the observed change's distance from the limit (at least a quarter of the limit).
 *   Each sample needs at least 1 / (1 − q) values (20 for p95): with fewer, the percentile is the maximum.
 */
import { percentile } from "../metrics.ts";
import { type BootstrapOptions, bootstrapEstimates, percentileInterval, resolveBootstrap } from "./bootstrap.ts";
import { type PairedOptions, pairedTest, type ScoredCase } from "./paired.ts";
import { createRng } from "./random.ts";
import { pairedVerdict, type Significance, signed, type VerdictOptions } from "./verdict.ts";

export type GateOutcome = "pass" | "fail" | "insufficient_evidence";

export interface ScoreGate {
  outcome: GateOutcome;
  max_drop: number;
  significance: Significance;
  more_repeats_needed: number | null;
  more_cases_needed: number | null;
  statement: string;
}

export function scoreGate(
  run: readonly ScoredCase[],
  baseline: readonly ScoredCase[],
  maxDrop: number,
  options: PairedOptions & Omit<VerdictOptions, "pAdjusted" | "alphaDivisor" | "adjustment"> = {},
): ScoreGate {
  if (!(Number.isFinite(maxDrop) && maxDrop >= 0)) throw new RangeError(`max_drop must be ≥ 0 points, got ${maxDrop}`);
  const test = pairedTest(run, baseline, options);
  // The effect worth detecting is the allowed drop itself: that is where the decision lies.
  const significance = pairedVerdict(test, "baseline", { ...options, minEffect: Math.max(maxDrop, options.minEffect ?? 0) || undefined });
  const [lo] = test.ci;
  let outcome: GateOutcome;
  if (significance.verdict === "worse" && -test.diff > maxDrop) outcome = "fail";
  else if (test.n_cases > 0 && lo >= -maxDrop) outcome = "pass";
  else outcome = "insufficient_evidence";
  const more = outcome === "insufficient_evidence" ? significance : { more_repeats_needed: null, more_cases_needed: null };
  const head =
    outcome === "fail"
      ? `fail: score dropped ${signed(test.diff)} pts, more than the allowed ${maxDrop}`
      : outcome === "pass"
        ? `pass: any drop is within the allowed ${maxDrop} pts`
        : `insufficient evidence: cannot tell whether the score dropped more than ${maxDrop} pts`;
  const hint =
    outcome !== "insufficient_evidence"
      ? ""
      : more.more_repeats_needed !== null
        ? `; run about ${more.more_repeats_needed} more repeats per case to decide`
        : more.more_cases_needed !== null
          ? `; about ${more.more_cases_needed} more cases would decide`
          : "";
  return {
    outcome,
    max_drop: maxDrop,
    significance,
    more_repeats_needed: more.more_repeats_needed,
    more_cases_needed: more.more_cases_needed,
    statement: `${head} (${significance.statement})${hint}`,
  };
}

export interface LatencyGate {
  outcome: GateOutcome;
  quantile: number;
  run_value: number | null;
  baseline_value: number | null;
  /** Percent change of the percentile, run vs baseline. */
  change_pct: number | null;
  ci: [number, number] | null;
  ci_level: number;
  max_increase_pct: number;
  /** insufficient_evidence: runs to add (to each side) that would decide. */
  more_runs_needed: number | null;
  method: string;
  statement: string;
}

export function latencyGate(
  run: readonly number[],
  baseline: readonly number[],
  maxIncreasePct: number,
  options: BootstrapOptions & { quantile?: number; maxRuns?: number } = {},
): LatencyGate {
  const q = options.quantile ?? 0.95;
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile must be in (0, 1), got ${q}`);
  if (!(Number.isFinite(maxIncreasePct) && maxIncreasePct >= 0)) throw new RangeError(`max_increase_pct must be ≥ 0, got ${maxIncreasePct}`);
  for (const v of [...run, ...baseline]) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`latencies must be finite and ≥ 0, got ${v}`);
  const { seed, resamples, level } = resolveBootstrap(options);
  const label = `p${Math.round(q * 100)}`;
  const minSamples = Math.ceil(1 / (1 - q) - 1e-9);
  const sortedRun = [...run].sort((x, y) => x - y);
  const sortedBase = [...baseline].sort((x, y) => x - y);
  const runValue = sortedRun.length ? percentile(sortedRun, q) : null;
  const baseValue = sortedBase.length ? percentile(sortedBase, q) : null;
  const method = `${label} by linear interpolation; ${Math.round(level * 100)}% percentile bootstrap of the ratio, each sample resampled on its own, B = ${resamples}, seed ${seed}`;
  const shared = { quantile: q, run_value: runValue, baseline_value: baseValue, ci_level: level, max_increase_pct: maxIncreasePct, method };
  const fewest = Math.min(run.length, baseline.length);
  if (fewest < minSamples || !baseValue) {
    return {
      ...shared,
      outcome: "insufficient_evidence",
      change_pct: runValue !== null && baseValue ? 100 * (runValue / baseValue - 1) : null,
      ci: null,
      more_runs_needed: fewest < minSamples ? minSamples - fewest : null,
      statement:
        fewest < minSamples
          ? `insufficient evidence: a ${label} needs at least ${minSamples} runs on each side (have ${run.length} and ${baseline.length})`
          : `insufficient evidence: the baseline's ${label} is 0`,
    };
  }
  const change = 100 * (runValue! / baseValue - 1);
  const pick = (sorted: readonly number[], draw: Uint32Array) => {
    const xs = Array.from(draw, (i) => sorted[i]!).sort((x, y) => x - y);
    return percentile(xs, q);
  };
  const estimates = bootstrapEstimates(
    [sortedRun.length, sortedBase.length],
    ([dr, db]) => {
      const b = pick(sortedBase, db!);
      return b > 0 ? 100 * (pick(sortedRun, dr!) / b - 1) : Number.NaN;
    },
    createRng(seed),
    resamples,
  );
  const ci = percentileInterval(estimates, level) ?? [change, change];
  let outcome: GateOutcome;
  if (ci[0] > 0 && change > maxIncreasePct) outcome = "fail";
  else if (ci[1] <= maxIncreasePct) outcome = "pass";
  else outcome = "insufficient_evidence";
  let moreRuns: number | null = null;
  if (outcome === "insufficient_evidence") {
    const halfWidth = (ci[1] - ci[0]) / 2;
    const target = Math.max(Math.abs(change - maxIncreasePct), maxIncreasePct / 4, 1);
    const needed = Math.ceil(fewest * (halfWidth / target) ** 2);
    moreRuns = Math.max(1, needed - fewest);
    if (options.maxRuns !== undefined && needed > options.maxRuns) moreRuns = null;
  }
  const numbers = `${label} ${signed(change)}% [${signed(ci[0])}, ${signed(ci[1])}] (${fmtMs(runValue!)} vs ${fmtMs(baseValue)})`;
  const statement =
    outcome === "fail"
      ? `fail: ${numbers}, more than the allowed +${maxIncreasePct}%`
      : outcome === "pass"
        ? `pass: ${numbers}, within the allowed +${maxIncreasePct}%`
        : `insufficient evidence: ${numbers} against the allowed +${maxIncreasePct}%${moreRuns !== null ? `; about ${moreRuns} more runs would decide` : ""}`;
  return { ...shared, outcome, change_pct: change, ci, more_runs_needed: moreRuns, statement };
}

function fmtMs(x: number): string {
  return `${Number(x.toPrecision(4))} ms`;
}
