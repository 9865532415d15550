/**
 * The capacity probe's arithmetic, as pure functions over stored samples: each level's figures, achieved
 * concurrency from the requests' real (send, end) intervals, the knee, the highest level meeting the SLO, the
 * stop rules and the open loop's seeded Poisson arrivals. The Worker stores and reads; everything it reports is
 * computed here, so a stored run can be recomputed and these rules are tested in Node.
 */
import {
  CAPACITY_STOP_SHARE,
  type CapacityLevelResult,
  type CapacityPercentiles,
  type CapacitySample,
  type CapacitySlo,
  type CapacityStopReason,
} from "./capacity.ts";
import { percentile, runMetrics } from "./metrics.ts";
import { createRng } from "./stats/random.ts";

/** A level's mean achieved concurrency below this share of the requested one marks it `concurrency_short`. */
export const CONCURRENCY_SHORT_SHARE = 0.9;
/** Knee rule: a step whose aggregate throughput grew by less than this share (while latency rose) is flat. */
export const KNEE_MIN_GAIN = 0.1;
/** At most this many requests are in flight per lane (one Durable Object): below Workers' six-connection limit. */
export const STREAMS_PER_LANE = 4;
/** Open loop: at level L up to this many × L requests may be in flight. */
export const OPEN_LOOP_IN_FLIGHT_FACTOR = 2;

// ---------------------------------------------------------------- the ladder's shape

/** Closed loop, `hold_requests` R at level L: every one of the L streams sends ceil(max(R, L) / L) requests. */
export function requestsPerStream(level: number, holdRequests: number): number {
  return Math.ceil(Math.max(holdRequests, level) / level);
}

/** The arrival rate (req/s) of an open-loop level: `rate` is the first level's, the others scale with the level. */
export function openLoopRate(rate: number, level: number, firstLevel: number): number {
  return (rate * level) / firstLevel;
}

/** Streams a level needs at once: L (closed loop) or the open loop's in-flight cap. */
export function slotsFor(loop: "closed" | "open", level: number): number {
  return loop === "closed" ? level : OPEN_LOOP_IN_FLIGHT_FACTOR * level;
}

/** Lanes (Durable Objects of STREAMS_PER_LANE streams each) a level is spread over. */
export function lanesFor(loop: "closed" | "open", level: number): number {
  return Math.ceil(slotsFor(loop, level) / STREAMS_PER_LANE);
}

/**
 * Poisson arrivals: offsets (ms from the level's start) with exponential gaps of mean 1000 / rate, from a seeded
 * generator, so a run's schedule is reproducible. `count` arrivals, or as many as fall before `durationMs`.
 */
export function poissonArrivals(ratePerS: number, seed: number | string, limit: { count: number } | { durationMs: number }): number[] {
  const rng = createRng(seed);
  const meanGap = 1000 / ratePerS;
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rng()) * meanGap; // 1 − u is in (0, 1]: never log(0)
    if ("count" in limit ? out.length >= limit.count : t >= limit.durationMs) return out;
    out.push(t);
  }
}

// ---------------------------------------------------------------- concurrency

export interface Interval {
  start: number;
  end: number;
}

/** In-flight count as a step function: [time, count from that time on], sorted, one point per change. */
export function inFlightSteps(intervals: readonly Interval[]): Array<[number, number]> {
  const edges: Array<[number, number]> = [];
  for (const i of intervals) {
    if (i.end <= i.start) continue;
    edges.push([i.start, 1], [i.end, -1]);
  }
  // Ends before starts at the same instant: a request that ends as the next one starts is not two in flight.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const steps: Array<[number, number]> = [];
  let n = 0;
  for (const [t, d] of edges) {
    n += d;
    if (steps.length && steps[steps.length - 1]![0] === t) steps[steps.length - 1]![1] = n;
    else steps.push([t, n]);
  }
  return steps;
}

/** Time-weighted mean and the minimum of the in-flight count over [from, to]; null when the window is empty. */
export function concurrencyOver(intervals: readonly Interval[], from: number, to: number): { mean: number; min: number } | null {
  if (!(to > from)) return null;
  const steps = inFlightSteps(intervals);
  let n = 0;
  let i = 0;
  while (i < steps.length && steps[i]![0] <= from) n = steps[i++]![1];
  let t = from;
  let area = 0;
  let min = n;
  for (; i < steps.length && steps[i]![0] < to; i++) {
    area += n * (steps[i]![0] - t);
    t = steps[i]![0];
    n = steps[i]![1];
    min = Math.min(min, n);
  }
  area += n * (to - t);
  return { mean: area / (to - from), min };
}

