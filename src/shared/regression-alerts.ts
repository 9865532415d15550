/**
 * Regression and drift alerts of scheduled runs (issue 15): one scheduled run's per-model figures against the
 * schedule's baseline (its previous N runs), metric by metric. An alert needs both (stats `regressionCheck`): a
 * change in the bad direction beyond the user's threshold, and outside the baseline's noise: Mann–Whitney U of
 * this run's raw samples against the baseline runs' pooled samples when the run has at least
 * MIN_SAMPLES_FOR_RANK_TEST of them (TTFT, output speed, per-case tool scores), else the median/MAD band (robust z
 * of this run's value against the baseline runs' values, limit 3.5). Each alert names its likely cause where the
 * data shows one. Pure: the Worker feeds it stored rows, the tests feed it numbers.
 */
import { median, type RegressionCheck, regressionCheck } from "./stats/robust.ts";

export const ALERT_METRIC_NAMES = ["ttft_p50", "output_speed_p50", "error_rate", "cost_per_run", "tool_accuracy"] as const;
export type AlertMetric = (typeof ALERT_METRIC_NAMES)[number];
export type AlertCause = "model_version_changed" | "price_changed" | "rate_limit_surge" | "shift_beyond_noise";

/** Below this many samples in the run, a rank test cannot reach significance: the band on per-run values is used. */
export const MIN_SAMPLES_FOR_RANK_TEST = 3;

/** One model's figures in one scheduled run. */
export interface ModelRunFigures {
  run_id: string;
  provider_key: string;
  model_id: string;
  /** Measured requests (benchmark) or cases (tool eval), failed ones included. */
  attempts: number;
  failures: number;
  rate_limited: number;
  ttft_ms: number[];
  output_speed_tps: number[];
  /** Per-case tool scores in points (0–100). */
  tool_scores: number[];
  /** Mean cost of one measured request (benchmark) or case (tool eval, all its rounds), USD; null without a price. */
  cost_per_run: number | null;
  /** Mean input + output tokens of one measured request or case. */
  tokens_per_run: number | null;
  /** "model|system_fingerprint" strings the provider reported. */
  served: string[];
}

export interface AlertThresholds {
  ttft_p50_pct: number;
  output_speed_p50_pct: number;
  error_rate_pts: number;
  cost_per_run_pct: number;
  tool_accuracy_pts: number;
}

export interface AlertFinding {
  metric: AlertMetric;
  provider_key: string;
  model_id: string;
  baseline_value: number;
  value: number;
  /** % of the baseline for TTFT, speed and cost; points for error rate and tool accuracy. */
  change_pct: number;
  threshold: number;
  test: "mann_whitney" | "median_mad";
  check: RegressionCheck;
  cause: AlertCause;
  cause_detail: string;
}

interface MetricSpec {
  metric: AlertMetric;
  worseWhen: "higher" | "lower";
  /** Raw samples of the run (rank test), when the metric has them. */
  samples?: (f: ModelRunFigures) => number[];
  /** The run's one value (the band; also what is shown). */
  value: (f: ModelRunFigures) => number | null;
  threshold: (t: AlertThresholds) => { pct?: number; abs?: number };
  /**
   * The run's figure is a mean of its samples (tool accuracy: per-case scores of 0–100, whose median says little):
   * the rank test judges the noise, the threshold applies to the mean against the earlier runs' means.
   */
  meanOfSamples?: boolean;
}

const p50 = (xs: number[]) => (xs.length ? median(xs) : null);

const METRICS: MetricSpec[] = [
  { metric: "ttft_p50", worseWhen: "higher", samples: (f) => f.ttft_ms, value: (f) => p50(f.ttft_ms), threshold: (t) => ({ pct: t.ttft_p50_pct }) },
  {
    metric: "output_speed_p50",
    worseWhen: "lower",
    samples: (f) => f.output_speed_tps,
    value: (f) => p50(f.output_speed_tps),
    threshold: (t) => ({ pct: t.output_speed_p50_pct }),
  },
  {
    metric: "error_rate",
    worseWhen: "higher",
    value: (f) => (f.attempts ? (100 * f.failures) / f.attempts : null),
    threshold: (t) => ({ abs: t.error_rate_pts }),
  },
  { metric: "cost_per_run", worseWhen: "higher", value: (f) => f.cost_per_run, threshold: (t) => ({ pct: t.cost_per_run_pct }) },
  {
    metric: "tool_accuracy",
    worseWhen: "lower",
    samples: (f) => f.tool_scores,
    value: (f) => (f.tool_scores.length ? f.tool_scores.reduce((s, x) => s + x, 0) / f.tool_scores.length : null),
    threshold: (t) => ({ abs: t.tool_accuracy_pts }),
    meanOfSamples: true,
  },
];

export interface DetectOptions {
  thresholds: AlertThresholds;
  /** Fewest earlier runs (of this model) before anything is judged. */
  minBaselineRuns: number;
}