/** The in-flight step function downsampled to at most `points` points (each the mean over its bucket), times from `origin`. */
export function concurrencyTimeline(intervals: readonly Interval[], origin: number, points = 200): Array<{ t_ms: number; in_flight: number }> {
  const valid = intervals.filter((i) => i.end > i.start);
  if (!valid.length) return [];
  const from = Math.min(...valid.map((i) => i.start));
  const to = Math.max(...valid.map((i) => i.end));
  const buckets = Math.max(1, Math.min(points, Math.ceil(to - from)));
  const width = (to - from) / buckets;
  const out: Array<{ t_ms: number; in_flight: number }> = [];
  for (let b = 0; b < buckets; b++) {
    const a = from + b * width;
    const c = concurrencyOver(valid, a, a + width);
    out.push({ t_ms: round(a - origin, 1), in_flight: round(c?.mean ?? 0, 2) });
  }
  return out;
}

/**
 * The steady window of a closed-loop level: from the moment the last stream sent its first request until the
 * first stream's last request ended. Before it the streams ramp up, after it they run out by design; inside it
 * every stream should have a request in flight. Falls back to [first send, first stream done] when the ramp took
 * longer than a stream's whole work (the level is then short, as it should be).
 */
export function steadyWindow(samples: readonly Pick<CapacitySample, "stream" | "sent_at" | "ended_at">[]): Interval | null {
  const byStream = new Map<number, { first: number; last: number }>();
  for (const s of samples) {
    const e = byStream.get(s.stream);
    if (!e) byStream.set(s.stream, { first: s.sent_at, last: s.ended_at });
    else {
      e.first = Math.min(e.first, s.sent_at);
      e.last = Math.max(e.last, s.ended_at);
    }
  }
  if (!byStream.size) return null;
  const streams = [...byStream.values()];
  const lastFirst = Math.max(...streams.map((s) => s.first));
  const firstLast = Math.min(...streams.map((s) => s.last));
  if (firstLast > lastFirst) return { start: lastFirst, end: firstLast };
  const firstFirst = Math.min(...streams.map((s) => s.first));
  return firstLast > firstFirst ? { start: firstFirst, end: firstLast } : null;
}

// ---------------------------------------------------------------- one level's figures

/**
 * A sample's per-request metrics through the shared definitions (spec/metrics.md, `runMetrics`): TTFT from the
 * actual send, ITL and output speed without TTFT. `last_token_at` is stored as metrics.md's t_last (the finish
 * event when it came after the last token).
 */
export function sampleMetrics(s: CapacitySample): { ttft: number | null; itl: number | null; e2e: number; tps: number | null } {
  const m = runMetrics(
    {
      t0: s.sent_at,
      firstEventAt: s.first_token_at,
      firstOutputAt: s.first_token_at,
      firstAnswerAt: s.first_token_at,
      lastOutputAt: s.last_token_at,
      finishAt: null,
      endAt: s.ended_at,
      outputTokens: s.output_tokens,
      inputTokens: s.input_tokens,
      tokenSource: null,
    },
    { inputPerMtok: null, outputPerMtok: null },
  );
  return { ttft: m.ttft_ms, itl: m.itl_ms, e2e: m.total_ms, tps: m.output_speed_tps };
}

function percentiles(values: Array<number | null>): CapacityPercentiles {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return { p50: null, p95: null, p99: null };
  return { p50: round(percentile(xs, 0.5), 2), p95: round(percentile(xs, 0.95), 2), p99: round(percentile(xs, 0.99), 2) };
}

export interface LevelContext {
  provider_key: string;
  model_id: string;
  level: number;
  loop: "closed" | "open";
  slo: CapacitySlo;
}

/**
 * A level's figures from its samples. Latency and speed come from successful requests only; 429s and other
 * errors are counted apart. Duration is first send → last end; requests/s and goodput are per second of it.
 * Aggregate output tokens/s of a closed loop is measured over the steady window (tokensWithin), so a short level's
 * ramp up and run out do not hide the throughput at L in flight; an open loop's is over the whole level.
 */
export function levelResult(ctx: LevelContext, samples: readonly CapacitySample[]): CapacityLevelResult {
  const ok = samples.filter((s) => s.status === "ok");
  const rateLimited = samples.filter((s) => s.status === "rate_limited").length;
  const errors = samples.filter((s) => s.status === "error").length;
  const n = samples.length;
  const metrics = ok.map(sampleMetrics);
  const from = n ? Math.min(...samples.map((s) => s.sent_at)) : 0;
  const to = n ? Math.max(...samples.map((s) => s.ended_at)) : 0;
  const durationS = Math.max(0, (to - from) / 1000);
  const intervals = samples.map((s) => ({ start: s.sent_at, end: s.ended_at }));
  const window = ctx.loop === "closed" ? steadyWindow(samples) : n ? { start: from, end: to } : null;
  const achieved = window ? concurrencyOver(intervals, window.start, window.end) : null;
  const ttft = percentiles(metrics.map((m) => m.ttft));
  const itl = percentiles(metrics.map((m) => m.itl));
  const outputTokens = ok.reduce((a, s) => a + (s.output_tokens ?? 0), 0);
  const good = metrics.filter((m) => m.ttft !== null && m.ttft <= ctx.slo.ttft_ms && (m.itl === null || m.itl <= ctx.slo.itl_p95_ms)).length;
  const errorShare = n ? errors / n : 0;
  const rlShare = n ? rateLimited / n : 0;
  const perSecond = (x: number) => (ok.length && durationS > 0 ? round(x / durationS, 3) : null);
  // Closed loop: throughput while the level's L streams were all busy (the steady window), not diluted by the
  // ramp up and the run out; open loop: over the whole level.
  const steadyTps =
    ctx.loop === "closed" && window && ok.length
      ? round(tokensWithin(ok, window) / ((window.end - window.start) / 1000), 3)
      : perSecond(outputTokens);
  return {
    provider_key: ctx.provider_key,
    model_id: ctx.model_id,
    level: ctx.level,
    requested_concurrency: ctx.level,
    achieved_concurrency_mean: achieved ? round(achieved.mean, 3) : null,
    achieved_concurrency_min: achieved ? achieved.min : null,
    concurrency_short: ctx.loop === "closed" && (achieved === null || achieved.mean < CONCURRENCY_SHORT_SHARE * ctx.level),
    send_skew_ms_p95: percentiles(samples.map((s) => Math.abs(s.sent_at - s.scheduled_at))).p95,
    requests: n,
    ok: ok.length,
    errors,
    rate_limited: rateLimited,
    error_share: round(errorShare, 4),
    rate_limited_share: round(rlShare, 4),
    ttft_ms: ttft,
    itl_ms: itl,
    e2e_ms: percentiles(metrics.map((m) => m.e2e)),
    output_tps_per_request_p50: percentiles(metrics.map((m) => m.tps)).p50,
    aggregate_output_tps: steadyTps,
    requests_per_s: perSecond(ok.length),
    goodput_rps: perSecond(good),
    slo_met: meetsSlo(ttft.p95, itl.p95, errorShare + rlShare, ctx.slo),
    duration_s: round(durationS, 3),
  };
}

/** Output tokens generated inside `w`, each request's tokens spread evenly over its first → last token. */
export function tokensWithin(samples: readonly CapacitySample[], w: Interval): number {
  let total = 0;
  for (const s of samples) {
    const n = s.output_tokens ?? 0;
    if (s.first_token_at === null || !n) continue;
    const last = s.last_token_at ?? s.first_token_at;
    if (last <= s.first_token_at) {
      if (s.first_token_at >= w.start && s.first_token_at <= w.end) total += n;
      continue;
    }
    const overlap = Math.max(0, Math.min(last, w.end) - Math.max(s.first_token_at, w.start));
    total += (n * overlap) / (last - s.first_token_at);
  }
  return total;
}