/** The alerts one run raises: `current` is the run's figures per model, `baseline` the earlier runs' (newest first). */
export function detectRegressions(current: ModelRunFigures[], baseline: ModelRunFigures[], o: DetectOptions): AlertFinding[] {
  const out: AlertFinding[] = [];
  for (const now of current) {
    const history = baseline.filter((b) => b.provider_key === now.provider_key && b.model_id === now.model_id);
    if (history.length < o.minBaselineRuns) continue;
    for (const spec of METRICS) {
      const value = spec.value(now);
      if (value === null) continue;
      const threshold = spec.threshold(o.thresholds);
      const options = { worseWhen: spec.worseWhen, thresholdPct: threshold.pct, thresholdAbs: threshold.abs };
      const samples = spec.samples?.(now) ?? [];
      const pooled = history.flatMap((h) => spec.samples?.(h) ?? []);
      let check: RegressionCheck;
      let test: AlertFinding["test"];
      if (samples.length >= MIN_SAMPLES_FOR_RANK_TEST && pooled.length >= MIN_SAMPLES_FOR_RANK_TEST) {
        check = regressionCheck(samples, pooled, { ...options, minHistory: MIN_SAMPLES_FOR_RANK_TEST });
        test = "mann_whitney";
        if (spec.meanOfSamples)
          check = onMeans(
            check,
            value,
            history.map(spec.value).filter((v): v is number => v !== null),
            options,
          );
      } else {
        const values = history.map(spec.value).filter((v): v is number => v !== null);
        if (values.length < o.minBaselineRuns) continue;
        check = regressionCheck(value, values, { ...options, minHistory: o.minBaselineRuns });
        test = "median_mad";
      }
      if (!check.alert || check.baseline_median === null || check.change === null) continue;
      const pct = threshold.abs !== undefined ? check.change : (check.change_pct ?? 0);
      out.push({
        metric: spec.metric,
        provider_key: now.provider_key,
        model_id: now.model_id,
        baseline_value: check.baseline_median,
        value: check.current,
        change_pct: pct,
        threshold: threshold.abs ?? threshold.pct ?? 0,
        test,
        check,
        ...likelyCause(spec.metric, now, history),
      });
    }
  }
  return out;
}

/** A rank test's verdict on the noise, with the threshold judged on the run's mean against the earlier runs' means. */
function onMeans(
  rank: RegressionCheck,
  value: number,
  means: number[],
  o: { worseWhen: "higher" | "lower"; thresholdPct?: number | undefined; thresholdAbs?: number | undefined },
): RegressionCheck {
  if (!means.length) return { ...rank, alert: false };
  const base = median(means);
  const change = value - base;
  const changePct = base !== 0 ? (100 * change) / Math.abs(base) : null;
  const beyond =
    (o.thresholdPct === undefined || (changePct !== null && Math.abs(changePct) > o.thresholdPct)) &&
    (o.thresholdAbs === undefined || Math.abs(change) > o.thresholdAbs);
  const bad = o.worseWhen === "higher" ? change > 0 : change < 0;
  const outsideNoise = rank.p_value !== null && rank.p_value <= 0.05;
  const status = !beyond ? "below_threshold" : !outsideNoise ? "within_noise" : bad ? "regression" : "improvement";
  const fmt = (x: number) => Number(x.toPrecision(4)).toString();
  return {
    ...rank,
    status,
    alert: status === "regression",
    current: value,
    baseline_median: base,
    change,
    change_pct: changePct,
    statement: `${status.replaceAll("_", " ")}: mean ${fmt(value)} vs median ${fmt(base)} of ${means.length} earlier runs' means, Mann–Whitney p = ${Number((rank.p_value ?? 1).toPrecision(2))} on the per-case scores`,
  };
}

/** What the data says about why: a new model build, a price change, a surge of 429s, or only a shift beyond noise. */
export function likelyCause(metric: AlertMetric, now: ModelRunFigures, history: ModelRunFigures[]): { cause: AlertCause; cause_detail: string } {
  const previous = history[0];
  if (previous && now.served.length && previous.served.length) {
    const before = [...new Set(previous.served)].sort();
    const after = [...new Set(now.served)].sort();
    if (before.join(",") !== after.join(",")) {
      return { cause: "model_version_changed", cause_detail: `the provider reported ${after.join(", ")} (was ${before.join(", ")})` };
    }
  }
  const usualRateLimited = median(history.map((h) => h.rate_limited));
  if (now.rate_limited >= 2 && now.rate_limited > 2 * usualRateLimited) {
    return {
      cause: "rate_limit_surge",
      cause_detail: `${now.rate_limited} of ${now.attempts} calls were refused with 429 (usually ${usualRateLimited})`,
    };
  }
  if (metric === "cost_per_run" && now.tokens_per_run !== null) {
    const tokens = history.map((h) => h.tokens_per_run).filter((t): t is number => t !== null);
    if (tokens.length) {
      const usual = median(tokens);
      if (usual > 0 && Math.abs(now.tokens_per_run - usual) / usual <= 0.1) {
        return {
          cause: "price_changed",
          cause_detail: `tokens per run unchanged (${Math.round(now.tokens_per_run)} vs ${Math.round(usual)}): the price per token changed`,
        };
      }
    }
  }
  return {
    cause: "shift_beyond_noise",
    cause_detail: "no change of model build, price or rate limiting in the data: a shift beyond the baseline's noise",
  };
}