/** A level meets the SLO when its TTFT p95 and ITL p95 are within it and at most 5 % of its requests failed. */
export function meetsSlo(ttftP95: number | null, itlP95: number | null, failedShare: number, slo: CapacitySlo): boolean {
  if (ttftP95 === null) return false;
  return ttftP95 <= slo.ttft_ms && (itlP95 === null || itlP95 <= slo.itl_p95_ms) && failedShare <= CAPACITY_STOP_SHARE;
}

// ---------------------------------------------------------------- across levels

/** What the knee rule reads of a level: its level, aggregate output throughput and p95 end-to-end latency. */
export interface KneePoint {
  level: number;
  aggregate_output_tps: number | null;
  e2e_p95_ms: number | null;
}

/**
 * The knee: the last level before throughput stops growing. Walking up the ladder, the first step whose aggregate
 * output throughput grew by less than 10 % over the previous level while p95 end-to-end latency rose makes the
 * previous level the knee. null when throughput still grew at the last level measured (the knee lies beyond the
 * ladder) or fewer than two levels have figures.
 */
export function kneeLevel(points: readonly KneePoint[]): number | null {
  const xs = points.filter((p) => p.aggregate_output_tps !== null && p.e2e_p95_ms !== null);
  for (let i = 1; i < xs.length; i++) {
    const prev = xs[i - 1]!;
    const cur = xs[i]!;
    const gain = (cur.aggregate_output_tps as number) / (prev.aggregate_output_tps as number) - 1;
    if (gain < KNEE_MIN_GAIN && (cur.e2e_p95_ms as number) > (prev.e2e_p95_ms as number)) return prev.level;
  }
  return null;
}

export const kneePointOf = (r: CapacityLevelResult): KneePoint => ({
  level: r.level,
  aggregate_output_tps: r.aggregate_output_tps,
  e2e_p95_ms: r.e2e_ms.p95,
});

/** The highest level that met the SLO (null when none did). */
export function maxLevelMeetingSlo(levels: ReadonlyArray<Pick<CapacityLevelResult, "level" | "slo_met">>): number | null {
  const met = levels.filter((l) => l.slo_met).map((l) => l.level);
  return met.length ? Math.max(...met) : null;
}

/**
 * Whether the ladder stops after `done` (levels in order, the last one just finished): more than 5 % 429s, more
 * than 5 % other errors, the SLO missed at this level and the one before, or the next level would take the
 * budget past its cap (`spent` so far plus `nextEstimate`). The stop is reported at the last level run, except
 * for the budget, reported at the level that was not run.
 */
export function stopDecision(
  done: ReadonlyArray<Pick<CapacityLevelResult, "level" | "slo_met" | "error_share" | "rate_limited_share">>,
  budget: {
    spent: { tokens: number; cost: number | null };
    nextEstimate: { tokens: number; cost: number | null } | null;
    cap: { max_tokens?: number; max_cost_usd?: number } | null;
  },
  nextLevel: number | null,
): { at_level: number; reason: CapacityStopReason } | null {
  const last = done[done.length - 1];
  if (!last) return null;
  if (last.rate_limited_share > CAPACITY_STOP_SHARE) return { at_level: last.level, reason: "rate_limited" };
  if (last.error_share > CAPACITY_STOP_SHARE) return { at_level: last.level, reason: "errors" };
  const prev = done[done.length - 2];
  if (prev && !prev.slo_met && !last.slo_met) return { at_level: last.level, reason: "slo" };
  if (nextLevel !== null && budget.cap && budget.nextEstimate) {
    const { cap, spent, nextEstimate } = budget;
    const overTokens = cap.max_tokens !== undefined && spent.tokens + nextEstimate.tokens > cap.max_tokens;
    const overCost =
      cap.max_cost_usd !== undefined && spent.cost !== null && nextEstimate.cost !== null && spent.cost + nextEstimate.cost > cap.max_cost_usd;
    if (overTokens || overCost) return { at_level: nextLevel, reason: "budget" };
  }
  return null;
}

// ---------------------------------------------------------------- statistics used by the tests and the bench

/**
 * One-sample Kolmogorov–Smirnov statistic of `xs` against the exponential distribution of rate `rate`
 * (per unit of xs), and its asymptotic p-value (Kolmogorov's series).
 */
export function ksExponential(xs: readonly number[], rate: number): { d: number; p: number } {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = 1 - Math.exp(-rate * s[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
  return { d, p: Math.min(1, Math.max(0, p)) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
